"""What every diagram reader shares: label cleaning, edge-label splitting, building the model.

Drawing formats (draw.io, GraphML) describe boxes and lines; `GraphBuilder` turns those
into a `LanDiagram` the same way for all of them, so a PD gets the same answer whichever
tool it drew with.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import AddressValueError, IPv4Address
from typing import Any

from pydantic import ValidationError

from netops.errors import InputError, Issue
from netops.models.diagram import LanDiagram, device_key
from netops.sources.diagrams.limits import MAX_DEVICES, MAX_LINKS, check_count
from netops.sources.yamlfile import field_path


@dataclass
class DiagramRead:
    """A reader's answer: the declared LAN, which format it came from, and what was ignored."""

    diagram: LanDiagram
    format: str
    notes: list[str] = field(default_factory=list)


_BREAKS = re.compile(r"<\s*(br|/div|div|/p|p|/li|li|hr)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_PAIR = re.compile(r"\s+[-–—]{1,2}>?\s+|\s*<-{1,2}>\s*|\s*↔\s*|\s*\n\s*|\s+to\s+|\s+ke\s+")
_LINK_REF = re.compile(r"^links\[(\d+)\]")
_SPEED = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([mgt])?(?:b(?:it)?(?:ps|/s)?)?\s*$", re.IGNORECASE)
DEVICE_PROPS = {"ip": "mgmt_ip", "mgmt_ip": "mgmt_ip", "management_ip": "mgmt_ip", "ip_address": "mgmt_ip",
                "model": "model", "tipe": "model", "serial": "serial", "serial_number": "serial", "sn": "serial",
                "role": "role", "peran": "role", "hostname": "name"}
SOURCE_IF_PROPS = ("source_interface", "source_port", "src_interface", "a_interface", "port_a")
TARGET_IF_PROPS = ("target_interface", "target_port", "dst_interface", "b_interface", "port_b")


def clean_label(text: str | None) -> str:
    """draw.io/yEd label text without HTML: `<div>sw-01</div><div>10.0.0.2&nbsp;</div>` -> `sw-01\\n10.0.0.2`."""
    if not text:
        return ""
    text = _BREAKS.sub("\n", text)
    text = html.unescape(_TAGS.sub("", text)).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def split_pair(text: str) -> tuple[str, str] | None:
    """`Gi0/1 - ether2` (source end first) -> ("Gi0/1", "ether2"); one token -> None."""
    parts = [p.strip() for p in _PAIR.split(text.strip(), maxsplit=1)]
    if len(parts) == 2 and all(parts) and all(" " not in p for p in parts):
        return parts[0], parts[1]
    return None


def parse_speed(value: str, where: str, name: str) -> int:
    """`1000`, `1G`, `10 Gbps`, `100M` -> Mb/s."""
    match = _SPEED.match(value)
    if not match:
        raise InputError.at(name, None, where, f"speed {value!r} is not understood (write e.g. 1000, 1G, 10G)")
    number = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or "m").lower()
    return int(number * {"m": 1, "g": 1000, "t": 1_000_000}[unit])


def as_ip(text: str) -> str | None:
    try:
        address = IPv4Address(text.strip())
        return None if address.is_unspecified else str(address)
    except (AddressValueError, ValueError):
        return None


@dataclass
class RawNode:
    label: str
    props: dict[str, str]
    where: str


@dataclass
class RawEdge:
    source: str
    target: str
    source_if: str | None
    target_if: str | None
    label: str
    speed: str | None
    where: str


