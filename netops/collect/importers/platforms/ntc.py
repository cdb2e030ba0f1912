"""Text outputs of the vendors ntc-templates knows, parsed with its TextFSM templates.

The neighbour commands reuse the live CLI collector's row normalisation (one rule for a live and a
saved `show lldp neighbors detail`); `show interfaces` rows become NAPALM's `get_interfaces` shape.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from netops.collect.importers.contract import Getter, ParserSpec, mac

TEMPLATE_PLATFORM = {"ios": "cisco_ios", "nxos": "cisco_nxos", "eos": "arista_eos", "junos": "juniper_junos",
                     "vrp": "huawei_vrp", "routeros": "mikrotik_routeros"}


def _rows(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    from ntc_templates.parse import parse_output  # imported when used: TextFSM is slow to load
    try:
        rows = parse_output(platform=TEMPLATE_PLATFORM[platform], command=command.lstrip("/"), data=text)
    except Exception as exc:
        raise ValueError(f"TextFSM could not parse it ({exc.__class__.__name__}: {str(exc)[:120]})") from exc
    return [dict(r) for r in rows]


_CDP_ENTRY = re.compile(r"^(?=Device ID:)", re.MULTILINE)


def _neighbour_rows(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """CDP entries are parsed one by one: the templates record an entry at its `Version :` line, and
    outputs trimmed by hand (or by N2G's samples) often lack it, which would merge every entry into one."""
    if "cdp" not in command:
        return _rows(platform, command, text)
    return [row for entry in _CDP_ENTRY.split(text) if entry.strip().startswith("Device ID")
            for row in _rows(platform, command, entry)]


def neighbours(platform: str, command: str) -> Callable[[str], Getter]:
    def parse(text: str) -> Getter:
        from netops.collect.cli_collector import neighbours_from_rows
        from netops.collect.importers.contract import neighbour
        got = neighbours_from_rows(command, _neighbour_rows(platform, command, text))
        return {port: [neighbour(name=e["remote_system_name"], port=e["remote_port"],
                                 port_description=e["remote_port_description"], chassis_id=e["remote_chassis_id"],
                                 description=e["remote_system_description"], capabilities=e["remote_system_capab"],
                                 enabled=e["remote_system_enable_capab"],
                                 management_address=e["remote_management_address"],
                                 protocol="cdp" if "cdp" in command else "lldp") for e in entries]
                for port, entries in got.items()}
    return parse


def _speed_mbps(row: Mapping[str, Any]) -> float:
    bandwidth = str(row.get("BANDWIDTH") or row.get("bandwidth") or "")
    m = re.match(r"(\d+)\s*([KMG]?)bit", bandwidth, re.IGNORECASE)
    if not m:
        return 0.0
    return int(m.group(1)) * {"K": 1e-3, "M": 1.0, "G": 1e3, "": 1e-6}[m.group(2).upper()]


def interfaces(platform: str, command: str) -> Callable[[str], Getter]:
    def parse(text: str) -> Getter:
        out: Getter = {}
        for row in _rows(platform, command, text):
            row = {k.lower(): v for k, v in row.items()}
            name = str(row.get("interface", "")).strip()
            if not name:
                continue
            link, protocol = str(row.get("link_status", "")).lower(), str(row.get("protocol_status", "")).lower()
            admin = str(row.get("admin_state", "")).lower()
            out[name] = {"is_up": protocol.startswith("up") or (not protocol and link.startswith("up")),
                         "is_enabled": "admin" not in link and admin not in ("down", "disabled"),
                         "description": str(row.get("description", "")).strip(), "last_flapped": -1.0,
                         "speed": _speed_mbps(row), "mtu": int(row["mtu"]) if str(row.get("mtu", "")).isdigit() else 0,
                         "mac_address": mac(str(row.get("mac_address") or row.get("address") or ""))}
        return out
    return parse


SPECS = [
    ParserSpec("ios", "show lldp neighbors detail", "text", "lldp_neighbors_detail",
               neighbours("ios", "show lldp neighbors detail"), r"^Local Intf: \S+"),
    ParserSpec("ios", "show cdp neighbors detail", "text", "lldp_neighbors_detail",
               neighbours("ios", "show cdp neighbors detail"), r"^Device ID: ?\S+"),
    ParserSpec("ios", "show interfaces", "text", "interfaces", interfaces("ios", "show interfaces"),
               r"^\S+ is (?:up|down|administratively down), line protocol is"),
    ParserSpec("nxos", "show lldp neighbors detail", "text", "lldp_neighbors_detail",
               neighbours("nxos", "show lldp neighbors detail"), r"^Local Port id: \S+"),
    ParserSpec("nxos", "show cdp neighbors detail", "text", "lldp_neighbors_detail",
               neighbours("nxos", "show cdp neighbors detail"), r"^Device ID:\S+"),
    ParserSpec("nxos", "show interface", "text", "interfaces", interfaces("nxos", "show interface"),
               r"^\S+ is (?:up|down)\s*$"),
    ParserSpec("eos", "show lldp neighbors detail", "text", "lldp_neighbors_detail",
               neighbours("eos", "show lldp neighbors detail"), r"^Interface \S+ detected \d+ LLDP neighbors"),
    ParserSpec("eos", "show interfaces", "text", "interfaces", interfaces("eos", "show interfaces"),
               r"^\S+ is (?:up|down|administratively down), line protocol is"),
    ParserSpec("junos", "show lldp neighbors", "text", "lldp_neighbors_detail",
               neighbours("junos", "show lldp neighbors"), r"^Local Interface\s+Parent Interface\s+Chassis Id"),
    ParserSpec("vrp", "display lldp neighbor", "text", "lldp_neighbors_detail",
               neighbours("vrp", "display lldp neighbor"), r"has \d+ neighbor\(?s?\)?"),
    ParserSpec("routeros", "/ip neighbor print detail", "text", "lldp_neighbors_detail",
               neighbours("routeros", "/ip neighbor print detail"), r"^\s*\d+\s+interface=\S+"),
]
