"""XML from outside, parsed safely: no DTDs, no entities, no external references, bounded size.

The one entry point for every XML netops reads (LAN diagrams, GraphML topologies, pictures it checks,
libvirt's domain descriptions); nothing else in the package parses XML. Diagrams are uploaded by PD
staff: a hostile or broken file must be refused with one clear line (XXE, "billion laughs", a 50 MB
file), never expanded, fetched or crashed on. Elements are counted while the tree is built: 10 MB of
`<x/>` would be 2.6 million of them (5 s, 300 MB). Each caller passes the XmlLimits of its kind of file
(diagrams: sources/diagrams/limits.py; topologies; libvirt descriptions).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from netops.errors import InputError


@dataclass(frozen=True)
class XmlLimits:
    """What one kind of file may hold: its size cap and element budget, and its name for the refusals."""

    max_bytes: int
    max_elements: int
    kind: str          # plural, as in "diagrams over 10 MB are refused"


def check_size(data: bytes, name: str, limits: XmlLimits, what: str = "file", size: int | None = None) -> None:
    """Refuse a file over its kind's cap (`size` when known before reading it all) or an empty one."""
    size = len(data) if size is None else size
    if size > limits.max_bytes:
        raise InputError.at(name, None, "(file)", f"{what} is {size / 2**20:.1f} MB; {limits.kind} over "
                                                  f"{limits.max_bytes // 2**20} MB are refused")
    if not data.strip():
        raise InputError.at(name, None, "(file)", f"{what} is empty")


class _TooManyElements(Exception):
    pass


class _CountingBuilder(TreeBuilder):
    """A TreeBuilder that stops the parse once the document has more than `limit` elements."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.count = limit, 0

    def start(self, tag: Any, attrs: Any) -> Element:
        self.count += 1
        if self.count > self.limit:
            raise _TooManyElements
        return super().start(tag, attrs)


def parse_xml(data: bytes, name: str, limits: XmlLimits) -> Element:
    """The root element; every way XML can be bad or hostile becomes an InputError.

    The one entry point for XML from outside: `limits` are those of the caller's kind of file.
    """
    check_size(data, name, limits)
    max_elements, kind = limits.max_elements, limits.kind
    parser = DefusedXMLParser(target=_CountingBuilder(max_elements), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(data)
        return parser.close()
    except _TooManyElements as exc:
        raise InputError.at(name, None, "(xml)", f"more than {max_elements:,} XML elements; refused ({kind} "
                                                 "never need that many)") from exc
    except DTDForbidden as exc:
        raise InputError.at(name, None, "(xml)", "refused: the file declares a DTD (<!DOCTYPE>), "
                                                 f"which {kind} never need") from exc
    except EntitiesForbidden as exc:
        raise InputError.at(name, None, "(xml)", f"refused: the file declares XML entities ({exc.name})") from exc
    except ExternalReferenceForbidden as exc:
        raise InputError.at(name, None, "(xml)", "refused: the file references external resources") from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError.at(name, line, "(xml)", f"not well-formed XML: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise InputError.at(name, None, "(xml)", f"unreadable XML: {exc.__class__.__name__}") from exc


def local(tag: str) -> str:
    """`{http://graphml.graphdrawing.org/xmlns}node` -> `node`."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
