"""Write a LanDiagram the way each tool saves it, so every case runs through every reader.

draw.io output copies diagrams.net's own file shape (mxfile/diagram/mxGraphModel, `object`
wrappers for custom properties, edge labels as child cells with a relative x), inline or
compressed the way diagrams.net compresses (raw deflate of the URL-encoded XML, base64).
GraphML output copies yEd's (ShapeNode + NodeLabel, EdgeLabel with six_pos tail/head).
"""
from __future__ import annotations

import base64
import csv
import io
import zlib
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from ruamel.yaml import YAML

from netops.models.diagram import LanDiagram

FORMATS = ("yaml", "json", "drawio", "drawio-compressed", "graphml", "csv")
SUFFIX = {"yaml": ".yaml", "json": ".json", "drawio": ".drawio", "drawio-compressed": ".drawio", "graphml": ".graphml",
          "csv": ".csv"}
_SHAPES = {"pd-edge": "mxgraph.cisco.routers.router", "access-switch": "mxgraph.cisco.switches.workgroup_switch",
           "ap": "mxgraph.cisco.wireless.access_point"}


def to_yaml(d: LanDiagram) -> str:
    out = io.StringIO()
    YAML().dump(d.model_dump(mode="json", exclude_none=True, exclude_defaults=True), out)
    return out.getvalue()


def to_json(d: LanDiagram) -> str:
    return d.model_dump_json(indent=2, exclude_none=True)


def _mx_model(d: LanDiagram) -> str:
    cells = ['<mxCell id="0" />', '<mxCell id="1" parent="0" />']
    ids = {}
    for i, dev in enumerate(d.devices):
        ids[dev.name] = f"dev-{i}"
        props = {"ip": dev.mgmt_ip, "model": dev.model, "serial": dev.serial,
                 "role": dev.role.value if dev.role else None}
        attrs = " ".join(f"{k}={quoteattr(str(v))}" for k, v in props.items() if v)
        role = dev.role.value if dev.role else ""
        style = f"shape={_SHAPES.get(role, 'mxgraph.cisco.computers_and_peripherals.pc')};html=1;" \
                "verticalLabelPosition=bottom;verticalAlign=top;"
        cells.append(f'<object label={quoteattr(f"<b>{escape(dev.name)}</b>")} {attrs} id="dev-{i}">'
                     f'<mxCell style="{style}" vertex="1" parent="1">'
                     f'<mxGeometry x="{80 + 200 * (i % 4)}" y="{60 + 160 * (i // 4)}" width="64" height="40" '
                     f'as="geometry" /></mxCell></object>')
    for j, link in enumerate(d.links):
        edge = (f'<mxCell style="endArrow=none;html=1;rounded=0;" edge="1" parent="1" '
                f'source="{ids[link.a.device]}" target="{ids[link.b.device]}">'
                '<mxGeometry width="50" height="50" relative="1" as="geometry" /></mxCell>')
        if link.speed_mbps:  # custom properties on a line: diagrams.net wraps it in <object>
            cells.append(f'<object label="" speed="{link.speed_mbps}" id="e-{j}">{edge}</object>')
        else:
            cells.append(edge.replace("<mxCell ", f'<mxCell id="e-{j}" ', 1))
        for k, (port, x) in enumerate(((link.a.interface, "-0.75"), (link.b.interface, "0.75"))):
            if port:
                cells.append(f'<mxCell id="e-{j}-l{k}" value={quoteattr(port)} style="edgeLabel;html=1;align=center;'
                             f'verticalAlign=middle;resizable=0;points=[];" vertex="1" connectable="0" '
                             f'parent="e-{j}"><mxGeometry x="{x}" relative="1" as="geometry">'
                             '<mxPoint as="offset" /></mxGeometry></mxCell>')
    cells.append('<mxCell id="legend" value="Legenda: garis = kabel UTP" style="text;html=1;" vertex="1" parent="1">'
                 '<mxGeometry x="20" y="700" width="200" height="30" as="geometry" /></mxCell>')
    return ('<mxGraphModel dx="1434" dy="780" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" '
            'fold="1" page="1" pageScale="1" pageWidth="1169" pageHeight="827" math="0" shadow="0"><root>'
            + "".join(cells) + "</root></mxGraphModel>")


