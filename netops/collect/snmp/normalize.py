"""Raw SNMP varbinds -> NAPALM getter structures (plain dicts), so analysis is collector-blind.

Interface names (local ports, and remote ports given as names) are canonicalised with
napalm.base.helpers.canonical_interface_name, so `Gi0/1` from SNMP matches NAPALM's CLI view.
"""
from __future__ import annotations

import ipaddress
from typing import Any

from netops.collect.snmp import oids as O
from netops.collect.snmp.ber import Oid, Value
from netops.collect.snmp.identity import identify
from netops.collect.snmp.poll import DeviceSnmpData
from netops.models.names import canonical_interface
from netops.models.observation import DeviceObservation

Table = dict[int, dict[Oid, Value]]  # column -> row index -> value
# LLDP BITS: bit 0 is the most significant bit of the first octet (RFC 2578 BITS)
_LLDP_CAPS = ("other", "repeater", "bridge", "wlan-access-point", "router", "telephone",
              "docsis-cable-device", "station", "cvlan", "svlan", "two-port-mac-relay")
_CDP_CAPS = ((0x01, "router"), (0x02, "bridge"), (0x04, "bridge"), (0x08, "bridge"),
             (0x10, "station"), (0x40, "repeater"), (0x80, "telephone"))


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").strip("\x00").strip()
    if value is None:
        return ""
    return str(value)


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def _mac(value: object) -> str:
    if isinstance(value, bytes) and len(value) == 6:
        return ":".join(f"{b:02X}" for b in value)
    return _text(value)


def _table(data: DeviceSnmpData, name: str, entry: Oid) -> Table:
    n = len(entry)
    out: Table = {}
    for oid, value in data.tables.get(name, ()):
        if len(oid) > n + 1:
            out.setdefault(oid[n], {})[oid[n + 1:]] = value
    return out


def _ifnames(data: DeviceSnmpData) -> dict[int, str]:
    """ifIndex -> canonical name (ifName, else ifDescr), in ifIndex order."""
    ift, ifx = _table(data, "if", O.IF_ENTRY), _table(data, "ifx", O.IFX_ENTRY)
    names, descrs = ifx.get(O.IFX_NAME, {}), ift.get(O.IF_DESCR, {})
    out: dict[int, str] = {}
    for idx in sorted(set(names) | set(descrs)):
        if len(idx) == 1:
            raw = _text(names.get(idx)) or _text(descrs.get(idx))
            out[idx[0]] = canonical_interface(raw) if raw else f"ifIndex{idx[0]}"
    return out


def _chassis(data: DeviceSnmpData) -> dict[str, str]:
    """The first chassis row of ENTITY-MIB (a chassis before a stack, then by index), by field."""
    ent = _table(data, "entity", O.ENT_PHYSICAL_ENTRY)
    classes = _table(data, "entity_class", O.ENT_PHYSICAL_ENTRY).get(O.ENT_CLASS, {})
    rows = set().union(*(ent.get(c, {}) for c in (O.ENT_SERIAL, O.ENT_MODEL, O.ENT_DESCR, O.ENT_SOFTWARE_REV)))
    if not rows:
        return {}
    idx = min(rows, key=lambda i: (classes.get(i) != O.ENT_CLASS_CHASSIS, i))
    return {field: _text(ent.get(column, {}).get(idx)) for field, column in
            (("model", O.ENT_MODEL), ("serial", O.ENT_SERIAL), ("version", O.ENT_SOFTWARE_REV), ("descr", O.ENT_DESCR))}


