"""draw.io / diagrams.net files as PD staff really draw them.

File shape: `<mxfile>` > `<diagram>` pages, each either an inline `<mxGraphModel>` or its
compressed form (base64 of raw deflate of the URL-encoded XML) > `<root>` > `<mxCell>`s
with `vertex="1"` (boxes) or `edge="1"` (lines, `source`/`target` = box ids). Custom
properties wrap the cell: `<object label="sw-01" ip="..." model="..."><mxCell .../></object>`
(`<UserObject>` in older files). Edge labels are child cells (`parent=<edge id>`) whose
`mxGeometry x` in [-1, 1] says where along the line they sit: x < 0 near the source, x > 0
near the target. Labels may hold HTML (`<div>`, `<br>`, `&nbsp;`), which is stripped.
Pages are decompressed, parsed and read one at a time within the limits of limits.py (all pages
together at most MAX_EXPANDED_BYTES of XML and MAX_SHAPES cells), so a small file of many
compressed pages cannot hold gigabytes.
"""
from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from netops.errors import InputError
from netops.sources.diagrams.common import (
    DEVICE_PROPS,
    SOURCE_IF_PROPS,
    TARGET_IF_PROPS,
    DiagramRead,
    GraphBuilder,
    RawEdge,
    RawNode,
    clean_label,
)
from netops.sources.diagrams.limits import DIAGRAM_XML, MAX_BYTES, MAX_EXPANDED_BYTES, MAX_SHAPES, check_count
from netops.sources.safexml import check_size, local, parse_xml

FORMAT = "drawio"
EXTENSIONS = (".drawio", ".dio")
# Stencil families that are network devices even when nothing is connected to them yet.
_DEVICE_SHAPES = ("mxgraph.cisco", "mxgraph.network", "mxgraph.citrix", "mxgraph.rack", "mxgraph.mikrotik",
                  "mxgraph.huawei", "mxgraph.juniper", "mxgraph.arista", "image=", "shape=image")
_CONTAINER_STYLES = ("group", "swimlane", "container=1")
_WRAPPERS = ("object", "UserObject")
_CELL_ATTRS = {"id", "label", "placeholders", "tooltip", "link"}


def inflate_raw(data: bytes, name: str, field: str, budget: int = MAX_BYTES) -> bytes:
    """Raw-deflate decompression (draw.io pages), refusing output over `budget` bytes (zip bombs):
    never more than budget + 1 bytes are produced. The budget is a page's own limit or what is left
    of all pages' limit, whichever is smaller; the refusal names the one that was hit."""
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, budget + 1)
    except zlib.error as exc:
        raise InputError.at(name, None, field, f"compressed page is not valid deflate data ({exc})") from exc
    if len(out) > budget or inflater.unconsumed_tail:
        limit = (f"compressed page expands beyond {MAX_BYTES // 2**20} MB" if budget >= MAX_BYTES else
                 f"compressed pages expand beyond {MAX_EXPANDED_BYTES // 2**20} MB all together")
        raise InputError.at(name, None, field, f"{limit}; refused")
    return out


def sniff(head: bytes) -> bool:
    return b"<mxfile" in head or b"<mxGraphModel" in head


@dataclass
class _Cell:
    id: str
    value: str
    style: str
    vertex: bool
    edge: bool
    parent: str
    source: str
    target: str
    x: float
    props: dict[str, str]


def read(data: bytes, name: str) -> DiagramRead:
    root = parse_xml(data, name, DIAGRAM_XML)
    tag = local(root.tag)
    builder = GraphBuilder(name, FORMAT)
    if tag == "mxGraphModel":
        _read_page(builder, "page 1", root)
    elif tag == "mxfile":
        diagrams = root.findall("diagram")
        if not diagrams:
            raise InputError.at(name, None, "(mxfile)", "the draw.io file has no pages (<diagram>)")
        expanded = 0
        for i, diagram in enumerate(diagrams):
            page_name, model, size = _page(diagram, i, name, MAX_EXPANDED_BYTES - expanded)
            expanded += size
            _read_page(builder, page_name, model)
            diagram.clear()     # the page's tree is read: let it go before the next one is inflated
    else:
        raise InputError.at(name, None, "(xml)", f"not a draw.io file: the root element is <{tag}>, not <mxfile>")
    return builder.build()


def _page(diagram: Element, index: int, name: str, budget: int) -> tuple[str, Element, int]:
    """The page's name, its <mxGraphModel>, and how many bytes of XML decompressing it produced."""
    page_name = diagram.get("name") or f"page {index + 1}"
    inline = next((c for c in diagram if local(c.tag) == "mxGraphModel"), None)
    if inline is not None:
        return page_name, inline, 0
    payload = "".join((diagram.text or "").split())
    field = f"page {page_name!r}"
    if not payload:
        raise InputError.at(name, None, field, "the page is empty (no drawing in <diagram>)")
    try:
        packed = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputError.at(name, None, field, "compressed page is not valid base64") from exc
    xml = unquote(inflate_raw(packed, name, field, max(0, min(MAX_BYTES, budget))).decode("latin-1")
                  ).encode("utf-8", "surrogatepass")
    check_size(xml, name, DIAGRAM_XML, f"page {page_name!r}")
    model = parse_xml(xml, f"{name} ({field})", DIAGRAM_XML)
    if local(model.tag) != "mxGraphModel":
        raise InputError.at(name, None, field, f"compressed page holds <{local(model.tag)}>, not <mxGraphModel>")
    return page_name, model, len(xml)


