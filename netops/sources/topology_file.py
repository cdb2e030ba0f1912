"""A topology file of whichever format it is in: GraphML or GML, told by its name, else by its first byte."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from netops.sources.gml import read_gml
from netops.sources.graphml import read_graphml
from netops.sources.topology_graph import build_graph, read_capped

FORMATS = {".graphml": read_graphml, ".xml": read_graphml, ".gml": read_gml}


def load_topology_file(path: Path, core: Sequence[str] = ()) -> nx.MultiGraph[str]:
    """GraphML (`.graphml`, `.xml`) or GML (`.gml`); another suffix is read as XML when it starts with `<`."""
    reader = FORMATS.get(path.suffix.lower())
    if reader is None:
        reader = read_graphml if read_capped(path)[:512].lstrip().startswith(b"<") else read_gml
    return build_graph(reader(path), core)