def facts(data: DeviceSnmpData) -> dict[str, Any]:
    sysname = _text(data.system.get(O.SYS_NAME))
    descr = _text(data.system.get(O.SYS_DESCR))
    vendor_mib = {field: _text(value) for field, value in data.vendor_identity.items()}
    who = identify(data.enterprise(), data.system.get(O.SYS_OBJECT_ID), descr, _chassis(data), vendor_mib)
    return {
        "hostname": sysname.split(".")[0] if sysname else "",
        "fqdn": sysname,
        "vendor": who.vendor,
        "model": who.model,
        "serial_number": who.serial,
        "os_version": who.version,
        "identity_sources": who.sources,
        "uptime": _int(data.system.get(O.SYS_UPTIME), -100) / 100.0,
        "interface_list": list(dict.fromkeys(_ifnames(data).values())),
    }


def interfaces(data: DeviceSnmpData) -> dict[str, dict[str, Any]]:
    ift, ifx = _table(data, "if", O.IF_ENTRY), _table(data, "ifx", O.IFX_ENTRY)
    out: dict[str, dict[str, Any]] = {}
    for ifindex, name in _ifnames(data).items():
        if name in out:
            continue
        i = (ifindex,)
        high = _int(ifx.get(O.IFX_HIGH_SPEED, {}).get(i))
        speed = float(high) if high else _int(ift.get(O.IF_SPEED, {}).get(i)) / 1e6
        out[name] = {
            "is_up": ift.get(O.IF_OPER_STATUS, {}).get(i) == 1,
            "is_enabled": ift.get(O.IF_ADMIN_STATUS, {}).get(i) == 1,
            "description": _text(ifx.get(O.IFX_ALIAS, {}).get(i)),
            "last_flapped": -1.0,
            "speed": speed,
            "mtu": _int(ift.get(O.IF_MTU, {}).get(i)),
            "mac_address": _mac(ift.get(O.IF_PHYS_ADDRESS, {}).get(i)),
        }
    return out


def interfaces_counters(data: DeviceSnmpData) -> dict[str, dict[str, int]]:
    """64-bit ifXTable counters where present, else ifTable's 32-bit ones; -1 = not reported."""
    ift, ifx = _table(data, "if", O.IF_ENTRY), _table(data, "ifx", O.IFX_ENTRY)

    def pick(i: Oid, *sources: tuple[Table, int]) -> int:
        for table, col in sources:
            value = table.get(col, {}).get(i)
            if isinstance(value, int):
                return value
        return -1

    out: dict[str, dict[str, int]] = {}
    for ifindex, name in _ifnames(data).items():
        i = (ifindex,)
        out.setdefault(name, {
            "rx_octets": pick(i, (ifx, O.IFX_HC_IN_OCTETS), (ift, O.IF_IN_OCTETS)),
            "tx_octets": pick(i, (ifx, O.IFX_HC_OUT_OCTETS), (ift, O.IF_OUT_OCTETS)),
            "rx_unicast_packets": pick(i, (ifx, O.IFX_HC_IN_UCAST), (ift, O.IF_IN_UCAST)),
            "tx_unicast_packets": pick(i, (ifx, O.IFX_HC_OUT_UCAST), (ift, O.IF_OUT_UCAST)),
            "rx_multicast_packets": pick(i, (ifx, O.IFX_HC_IN_MCAST), (ifx, O.IFX_IN_MCAST)),
            "tx_multicast_packets": pick(i, (ifx, O.IFX_HC_OUT_MCAST), (ifx, O.IFX_OUT_MCAST)),
            "rx_broadcast_packets": pick(i, (ifx, O.IFX_HC_IN_BCAST), (ifx, O.IFX_IN_BCAST)),
            "tx_broadcast_packets": pick(i, (ifx, O.IFX_HC_OUT_BCAST), (ifx, O.IFX_OUT_BCAST)),
            "rx_errors": pick(i, (ift, O.IF_IN_ERRORS)),
            "tx_errors": pick(i, (ift, O.IF_OUT_ERRORS)),
            "rx_discards": pick(i, (ift, O.IF_IN_DISCARDS)),
            "tx_discards": pick(i, (ift, O.IF_OUT_DISCARDS)),
        })
    return out


