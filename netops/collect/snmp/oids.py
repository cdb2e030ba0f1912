"""Numeric OIDs of what the sweep reads. Numeric on purpose: no MIB files, no lookups.

Tables are given by their *entry* OID; a column is ``ENTRY + (column,)`` and a row's
index is what follows the column number.
"""
from __future__ import annotations

from netops.collect.snmp.ber import Oid


def oid(text: str) -> Oid:
    """'1.3.6.1' -> (1, 3, 6, 1)."""
    return tuple(int(part) for part in text.strip(".").split("."))


# SNMPv2-MIB system group (scalars, instance .0)
SYS_DESCR = oid("1.3.6.1.2.1.1.1.0")
SYS_OBJECT_ID = oid("1.3.6.1.2.1.1.2.0")
SYS_UPTIME = oid("1.3.6.1.2.1.1.3.0")
SYS_CONTACT = oid("1.3.6.1.2.1.1.4.0")
SYS_NAME = oid("1.3.6.1.2.1.1.5.0")
SYS_LOCATION = oid("1.3.6.1.2.1.1.6.0")
SYSTEM = (SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_CONTACT, SYS_NAME, SYS_LOCATION)
ENTERPRISES = oid("1.3.6.1.4.1")

# IF-MIB ifTable / ifXTable
IF_ENTRY = oid("1.3.6.1.2.1.2.2.1")
IF_DESCR, IF_TYPE, IF_MTU, IF_SPEED, IF_PHYS_ADDRESS = 2, 3, 4, 5, 6
IF_ADMIN_STATUS, IF_OPER_STATUS = 7, 8
IF_IN_OCTETS, IF_IN_UCAST, IF_IN_NUCAST, IF_IN_DISCARDS, IF_IN_ERRORS = 10, 11, 12, 13, 14
IF_OUT_OCTETS, IF_OUT_UCAST, IF_OUT_NUCAST, IF_OUT_DISCARDS, IF_OUT_ERRORS = 16, 17, 18, 19, 20
IFX_ENTRY = oid("1.3.6.1.2.1.31.1.1.1")
IFX_NAME, IFX_IN_MCAST, IFX_IN_BCAST, IFX_OUT_MCAST, IFX_OUT_BCAST = 1, 2, 3, 4, 5
IFX_HC_IN_OCTETS, IFX_HC_IN_UCAST, IFX_HC_IN_MCAST, IFX_HC_IN_BCAST = 6, 7, 8, 9
IFX_HC_OUT_OCTETS, IFX_HC_OUT_UCAST, IFX_HC_OUT_MCAST, IFX_HC_OUT_BCAST = 10, 11, 12, 13
IFX_HIGH_SPEED, IFX_ALIAS = 15, 18

# IP-MIB: legacy ipAddrTable (IPv4, index = address) and ipAddressTable (index = type.len.addr)
IP_ADDR_ENTRY = oid("1.3.6.1.2.1.4.20.1")
IP_AD_IF_INDEX, IP_AD_NETMASK = 2, 3
IP_ADDRESS_ENTRY = oid("1.3.6.1.2.1.4.34.1")
IP_ADDRESS_IF_INDEX, IP_ADDRESS_TYPE, IP_ADDRESS_PREFIX = 3, 4, 5

# IP-FORWARD-MIB ipCidrRouteTable, index dest.mask.tos.nexthop (IPv4; net-snmp serves it from the kernel)
IP_CIDR_ROUTE_ENTRY = oid("1.3.6.1.2.1.4.24.4.1")
IP_CIDR_ROUTE_IF_INDEX, IP_CIDR_ROUTE_TYPE = 5, 6
IP_CIDR_ROUTE_REJECT = 2  # ipCidrRouteType reject(2): a blackhole/unreachable route forwards nothing

# LLDP-MIB (IEEE 802.1AB-2005). Remote index: TimeMark.LocalPortNum.RemIndex.
LLDP_LOC_PORT_ENTRY = oid("1.0.8802.1.1.2.1.3.7.1")
LLDP_LOC_PORT_ID_SUBTYPE, LLDP_LOC_PORT_ID, LLDP_LOC_PORT_DESC = 2, 3, 4
LLDP_REM_ENTRY = oid("1.0.8802.1.1.2.1.4.1.1")
LLDP_REM_CHASSIS_SUBTYPE, LLDP_REM_CHASSIS_ID = 4, 5
LLDP_REM_PORT_SUBTYPE, LLDP_REM_PORT_ID, LLDP_REM_PORT_DESC = 6, 7, 8
LLDP_REM_SYS_NAME, LLDP_REM_SYS_DESC, LLDP_REM_CAP_SUPPORTED, LLDP_REM_CAP_ENABLED = 9, 10, 11, 12
LLDP_REM_MAN_ADDR_ENTRY = oid("1.0.8802.1.1.2.1.4.2.1")
LLDP_REM_MAN_ADDR_IF_SUBTYPE = 3

# ENTITY-MIB entPhysicalTable
ENT_PHYSICAL_ENTRY = oid("1.3.6.1.2.1.47.1.1.1.1")
ENT_DESCR, ENT_CLASS, ENT_NAME, ENT_SOFTWARE_REV, ENT_SERIAL, ENT_MODEL = 2, 5, 7, 10, 11, 13
ENT_CLASS_CHASSIS, ENT_CLASS_STACK = 3, 11

# CISCO-CDP-MIB cdpCacheTable, index ifIndex.deviceIndex
CDP_CACHE_ENTRY = oid("1.3.6.1.4.1.9.9.23.1.2.1.1")
CDP_ADDRESS_TYPE, CDP_ADDRESS, CDP_VERSION = 3, 4, 5
CDP_DEVICE_ID, CDP_DEVICE_PORT, CDP_PLATFORM, CDP_CAPABILITIES = 6, 7, 8, 9

# MIKROTIK-MIB mtxrNeighborInterfaceID: RouterOS indexes lldpRemTable by neighbour only and
# gives the local ifIndex here, keyed by the same neighbour index.
MTXR_NEIGHBOR_IF_ID = oid("1.3.6.1.4.1.14988.1.1.11.1.1.8")

ENTERPRISE_CISCO, ENTERPRISE_MIKROTIK = 9, 14988
VENDORS = {9: "Cisco", 2636: "Juniper", 14988: "MikroTik", 2011: "Huawei", 11: "HP",
           30065: "Arista", 8072: "Net-SNMP", 25506: "H3C", 47196: "Aruba", 12356: "Fortinet",
           6527: "Nokia", 1991: "Brocade", 4526: "Netgear", 41112: "Ubiquiti"}