class GraphBuilder:
    """Collects boxes and lines from a drawing and turns them into one checked LanDiagram."""

    def __init__(self, name: str, fmt: str):
        self.name, self.format = name, fmt
        self.nodes: dict[str, RawNode] = {}
        self.edges: list[RawEdge] = []
        self.notes: list[str] = []
        self.vlans: dict[int, str | None] = {}
        self.shapes = 0          # cells/elements read so far, for MAX_SHAPES

    def device_fields(self, node: RawNode) -> dict[str, Any]:
        """Hostname = first label line; other lines that are IPv4 addresses give the management IP."""
        lines = node.label.splitlines()
        fields: dict[str, Any] = {"name": lines[0] if lines else ""}
        for line in lines[1:]:
            if as_ip(line) and "mgmt_ip" not in fields:
                fields["mgmt_ip"] = as_ip(line)
        for key, value in node.props.items():
            target = DEVICE_PROPS.get(key.strip().lower())
            if target and value.strip():
                fields[target] = value.strip()
        if not fields["name"]:
            raise InputError.at(self.name, None, node.where,
                                "a box connected by a line has no label: write the device's hostname in it")
        return fields

    def build(self) -> DiagramRead:
        check_count(self.name, "boxes connected by lines or with device properties", len(self.nodes), MAX_DEVICES)
        check_count(self.name, "lines", len(self.edges), MAX_LINKS)
        devices: dict[str, dict[str, Any]] = {}
        names: dict[str, str] = {}
        for node_id, node in self.nodes.items():
            fields = self.device_fields(node)
            key = device_key(fields["name"])
            if key in devices:
                devices[key] = self._merge(devices[key], fields, node.where)
            else:
                devices[key] = fields
            names[node_id] = devices[key]["name"]
        links: list[dict[str, Any]] = []
        seen: set[tuple[tuple[str, str], ...]] = set()
        for edge in self.edges:
            if edge.source not in names or edge.target not in names:
                self.notes.append(f"{edge.where}: line not attached to two devices; ignored")
                continue
            if device_key(names[edge.source]) == device_key(names[edge.target]):
                self.notes.append(f"{edge.where}: line from {names[edge.source]} back to itself; ignored")
                continue
            link = self._link(edge, names)
            ident = tuple(sorted((device_key(e["device"]), (e["interface"] or "").lower())
                                 for e in (link["a"], link["b"])))
            if ident in seen and all(e["interface"] for e in (link["a"], link["b"])):
                self.notes.append(f"{edge.where}: the same cable is drawn twice; counted once")
                continue
            seen.add(ident)
            links.append(link)
        raw = {"devices": list(devices.values()), "links": links,
               "vlans": [{"id": vid, "name": vname} for vid, vname in sorted(self.vlans.items())]}
        return DiagramRead(validate_diagram(raw, self.name), self.format, self.notes)

    def _merge(self, old: dict[str, Any], new: dict[str, Any], where: str) -> dict[str, Any]:
        for key, value in new.items():
            if key != "name" and key in old and str(old[key]) != str(value):
                raise InputError.at(self.name, None, where,
                                    f"{new['name']} is drawn twice with different {key}: {old[key]} and {value}")
        return {**new, **old}

    def _link(self, edge: RawEdge, names: dict[str, str]) -> dict[str, Any]:
        source_if, target_if = edge.source_if, edge.target_if
        if edge.label and not (source_if and target_if):
            pair = split_pair(edge.label)
            if pair:
                source_if, target_if = source_if or pair[0], target_if or pair[1]
            else:
                self.notes.append(f"{edge.where}: label {edge.label!r} does not say which end it belongs to "
                                  "(write 'Gi0/1 - ether2', or put each name near its end); not used")
        link: dict[str, Any] = {"a": {"device": names[edge.source], "interface": source_if or None},
                                "b": {"device": names[edge.target], "interface": target_if or None}}
        if edge.speed:
            link["speed_mbps"] = parse_speed(edge.speed, edge.where, self.name)
        if edge.label:
            link["label"] = edge.label.replace("\n", " ")
        return link


def validate_diagram(raw: Any, name: str, line_of: Callable[[tuple[str | int, ...]], int | None] | None = None
                     ) -> LanDiagram:
    """pydantic errors become Issues naming file, line (when known) and field."""
    if not isinstance(raw, dict):
        raise InputError.at(name, 1, "(file)", "expected a mapping with devices: and links:")
    if not raw.get("devices"):
        raise InputError.at(name, None, "devices", "the diagram declares no devices (boxes labelled with hostnames)")
    for key, limit in (("devices", MAX_DEVICES), ("links", MAX_LINKS)):
        if isinstance(raw.get(key), list):
            check_count(name, key, len(raw[key]), limit, key)
    try:
        return LanDiagram.model_validate(raw)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            message = str(err["msg"]).removeprefix("Value error, ")
            pointed = _LINK_REF.match(message)   # model-level checks say which link in their message
            loc = tuple(err["loc"]) or (("links", int(pointed.group(1))) if pointed else ())
            issues.append(Issue(name, line_of(loc) if line_of else None, field_path(loc), message))
        raise InputError(issues) from exc
