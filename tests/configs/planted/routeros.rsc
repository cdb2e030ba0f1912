# nov/30/2026 10:22:31 by RouterOS 7.12.1
# software id = 8XKQ-ABCD
#
/interface wireless security-profiles
set [ find default=yes ] authentication-types=wpa2-psk mode=dynamic-keys wpa2-pre-shared-key=PLANTED-WPA2
/ip ipsec peer
add address=198.18.9.9/32 secret=PLANTED-IPSEC
/snmp community
set [ find default=yes ] name=PLANTED-ROS-COMM
add name=nms authentication-password=PLANTED-ROS-AUTH encryption-password=PLANTED-ROS-PRIV security=private
/user add name=ops group=full password="PLANTED ROS PASS"
/system identity
set name=edge-disdukcapil-01
