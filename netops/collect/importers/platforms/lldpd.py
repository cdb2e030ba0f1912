"""lldpd's `lldpctl` / `lldpcli show neighbors` (Linux, Cumulus, SONiC), as text and as JSON.

Cumulus' `net show lldp json` is lldpd's JSON. lldpd's `-f json` gives one neighbour as an object
and several as a list, and keys interfaces either by name or as `{"name": ...}` items; `-f json0`
always gives lists: every shape is read.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from netops.collect.importers.contract import Getter, ParserSpec, as_list, capability_names, mac, neighbour


def _value(node: object) -> str:
    """lldpd JSON leaves: "x", {"value": "x"}, [{"value": "x"}], {"type": .., "value": "x"}."""
    item = as_list(node)[0] if as_list(node) else ""
    if isinstance(item, Mapping):
        return str(item.get("value", "")).strip()
    return str(item).strip()


def _named(node: object) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(name, body) pairs from `{"eth0": {...}}`, `[{"eth0": {...}}]` or `[{"name": "eth0", ...}]`."""
    for item in as_list(node):
        if not isinstance(item, Mapping):
            continue
        if "name" in item and not isinstance(item["name"], Mapping):
            yield str(_value(item["name"])), item
        else:
            for name, body in item.items():
                for one in as_list(body):
                    if isinstance(one, Mapping):
                        yield str(name), one


_CHASSIS_KEYS = {"id", "name", "descr", "mgmt-ip", "capability"}


def _chassis(node: object) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(name, body): json0 lists bodies with a `name` key (or none); json keys bodies by the name."""
    for item in as_list(node):
        if not isinstance(item, Mapping):
            continue
        if _CHASSIS_KEYS & set(item):
            yield _value(item.get("name")), item
        else:
            for name, body in item.items():
                if isinstance(body, Mapping):
                    yield str(name), body


def lldpd_json(text: str) -> Getter:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(doc, Mapping) or "lldp" not in doc:
        raise ValueError("JSON without the 'lldp' key lldpd returns")
    out: Getter = {}
    for lldp in as_list(doc["lldp"]):
        if not isinstance(lldp, Mapping):
            continue
        for port, body in _named(lldp.get("interface")):
            for name, chassis in _chassis(body.get("chassis")):
                remote_port = next((p for p in as_list(body.get("port")) if isinstance(p, Mapping)), {})
                caps = [c for c in as_list(chassis.get("capability")) if isinstance(c, Mapping)]
                out.setdefault(port, []).append(neighbour(
                    name=name, port=_value(remote_port.get("id")), port_description=_value(remote_port.get("descr")),
                    chassis_id=mac(_value(chassis.get("id"))), description=_value(chassis.get("descr")),
                    capabilities=capability_names([str(c.get("type", "")) for c in caps]),
                    enabled=capability_names([str(c.get("type", "")) for c in caps if c.get("enabled") in (True, "on")]),
                    management_address=_value(chassis.get("mgmt-ip"))))
    return out


_IFACE = re.compile(r"^Interface:\s+([^,\s]+),", re.MULTILINE)


def lldpctl_text(text: str) -> Getter:
    out: Getter = {}
    marks = list(_IFACE.finditer(text))
    for i, m in enumerate(marks):
        block = text[m.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        def field(key: str, block: str = block) -> str:
            m = re.search(rf"^\s+{key}:\s*(.*?)\s*$", block, re.MULTILINE)
            return m.group(1) if m else ""
        caps = re.findall(r"^\s+Capability:\s+(\w+), (on|off)", block, re.MULTILINE)
        chassis_id, port_id = field("ChassisID"), field("PortID")
        out.setdefault(m.group(1), []).append(neighbour(
            name=field("SysName"), port=port_id.split(" ", 1)[-1], port_description=field("PortDescr"),
            chassis_id=mac(chassis_id.split(" ", 1)[-1]), description=field("SysDescr"),
            capabilities=capability_names([c for c, _ in caps]),
            enabled=capability_names([c for c, state in caps if state == "on"]),
            management_address=field("MgmtIP")))
    return out


SPECS = [
    ParserSpec("lldpd", "lldpctl", "json", "lldp_neighbors_detail", lldpd_json, r'^\s*\{\s*"lldp"\s*:'),
    ParserSpec("lldpd", "lldpcli show neighbors", "json", "lldp_neighbors_detail", lldpd_json, ""),
    ParserSpec("lldpd", "net show lldp", "json", "lldp_neighbors_detail", lldpd_json, ""),
    ParserSpec("lldpd", "lldpctl", "text", "lldp_neighbors_detail", lldpctl_text, r"^Interface:\s+\S+, via: (?:LLDP|CDP)"),
    ParserSpec("lldpd", "lldpcli show neighbors", "text", "lldp_neighbors_detail", lldpctl_text, ""),
]
