"""SVG made safe to embed in a page: only the drawing elements and attributes Graphviz uses survive.

The picture of a PD's diagram is built from names a PD uploaded. Escaping at the Graphviz
boundary keeps them plain text; this allow-list is the second wall: scripts, event handlers
(`on*`), links (`<a>`, any `href`), `<foreignObject>`, `<image>`, `<use>`, animations, styles
and comments are dropped, whatever produced the SVG.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

from netops.sources.diagrams.safexml import local, parse_xml
from netops.errors import InputError

SVG_NS = "http://www.w3.org/2000/svg"
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


def sanitise_svg(svg: str) -> str:
    """The allow-listed copy of `svg` (an `<svg>` element as text); ValueError if it is not SVG at all."""
    try:
        root = parse_xml(svg.encode("utf-8"), "picture")
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
        if tag not in ELEMENTS or tag == "svg":
            continue
        copy = SubElement(target, tag, _attributes(child))
        copy.text = child.text
        copy.tail = child.tail
        _copy_children(child, copy)
