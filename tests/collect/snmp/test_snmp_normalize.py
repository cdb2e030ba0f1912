"""Normalisation details the recordings cannot show (their LLDP capability BITS were saved as text)."""
from __future__ import annotations

from netops.collect.snmp import oids as O
from netops.collect.snmp.normalize import normalize
from netops.collect.snmp.poll import DeviceSnmpData

IF1 = (1,)
REM = (0, 1, 7)  # TimeMark.LocalPortNum.RemIndex


def device() -> DeviceSnmpData:
    v6 = (2, 16, 0x20, 0x01, 0x0D, 0xB8) + (0,) * 11 + (1,)
    return DeviceSnmpData("d", "127.0.0.1", {
        O.SYS_NAME: b"core-1.example.net", O.SYS_OBJECT_ID: (1, 3, 6, 1, 4, 1, 2636, 1, 1),
        O.SYS_UPTIME: 12345,
        O.SYS_DESCR: b"Juniper Networks, Inc. mx5t, kernel JUNOS 21.4R3.15, Build date: ...",
    }, tables={
        "if": [(O.IF_ENTRY + (O.IF_DESCR,) + IF1, b"Gi0/1"), (O.IF_ENTRY + (O.IF_SPEED,) + IF1, 100_000_000),
               (O.IF_ENTRY + (O.IF_PHYS_ADDRESS,) + IF1, b"\x00\x1b\x21\xbb\xe6\xf0"),
               (O.IF_ENTRY + (O.IF_ADMIN_STATUS,) + IF1, 1), (O.IF_ENTRY + (O.IF_OPER_STATUS,) + IF1, 2),
               (O.IF_ENTRY + (O.IF_IN_OCTETS,) + IF1, 42)],
        "ip_address": [(O.IP_ADDRESS_ENTRY + (O.IP_ADDRESS_IF_INDEX,) + v6, 1),
                       (O.IP_ADDRESS_ENTRY + (O.IP_ADDRESS_PREFIX,) + v6,
                        (1, 3, 6, 1, 2, 1, 4, 32, 1, 5, 1, 64))],
        "lldp_rem": [(O.LLDP_REM_ENTRY + (O.LLDP_REM_CHASSIS_SUBTYPE,) + REM, 5),
                     (O.LLDP_REM_ENTRY + (O.LLDP_REM_CHASSIS_ID,) + REM, b"\x01\x0a\x00\x00\x02"),
                     (O.LLDP_REM_ENTRY + (O.LLDP_REM_PORT_SUBTYPE,) + REM, 5),
                     (O.LLDP_REM_ENTRY + (O.LLDP_REM_PORT_ID,) + REM, b"Te1/0/1"),
                     (O.LLDP_REM_ENTRY + (O.LLDP_REM_SYS_NAME,) + REM, b"dist-1"),
                     (O.LLDP_REM_ENTRY + (O.LLDP_REM_CAP_SUPPORTED,) + REM, b"\x28\x00"),
                     (O.LLDP_REM_ENTRY + (O.LLDP_REM_CAP_ENABLED,) + REM, b"\x08\x00")],
    })


def test_napalm_shapes_from_hand_built_varbinds() -> None:
    got = normalize(device())
    assert got["facts"]["hostname"] == "core-1" and got["facts"]["fqdn"] == "core-1.example.net"
    assert (got["facts"]["vendor"], got["facts"]["os_version"], got["facts"]["uptime"]) == \
        ("Juniper", "21.4R3.15", 123.45)
    assert got["interfaces"] == {"GigabitEthernet0/1": {
        "is_up": False, "is_enabled": True, "description": "", "last_flapped": -1.0, "speed": 100.0,
        "mtu": 0, "mac_address": "00:1B:21:BB:E6:F0"}}
    assert got["interfaces_ip"] == {"GigabitEthernet0/1": {"ipv6": {"2001:db8::1": {"prefix_length": 64}}}}
    assert got["interfaces_counters"]["GigabitEthernet0/1"]["rx_octets"] == 42
    assert got["interfaces_counters"]["GigabitEthernet0/1"]["rx_broadcast_packets"] == -1
    (n,) = got["lldp_neighbors_detail"]["GigabitEthernet0/1"]  # local port 1 = ifIndex 1
    assert n["remote_chassis_id"] == "10.0.0.2" and n["remote_port"] == "TenGigabitEthernet1/0/1"
    assert n["remote_system_capab"] == ["bridge", "router"] and n["remote_system_enable_capab"] == ["router"]
