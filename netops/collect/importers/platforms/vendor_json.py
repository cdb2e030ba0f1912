"""The devices' own JSON (`| json` on EOS and NX-OS, `| display json` on Junos) for LLDP neighbours.

Parsed from the structures the vendors document (EOS `lldpNeighbors`, NX-OS `TABLE_nbor_detail`,
Junos `lldp-neighbors-information`); the EOS parse is checked against NAPALM's own EOS getter on
NAPALM's recorded fixtures.
"""
from __future__ import annotations

import json
from typing import Any

from netops.collect.importers.contract import (
    Getter,
    ParserSpec,
    as_list,
    capability_names,
    first_data,
    mac,
    neighbour,
)


def _load(text: str, key: str) -> Any:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(doc, dict) or key not in doc:
        raise ValueError(f"JSON without the {key!r} key this command returns")
    return doc[key]


def eos_lldp(text: str) -> Getter:
    out: Getter = {}
    for port, info in (_load(text, "lldpNeighbors") or {}).items():
        for n in as_list((info or {}).get("lldpNeighborInfo")):
            caps = n.get("systemCapabilities") or {}
            iface = n.get("neighborInterfaceInfo") or {}
            addresses = [a.get("address", "") for a in as_list(n.get("managementAddresses")) if isinstance(a, dict)]
            out.setdefault(port, []).append(neighbour(
                name=str(n.get("systemName", "")), port=str(iface.get("interfaceId", "")).strip('"'),
                port_description=str(iface.get("interfaceDescription", "")), chassis_id=mac(str(n.get("chassisId", ""))),
                description=str(n.get("systemDescription", "")), capabilities=capability_names(list(caps)),
                enabled=capability_names([k for k, v in caps.items() if v]),
                management_address=next((a for a in addresses if a), "")))
    return out


def nxos_lldp(text: str) -> Getter:
    out: Getter = {}
    for row in as_list((_load(text, "TABLE_nbor_detail") or {}).get("ROW_nbor_detail")):
        port = str(row.get("l_port_id", ""))
        if not port:
            continue
        out.setdefault(port, []).append(neighbour(
            name=str(row.get("sys_name", "")), port=str(row.get("port_id", "")),
            port_description=str(row.get("port_desc", "")), chassis_id=mac(str(row.get("chassis_id", ""))),
            description=str(row.get("sys_desc", "")),
            capabilities=capability_names(str(row.get("system_capability", "")).replace(",", " ").split()),
            enabled=capability_names(str(row.get("enabled_capability", "")).replace(",", " ").split()),
            management_address=str(row.get("mgmt_addr", "")).replace("not advertised", "")))
    return out


def junos_lldp(text: str) -> Getter:
    out: Getter = {}
    for info in as_list(_load(text, "lldp-neighbors-information")):
        for n in as_list(info.get("lldp-neighbor-information") if isinstance(info, dict) else None):
            port = first_data(n, "lldp-local-port-id") or first_data(n, "lldp-local-interface")
            if not port:
                continue
            out.setdefault(port, []).append(neighbour(
                name=first_data(n, "lldp-remote-system-name"),
                port=first_data(n, "lldp-remote-port-id") or first_data(n, "lldp-remote-port-description"),
                port_description=first_data(n, "lldp-remote-port-description"),
                chassis_id=mac(first_data(n, "lldp-remote-chassis-id"))))
    return out


SPECS = [
    ParserSpec("eos", "show lldp neighbors detail", "json", "lldp_neighbors_detail", eos_lldp, r'"lldpNeighbors"\s*:'),
    ParserSpec("nxos", "show lldp neighbors detail", "json", "lldp_neighbors_detail", nxos_lldp,
               r'"TABLE_nbor_detail"\s*:'),
    ParserSpec("junos", "show lldp neighbors", "json", "lldp_neighbors_detail", junos_lldp,
               r'"lldp-neighbors-information"\s*:'),
]
