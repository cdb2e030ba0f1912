"""Pictures from untrusted names: plain-text Graphviz labels and ids, and SVG made safe to embed.

The picture of a PD's diagram (and of a topology read from someone's GraphML) is built from
names nobody checked. At the Graphviz boundary they become escaped plain text (`dot_text`: never
an HTML-like `<...>` label, no `\\N`/`\\l` escapes) under ids of our own (`DotIds`: a name can
hold `:`, Graphviz's port syntax). The allow-list is the second wall: scripts, event handlers
(`on*`), links (any `href`), `<foreignObject>`, `<image>`, `<use>`, animations, styles and comments
are dropped, whatever produced the SVG. Graphviz wraps a shape with a tooltip in `<a xlink:title>`:
that becomes a `<g>` with a `<title>` (the tooltip stays, the link never existed).
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

import graphviz

from netops.errors import InputError
from netops.sources.diagrams.limits import DIAGRAM_XML
from netops.sources.safexml import local, parse_xml

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
ELEMENTS = frozenset({"svg", "g", "title", "desc", "polygon", "polyline", "path", "ellipse", "circle", "line",
                      "rect", "text", "tspan", "defs", "linearGradient", "radialGradient", "stop"})
ATTRIBUTES = frozenset({
    "width", "height", "viewBox", "preserveAspectRatio", "version", "transform", "id", "class",
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "opacity",
    "points", "d", "cx", "cy", "rx", "ry", "r", "x", "y", "x1", "y1", "x2", "y2", "dx", "dy",
    "text-anchor", "font-family", "font-size", "font-weight", "font-style", "text-decoration",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform"})
# A value may point at a gradient of the same picture (`url(#l_0)`), nothing else.
_UNSAFE_VALUE = re.compile(r"url\((?!\s*#)|javascript:|data:|expression\(|[<>]", re.IGNORECASE)


def dot_text(*lines: str) -> str:
    """Lines as a Graphviz label of plain text, control characters as spaces."""
    clean = (re.sub(r"[\x00-\x1f\x7f]", " ", line).replace("\\", "\\\\") for line in lines)
    label: str = graphviz.nohtml("\\n".join(clean))   # a str subclass Graphviz will not read as HTML
    return label


class DotIds:
    """Graphviz node ids of our own (`n0`, `n1`...) for names, and the way back."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.ids

    def __getitem__(self, name: str) -> str:
        if name not in self.ids:
            self.ids[name] = f"n{len(self.ids)}"
            self.names[self.ids[name]] = name
        return self.ids[name]


def sanitise_svg(svg: str) -> str:
    """The allow-listed copy of `svg` (an `<svg>` element as text); ValueError if it is not SVG at all."""
    try:
        root = parse_xml(svg.encode("utf-8"), "picture", DIAGRAM_XML)   # a picture of a city fits a diagram's limits
    except InputError as exc:
        raise ValueError(str(exc)) from exc
    if local(root.tag) != "svg":
        raise ValueError(f"root element is <{local(root.tag)}>, not <svg>")
    clean = Element("svg", {"xmlns": SVG_NS, **_attributes(root)})
    _copy_children(root, clean)
    return tostring(clean, encoding="unicode")


def _attributes(element: Element) -> dict[str, str]:
    return {name: value for name, value in element.attrib.items()
            if name in ATTRIBUTES and not _UNSAFE_VALUE.search(value)}


def _copy_children(source: Element, target: Element) -> None:
    for child in source:
        tag = local(child.tag)
        if tag == "a":                        # a tooltip wrapper: keep the tooltip as text, drop the link
            copy = SubElement(target, "g")
            if child.get(XLINK_TITLE):
                SubElement(copy, "title").text = child.get(XLINK_TITLE)
            copy.tail = child.tail
            _copy_children(child, copy)
            continue
        if tag not in ELEMENTS or tag == "svg":
            continue
        copy = SubElement(target, tag, _attributes(child))
        copy.text = child.text
        copy.tail = child.tail
        _copy_children(child, copy)