def compress_page(xml: str) -> str:
    """diagrams.net's compression: encodeURIComponent, raw deflate, base64."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(quote(xml, safe="~()*!.'").encode("ascii")) + deflater.flush()
    return base64.b64encode(packed).decode("ascii")


def to_drawio(d: LanDiagram, compressed: bool = False) -> str:
    model = _mx_model(d)
    body = compress_page(model) if compressed else model
    return ('<mxfile host="app.diagrams.net" agent="Mozilla/5.0" version="24.7.17">'
            f'<diagram id="p1" name="LAN {escape(d.pd or "")}">{body}</diagram></mxfile>\n')


def to_graphml(d: LanDiagram) -> str:
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">'
            '<key for="node" id="d0" yfiles.type="nodegraphics"/><key for="edge" id="d1" yfiles.type="edgegraphics"/>'
            '<key attr.name="ip" attr.type="string" for="node" id="d2"/>'
            '<key attr.name="serial" attr.type="string" for="node" id="d3"/>'
            '<key attr.name="role" attr.type="string" for="node" id="d4"/>'
            '<key attr.name="model" attr.type="string" for="node" id="d5"/>'
            '<key attr.name="speed" attr.type="string" for="edge" id="d6"/>'
            '<graph edgedefault="undirected" id="G">')
    parts = [head]
    for i, dev in enumerate(d.devices):
        data = "".join(f'<data key="{k}">{escape(str(v))}</data>' for k, v in
                       (("d2", dev.mgmt_ip), ("d3", dev.serial), ("d4", dev.role.value if dev.role else None),
                        ("d5", dev.model)) if v)
        parts.append(f'<node id="n{i}">{data}<data key="d0"><y:ShapeNode><y:Geometry height="40" width="90" '
                     f'x="{100 * i}" y="0"/><y:NodeLabel modelName="internal" modelPosition="c">{escape(dev.name)}'
                     '</y:NodeLabel></y:ShapeNode></data></node>')
    index = {dev.name: f"n{i}" for i, dev in enumerate(d.devices)}
    for j, link in enumerate(d.links):
        labels = "".join(f'<y:EdgeLabel modelName="six_pos" modelPosition="{pos}">{escape(port)}</y:EdgeLabel>'
                         for port, pos in ((link.a.interface, "stail"), (link.b.interface, "thead")) if port)
        speed = f'<data key="d6">{link.speed_mbps}</data>' if link.speed_mbps else ""
        parts.append(f'<edge id="e{j}" source="{index[link.a.device]}" target="{index[link.b.device]}">{speed}'
                     f'<data key="d1"><y:PolyLineEdge>{labels}</y:PolyLineEdge></data></edge>')
    parts.append("</graph></graphml>\n")
    return "".join(parts)


def to_csv(d: LanDiagram) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["perangkat_a", "port_a", "perangkat_b", "port_b", "kecepatan_mbps", "a_model", "a_role",
                     "a_serial", "a_ip", "b_model", "b_role", "b_serial", "b_ip"])
    props = {dev.name: dev for dev in d.devices}

    def about(name: str) -> list[str]:
        dev = props[name]
        return [dev.model or "", dev.role.value if dev.role else "", dev.serial or "", str(dev.mgmt_ip or "")]

    linked = set()
    for link in d.links:
        linked |= {link.a.device, link.b.device}
        writer.writerow([link.a.device, link.a.interface or "", link.b.device, link.b.interface or "",
                         link.speed_mbps or "", *about(link.a.device), *about(link.b.device)])
    for dev in d.devices:
        if dev.name not in linked:
            writer.writerow([dev.name, "", "", "", "", *about(dev.name), "", "", "", ""])
    return "\ufeff" + out.getvalue()


def write(d: LanDiagram, fmt: str) -> str:
    return {"yaml": to_yaml, "json": to_json, "drawio": to_drawio, "graphml": to_graphml, "csv": to_csv,
            "drawio-compressed": lambda x: to_drawio(x, compressed=True)}[fmt](d)