def _cells(model: Element, page: str) -> list[_Cell]:
    cells: list[_Cell] = []
    for element in model.iter():
        tag = local(element.tag)
        if tag in _WRAPPERS:
            inner = next((c for c in element if local(c.tag) == "mxCell"), None)
            if inner is None:
                continue
            props = {k: v for k, v in element.attrib.items() if k not in _CELL_ATTRS}
            cells.append(_cell(inner, element.get("id", ""), element.get("label", ""), props))
        elif tag == "mxCell" and element.get("id") is not None:
            cells.append(_cell(element, element.get("id", ""), element.get("value", ""), {}))
    return cells


def _cell(element: Element, cell_id: str, value: str, props: dict[str, str]) -> _Cell:
    geometry = next((c for c in element if local(c.tag) == "mxGeometry"), None)
    try:
        x = float(geometry.get("x", "0")) if geometry is not None and geometry.get("relative") == "1" else 0.0
    except ValueError:
        x = 0.0
    return _Cell(cell_id, clean_label(value), element.get("style", "") or "", element.get("vertex") == "1",
                 element.get("edge") == "1", element.get("parent", ""), element.get("source", ""),
                 element.get("target", ""), x, props)


def _read_page(builder: GraphBuilder, page: str, model: Element) -> None:
    cells = _cells(model, page)
    builder.shapes += len(cells)
    check_count(builder.name, "shapes (boxes, lines and labels) in the drawing", builder.shapes, MAX_SHAPES)
    by_id = {c.id: c for c in cells}
    edges = {c.id: c for c in cells if c.edge}
    ends: dict[str, dict[str, str]] = {eid: {} for eid in edges}
    connected = {end for e in edges.values() for end in (e.source, e.target)}
    where = f"page {page!r}"
    for cell in cells:
        if not cell.vertex:
            continue
        cell_where = f"{where} cell {cell.id}"
        if cell.parent in edges:
            _edge_label(builder, cell, ends[cell.parent], cell_where)
        elif any(s in cell.style for s in _CONTAINER_STYLES) and cell.id not in connected:
            builder.notes.append(f"{cell_where}: group/container {cell.value or '(unlabelled)'!r} ignored; "
                                 "the devices inside it are read")
        elif cell.id in connected or _is_device(cell):
            builder.nodes[f"{page}/{cell.id}"] = RawNode(cell.value, cell.props, cell_where)
        elif cell.value or cell.style:
            kind = "text" if cell.style.startswith("text") else "shape"
            builder.notes.append(f"{cell_where}: {kind} {cell.value.replace(chr(10), ' / ')[:40]!r} is not connected and has no "
                                 "device properties; ignored (legend, note or decoration)")
    for eid, edge in edges.items():
        source_if = _prop(edge.props, SOURCE_IF_PROPS) or ends[eid].get("source")
        target_if = _prop(edge.props, TARGET_IF_PROPS) or ends[eid].get("target")
        label = edge.value
        if label and "\n" not in label and edge.x and not (source_if and target_if) and " " not in label:
            # the line's own label dragged towards one end
            source_if, target_if = (source_if or label, target_if) if edge.x < 0 else (source_if, target_if or label)
            label = ""
        label = label or ends[eid].get("middle", "")
        source = f"{page}/{edge.source}" if edge.source in by_id else ""
        target = f"{page}/{edge.target}" if edge.target in by_id else ""
        builder.edges.append(RawEdge(source, target, source_if, target_if, label,
                                     _prop(edge.props, ("speed", "speed_mbps", "kecepatan")), f"{where} line {eid}"))


def _edge_label(builder: GraphBuilder, cell: _Cell, ends: dict[str, str], where: str) -> None:
    if not cell.value:
        return
    slot = "source" if cell.x < 0 else "target" if cell.x > 0 else "middle"
    if slot in ends:
        builder.notes.append(f"{where}: second label near the {slot} end ({cell.value!r}) ignored")
        return
    ends[slot] = cell.value


def _is_device(cell: _Cell) -> bool:
    style = cell.style.lower()
    return any(s in style for s in _DEVICE_SHAPES) or any(k.lower() in DEVICE_PROPS for k in cell.props)


def _prop(props: dict[str, str], keys: tuple[str, ...]) -> str | None:
    lowered = {k.lower(): v for k, v in props.items()}
    return next((lowered[k].strip() for k in keys if lowered.get(k, "").strip()), None)
