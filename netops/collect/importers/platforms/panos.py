"""PAN-OS `show lldp neighbors all`: blocks of `Key: value` lines per local interface (no TextFSM template)."""
from __future__ import annotations

import re

from netops.collect.importers.contract import Getter, ParserSpec, capability_names, mac, neighbour

_BLOCK = re.compile(r"^Local information:\s*$", re.MULTILINE)


def panos_lldp(text: str) -> Getter:
    out: Getter = {}
    for block in _BLOCK.split(text)[1:]:
        def field(key: str, body: str = block) -> str:
            m = re.search(rf"^{key}:[ \t]*(.*?)\s*$", body, re.MULTILINE)
            return m.group(1) if m else ""
        port = field("Local interface")
        if not port or "Neighbor information:" not in block:
            continue
        neighbour_part = block.split("Neighbor information:", 1)[1]
        addresses = re.findall(r"^Management address type: (\w+)\s*\nManagement address: (\S+)", neighbour_part,
                               re.MULTILINE)
        out.setdefault(port, []).append(neighbour(
            name=field("System name", neighbour_part), port=field("Port ID", neighbour_part),
            port_description=field("Port description", neighbour_part),
            chassis_id=mac(field("Chassis ID", neighbour_part)), description=field("System description", neighbour_part),
            capabilities=capability_names(re.split(r"[,\s]+", field("Supported", neighbour_part).strip(", "))),
            enabled=capability_names(re.split(r"[,\s]+", field("Enabled", neighbour_part).strip(", "))),
            management_address=next((a for kind, a in addresses if kind == "ipv4"), addresses[0][1] if addresses else "")))
    return out


SPECS = [ParserSpec("panos", "show lldp neighbors all", "text", "lldp_neighbors_detail", panos_lldp,
                    r"^Local information:\s*\nIndex \d+")]