def _ip_from_index(idx: Oid) -> tuple[str, str] | None:
    """ipAddressTable index type.len.bytes -> ("ipv4"|"ipv6", address)."""
    if len(idx) < 2:
        return None
    raw = idx[2:] if idx[1] == len(idx) - 2 else idx[1:]
    if idx[0] in (1, 3) and len(raw) >= 4:
        return "ipv4", ".".join(map(str, raw[:4]))
    if idx[0] in (2, 4) and len(raw) >= 16 and all(0 <= b < 256 for b in raw[:16]):
        return "ipv6", str(ipaddress.IPv6Address(bytes(raw[:16])))
    return None


def interfaces_ip(data: DeviceSnmpData) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
    names = _ifnames(data)
    out: dict[str, dict[str, dict[str, dict[str, int]]]] = {}

    def add(ifindex: object, family: str, address: str, prefix: int) -> None:
        if isinstance(ifindex, int) and ifindex in names and address not in ("0.0.0.0", "::"):
            fam = out.setdefault(names[ifindex], {}).setdefault(family, {})
            fam.setdefault(address, {"prefix_length": prefix})

    legacy = _table(data, "ip_addr", O.IP_ADDR_ENTRY)
    masks = legacy.get(O.IP_AD_NETMASK, {})
    for idx, ifindex in legacy.get(O.IP_AD_IF_INDEX, {}).items():
        mask = masks.get(idx)
        bits = sum(int(p).bit_count() for p in mask.split(".")) if isinstance(mask, str) else 32
        if len(idx) == 4:
            add(ifindex, "ipv4", ".".join(map(str, idx)), bits)
    modern = _table(data, "ip_address", O.IP_ADDRESS_ENTRY)
    prefixes = modern.get(O.IP_ADDRESS_PREFIX, {})
    for idx, ifindex in modern.get(O.IP_ADDRESS_IF_INDEX, {}).items():
        parsed = _ip_from_index(idx)
        if parsed is None:
            continue
        family, address = parsed
        pointer = prefixes.get(idx)
        full = 32 if family == "ipv4" else 128
        prefix = pointer[-1] if isinstance(pointer, tuple) and len(pointer) > 2 else full
        add(ifindex, family, address, prefix if 0 <= prefix <= full else full)
    return out


def _caps(value: object) -> list[str]:
    """LLDP BITS -> NAPALM names; [] when the agent sent something that is not valid BITS."""
    if not isinstance(value, bytes) or not 0 < len(value) <= 2:
        return []
    bits = int.from_bytes(value.ljust(2, b"\x00"), "big")
    if bits & ((1 << (16 - len(_LLDP_CAPS))) - 1):
        return []
    return [name for n, name in enumerate(_LLDP_CAPS) if bits & (1 << (15 - n))]


def _lldp_id(value: object, subtype: object, mac_subtype: int, net_subtype: int) -> str:
    """Chassis/port id by its subtype: MAC as AA:BB:.., network address as IP, else text."""
    if not isinstance(value, bytes):
        return _text(value)
    text = _text(value)
    if len(value) == 6 and (subtype == mac_subtype or (subtype is None and not text.isprintable())):
        return _mac(value)
    if subtype == net_subtype and len(value) in (5, 17) and value[0] in (1, 2):
        return str(ipaddress.ip_address(value[1:]))  # IANA address family 1 = IPv4, 2 = IPv6
    return text if text.isprintable() else value.hex(":").upper()


def _local_ports(data: DeviceSnmpData, names: dict[int, str]) -> dict[int, str]:
    """lldpLocPortNum -> canonical local name: port id or descr naming a known interface,
    else the port number as an ifIndex, else the port id as given."""
    loc = _table(data, "lldp_loc", O.LLDP_LOC_PORT_ENTRY)
    known = set(names.values())
    out: dict[int, str] = {}
    for idx in set(loc.get(O.LLDP_LOC_PORT_ID, {})) | set(loc.get(O.LLDP_LOC_PORT_DESC, {})):
        texts = [_text(loc.get(c, {}).get(idx)) for c in (O.LLDP_LOC_PORT_ID, O.LLDP_LOC_PORT_DESC)]
        candidates = [canonical_interface(t) for t in texts if t]
        hit = next((c for c in candidates if c in known), None)
        out[idx[0]] = hit or names.get(idx[0]) or (candidates[0] if candidates else str(idx[0]))
    return out


