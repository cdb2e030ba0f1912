"""One safe-XML entry point (netops.sources.safexml) for every XML netops reads: nothing else in the
package parses XML, and each reader gets its guards (no DTD, no entities, a size cap) from it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from netops.errors import InputError
from netops.provision.render import LIBVIRT_XML_BYTES, read_domain_xml
from netops.sources.graphml import read_graphml
from netops.sources.safexml import XmlLimits, parse_xml
from netops.sources.topology_graph import MAX_TOPOLOGY_BYTES

PACKAGE = Path(__file__).resolve().parents[2] / "netops"
ENTRY = PACKAGE / "sources" / "safexml.py"
# What parses XML in the standard library and in defusedxml; building XML (Element, SubElement,
# tostring) is fine anywhere.
PARSERS = {"fromstring", "XML", "parse", "iterparse", "XMLParser", "XMLPullParser", "DefusedXMLParser",
           "fromstringlist"}


def _xml_parsing_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("defusedxml") or node.module.startswith(("xml.etree", "xml.dom", "xml.sax",
                                                                                "lxml"))):
            found += [f"{node.lineno}: from {node.module} import {a.name}" for a in node.names if a.name in PARSERS]
            if node.module.startswith("defusedxml"):
                found.append(f"{node.lineno}: from {node.module}")
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith(("defusedxml", "lxml", "xml.dom", "xml.sax.expatreader"))]
        elif isinstance(node, ast.Attribute) and node.attr in PARSERS and isinstance(node.value, ast.Name) and \
                node.value.id in {"ET", "ElementTree", "SafeET", "etree"}:
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_nothing_but_the_entry_point_parses_xml() -> None:
    offenders = {str(p.relative_to(PACKAGE)): hits for p in sorted(PACKAGE.rglob("*.py"))
                 if p != ENTRY and (hits := _xml_parsing_in(p))}
    assert offenders == {}


def test_the_scan_would_see_a_second_entry_point(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.py"
    rogue.write_text("import defusedxml.ElementTree as SafeET\nimport xml.etree.ElementTree as ET\n"
                     "a = SafeET.fromstring('<a/>')\nb = ET.fromstring('<b/>')\n")
    assert len(_xml_parsing_in(rogue)) == 3


DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'


def test_graphml_topology_refuses_a_dtd_and_a_file_over_its_cap(tmp_path: Path) -> None:
    dtd = tmp_path / "dtd.graphml"
    dtd.write_bytes(DTD)
    with pytest.raises(InputError, match="declares a DTD"):
        read_graphml(dtd)
    big = tmp_path / "big.graphml"
    with big.open("wb") as handle:
        handle.truncate(MAX_TOPOLOGY_BYTES + 1)
    with pytest.raises(InputError, match="topology files that large are refused"):
        read_graphml(big)


def test_libvirt_descriptions_get_the_same_guards() -> None:
    with pytest.raises(InputError, match="declares a DTD"):
        read_domain_xml(DTD.decode(), running=False)
    with pytest.raises(InputError, match="libvirt descriptions over 4 MB are refused"):
        read_domain_xml("<domain>" + " " * LIBVIRT_XML_BYTES + "</domain>", running=False)
    info = read_domain_xml("<domain><name>vps-1</name><vcpu>2</vcpu></domain>", running=True)
    assert (info.name, info.vcpu, info.running) == ("vps-1", 2, True)


def test_a_caller_cap_is_named_in_the_refusal() -> None:
    with pytest.raises(InputError, match="pictures over 0 MB are refused"):
        parse_xml(b"<svg/>" * 10, "p.svg", XmlLimits(max_bytes=10, max_elements=10, kind="pictures"))
    with pytest.raises(InputError, match="more than 2 XML elements"):
        parse_xml(b"<a><b/><c/></a>", "p.svg", XmlLimits(max_bytes=100, max_elements=2, kind="pictures"))
