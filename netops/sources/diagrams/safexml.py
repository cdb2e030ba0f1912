"""XML from strangers, parsed safely: no DTDs, no entities, no external references, bounded size.

Diagrams are uploaded by PD staff; a hostile or broken file must be refused with one clear
line (XXE, "billion laughs", a 50 MB file), never expanded, fetched or crashed on. Elements are
counted while the tree is built: 10 MB of `<x/>` would be 2.6 million of them (5 s, 300 MB).
"""
from __future__ import annotations

import zlib
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from netops.errors import InputError
from netops.sources.diagrams.limits import MAX_BYTES, MAX_ELEMENTS, MAX_EXPANDED_BYTES


def check_size(data: bytes, name: str, what: str = "file", size: int | None = None,
               limit: int = MAX_BYTES, kind: str = "diagrams") -> None:
    size = len(data) if size is None else size
    if size > limit:
        raise InputError.at(name, None, "(file)",
                            f"{what} is {size / 2**20:.1f} MB; {kind} over {limit // 2**20} MB are refused")
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


def parse_xml(data: bytes, name: str, max_elements: int = MAX_ELEMENTS, limit: int = MAX_BYTES,
              kind: str = "diagrams") -> Element:
    """The root element; every way XML can be bad or hostile becomes an InputError.

    The one entry point for XML from outside (diagrams, GraphML topologies): `limit` and `kind` name the
    size cap of the caller's kind of file, `max_elements` its element budget.
    """
    check_size(data, name, limit=limit, kind=kind)
    parser = DefusedXMLParser(target=_CountingBuilder(max_elements), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(data)
        return parser.close()
    except _TooManyElements as exc:
        raise InputError.at(name, None, "(xml)", f"more than {max_elements:,} XML elements; refused (a PD LAN "
                                                 "diagram never needs that many)") from exc
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


def local(tag: str) -> str:
    """`{http://graphml.graphdrawing.org/xmlns}node` -> `node`."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