def _man_addrs(data: DeviceSnmpData) -> dict[Oid, str]:
    """(TimeMark, LocalPortNum, RemIndex) -> first non-zero IPv4 (else IPv6) management address."""
    n = len(O.LLDP_REM_MAN_ADDR_ENTRY) + 1
    found: dict[Oid, list[str]] = {}
    for oid, _ in data.tables.get("lldp_man", ()):
        idx = oid[n:]
        parsed = _ip_from_index(idx[3:]) if len(idx) > 5 else None
        if parsed and parsed[1] not in ("0.0.0.0", "::"):
            found.setdefault(idx[:3], []).append(parsed[1])
    return {k: min(v, key=lambda a: ":" in a) for k, v in found.items()}


def neighbour_name(sys_name: str, chassis_id: str, description: str) -> tuple[str, str]:
    """The neighbour's name and where it came from: its sysName, else (as LibreNMS does) its chassis id,
    else the first line of its system description; ("", "") when it sent none of them."""
    for value, source in ((sys_name, "system_name"), (chassis_id, "chassis_id"),
                          (description.splitlines()[0][:64] if description.strip() else "", "system_description")):
        if value.strip():
            return value.strip(), source
    return "", ""


def lldp_neighbors_detail(data: DeviceSnmpData) -> dict[str, list[dict[str, Any]]]:
    """LLDP (and, on Cisco, CDP) neighbours per canonical local interface."""
    names = _ifnames(data)
    local = _local_ports(data, names)
    rem = _table(data, "lldp_rem", O.LLDP_REM_ENTRY)
    mtxr = {oid[-1]: v for oid, v in data.tables.get("mtxr_neighbor", ())}
    man = _man_addrs(data)
    out: dict[str, list[dict[str, Any]]] = {}

    def col(column: int, idx: Oid) -> Value:
        return rem.get(column, {}).get(idx)

    rows = sorted(set().union(*(rem.get(c, {}) for c in (O.LLDP_REM_CHASSIS_ID, O.LLDP_REM_PORT_ID,
                                                         O.LLDP_REM_SYS_NAME))))
    for idx in rows:
        port_num = idx[-2] if len(idx) >= 2 else 0
        mt_if = mtxr.get(idx[-1])
        if port_num and (port_num in local or port_num in names):
            ifname = local.get(port_num) or names[port_num]
        elif isinstance(mt_if, int) and mt_if in names:  # RouterOS: local port from its own MIB
            ifname = names[mt_if]
        else:
            ifname = f"lldp-port-{port_num}"
        port_sub = col(O.LLDP_REM_PORT_SUBTYPE, idx)
        port = _lldp_id(col(O.LLDP_REM_PORT_ID, idx), port_sub, 3, 4)
        chassis_id = _lldp_id(col(O.LLDP_REM_CHASSIS_ID, idx), col(O.LLDP_REM_CHASSIS_SUBTYPE, idx), 4, 5)
        description = _text(col(O.LLDP_REM_SYS_DESC, idx))
        name, name_from = neighbour_name(_text(col(O.LLDP_REM_SYS_NAME, idx)), chassis_id, description)
        out.setdefault(ifname, []).append({
            "parent_interface": "",
            "remote_port": canonical_interface(port) if port_sub in (None, 1, 5, 7) and port else port,
            "remote_port_description": _text(col(O.LLDP_REM_PORT_DESC, idx)),
            "remote_chassis_id": chassis_id,
            "remote_system_name": name,
            "remote_system_name_from": name_from,
            "remote_system_description": description,
            "remote_system_capab": _caps(col(O.LLDP_REM_CAP_SUPPORTED, idx)),
            "remote_system_enable_capab": _caps(col(O.LLDP_REM_CAP_ENABLED, idx)),
            "remote_management_address": man.get(idx[-3:], "") if len(idx) >= 3 else "",
            "protocol": "lldp",
        })
    cdp = _table(data, "cdp", O.CDP_CACHE_ENTRY)
    for idx in sorted(cdp.get(O.CDP_DEVICE_ID, {})):
        row = {column: values.get(idx) for column, values in cdp.items()}
        address, caps = row.get(O.CDP_ADDRESS), row.get(O.CDP_CAPABILITIES)
        bits = int.from_bytes(caps, "big") if isinstance(caps, bytes) and caps else 0
        cap_names = list(dict.fromkeys(name for bit, name in _CDP_CAPS if bits & bit))
        port = _text(row.get(O.CDP_DEVICE_PORT))
        out.setdefault(names.get(idx[0], f"ifIndex{idx[0]}"), []).append({
            "parent_interface": "",
            "remote_port": canonical_interface(port) if port else "",
            "remote_port_description": "",
            "remote_chassis_id": "",
            "remote_system_name": _text(row.get(O.CDP_DEVICE_ID)),
            "remote_system_description": _text(row.get(O.CDP_VERSION)),
            "remote_system_capab": cap_names,
            "remote_system_enable_capab": cap_names,
            "remote_management_address": ".".join(map(str, address))
            if isinstance(address, bytes) and len(address) == 4 and row.get(O.CDP_ADDRESS_TYPE) == 1 else "",
            "remote_platform": _text(row.get(O.CDP_PLATFORM)),
            "protocol": "cdp",
        })
    return out


