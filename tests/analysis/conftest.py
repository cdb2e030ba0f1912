"""The sample city (inventory/ + topology/ at the repo root) as a declared graph, loaded once."""
from __future__ import annotations

import networkx as nx
import pytest

from netops.analysis.graph import declared_graph
from netops.sources.inventory import Inventory, load_inventory
from tests.conftest import REPO


@pytest.fixture(scope="session")
def sample_inventory() -> Inventory:
    return load_inventory(REPO / "inventory", REPO / "topology")


@pytest.fixture
def sample_graph(sample_inventory: Inventory) -> nx.MultiGraph:
    return declared_graph(sample_inventory)


def random_city(seed: int, nodes: int = 16, ducts: int = 6) -> nx.MultiGraph:
    """A small random multigraph with parallel fibres, self-loops, shared ducts, two cores, one PD per node."""
    import random
    rng = random.Random(seed)
    g = nx.MultiGraph()
    g.add_nodes_from(f"r{i}" for i in range(nodes))
    for i in range(rng.randint(nodes - 1, 2 * nodes)):
        u, v = f"r{rng.randrange(nodes)}", f"r{rng.randrange(nodes)}"
        in_ducts = tuple(sorted({f"D{rng.randrange(ducts)}" for _ in range(rng.randint(0, 2))}))
        g.add_edge(u, v, key=f"F{i}", id=f"F{i}", a=u, b=v, length_m=rng.randint(10, 900),
                   capacity_mbps=rng.choice([1000, 10000]), ducts=in_ducts)
    g.graph.update(source="random", core=["r0", "r1"], ducts={f"D{i}": "" for i in range(ducts)}, warnings=[],
                   pds={f"P{i}": {"name": f"PD {i}", "kind": "dinas", "routers": [f"r{i}"]} for i in range(2, nodes)})
    return g


@pytest.fixture
def make_random_city():
    return random_city
