"""GML topologies (the Internet Topology Zoo publishes every network as GML beside GraphML).

GML is `key value` pairs where a value is an integer, a real, a "string" or a `[ ... ]` list; a
`graph [ node [ id .. label .. ] edge [ source .. target .. ] ]` holds the network. Our own small
reader instead of networkx.read_gml because the Zoo's files break its rules on purpose: parallel
edges without a `multigraph 1` header (they are parallel fibres) and duplicate labels (two PoPs in
one town); networkx refuses both. Here they become the same warnings the GraphML reader gives, via
netops.sources.topology_graph. Errors name the file and line; nesting and size are bounded.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from netops.errors import InputError
from netops.sources.topology_graph import TopologyRecords, build_graph, read_capped

MAX_DEPTH = 16   # graph > node > graphics > Line > point is the deepest GML in the wild: 5
_TOKEN = re.compile(r'''
    (?P<space>[ \t\r]+) | (?P<newline>\n) | (?P<comment>\#[^\n]*)
  | (?P<key>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<real>[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>"[^"]*")
  | (?P<open>\[) | (?P<close>\])
''', re.VERBOSE)

Pairs = list[tuple[str, object, int]]     # (key, value, line)


def _parse(text: str, name: str) -> Pairs:
    """Top-level pairs; a list value is itself Pairs."""
    stack: list[Pairs] = [[]]
    keys: list[tuple[str, int]] = []
    pending: tuple[str, int] | None = None
    line, pos = 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise InputError.at(name, line, "(gml)", f"unexpected character {text[pos]!r}")
        pos, kind, token = m.end(), m.lastgroup, m.group()
        if kind == "newline":
            line += 1
        elif kind == "string":
            line += token.count("\n")
        if kind in ("space", "newline", "comment"):
            continue
        if pending is None:
            if kind == "key":
                pending = (token, line)
            elif kind == "close" and keys:
                key, key_line = keys.pop()
                done = stack.pop()
                stack[-1].append((key, done, key_line))
            else:
                raise InputError.at(name, line, "(gml)", f"expected a key, found {token[:20]!r}")
            continue
        key, key_line = pending
        pending = None
        if kind == "open":
            if len(stack) > MAX_DEPTH:
                raise InputError.at(name, line, key, f"lists nested deeper than {MAX_DEPTH}; refused")
            keys.append((key, key_line))
            stack.append([])
        elif kind == "string":
            stack[-1].append((key, html.unescape(token[1:-1]), key_line))
        elif kind == "real":
            stack[-1].append((key, float(token) if any(c in token for c in ".eE") else int(token), key_line))
        else:
            raise InputError.at(name, line, key, f"expected a value, found {token[:20]!r}")
    if pending is not None:
        raise InputError.at(name, line, pending[0], "a key without a value at the end of the file")
    if keys:
        raise InputError.at(name, keys[-1][1], keys[-1][0], "list opened here is never closed with ]")
    return stack[0]


def read_gml(path: Path) -> TopologyRecords:
    """The nodes and edges of the first `graph [...]` of a GML file."""
    name = str(path)
    raw = read_capped(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")     # GML predates UTF-8; the Zoo's files are ASCII with &-escapes
    graphs = [(value, line) for key, value, line in _parse(text, name) if key == "graph"]
    if not graphs or not isinstance(graphs[0][0], list):
        raise InputError.at(name, None, "graph", "no `graph [ ... ]` list: not a GML topology")
    body: Pairs = graphs[0][0]
    records = TopologyRecords(source=f"gml:{path.name}")
    if len(graphs) > 1:
        records.warnings.append(f"{len(graphs)} graph lists: only the first is read")
    for key, value, line in body:
        if key == "directed":
            records.directed = value == 1
        if key not in ("node", "edge") or not isinstance(value, list):
            continue
        data = {k: str(v) for k, v, _ in value if not isinstance(v, list)}
        if key == "node":
            if "id" not in data:
                records.warnings.append(f"line {line}: a node without id was skipped")
                continue
            records.nodes.append((data["id"], data))
        else:
            # `key` numbers parallel edges in a multigraph GML; the cable's name is `id` or `cable`
            records.edges.append((data.get("source"), data.get("target"), None,
                                  {k: v for k, v in data.items() if k not in ("source", "target", "key")}))
    return records


def load_gml(path: Path, core: Sequence[str] = ()) -> nx.MultiGraph[str]:
    """Read one GML file into the graph shape of netops.analysis.graph."""
    return build_graph(read_gml(path), core)