def routes(data: DeviceSnmpData) -> dict[str, list[dict[str, Any]]]:
    """ipCidrRouteTable -> NAPALM get_route_to shape: prefix -> [{next_hop, outgoing_interface, ...}].

    Reject (blackhole) routes forward nothing and are left out; a route with next hop 0.0.0.0
    is connected. The table's protocol column says `local` for every kernel route on Linux
    agents, so `protocol` only tells connected from learned (`remote`).
    """
    table = _table(data, "routes", O.IP_CIDR_ROUTE_ENTRY)
    names = _ifnames(data)
    kinds = table.get(O.IP_CIDR_ROUTE_TYPE, {})
    out: dict[str, list[dict[str, Any]]] = {}
    for idx, ifindex in table.get(O.IP_CIDR_ROUTE_IF_INDEX, {}).items():
        if len(idx) != 13 or kinds.get(idx) == O.IP_CIDR_ROUTE_REJECT:
            continue
        dest, mask, hop = ".".join(map(str, idx[:4])), ".".join(map(str, idx[4:8])), ".".join(map(str, idx[9:13]))
        try:
            prefix = str(ipaddress.IPv4Network(f"{dest}/{mask}", strict=False))
        except ValueError:
            continue
        connected = hop == "0.0.0.0"
        out.setdefault(prefix, []).append({
            "protocol": "connected" if connected else "remote", "current_active": True,
            "next_hop": "" if connected else hop,
            "outgoing_interface": names.get(_int(ifindex), "") if _int(ifindex) else "",
        })
    return out


def normalize(data: DeviceSnmpData) -> dict[str, Any]:
    """All getters at once: facts, interfaces, interfaces_ip, lldp_neighbors_detail, interfaces_counters, routes."""
    return {"facts": facts(data), "interfaces": interfaces(data), "interfaces_ip": interfaces_ip(data),
            "lldp_neighbors_detail": lldp_neighbors_detail(data),
            "interfaces_counters": interfaces_counters(data), "routes": routes(data)}


def to_observation(data: DeviceSnmpData) -> DeviceObservation:
    return DeviceObservation(host=data.name, via="snmp", **normalize(data))

