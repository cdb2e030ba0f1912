"""The failure engine: which devices and PDs lose the Pusat Data when a set of fibres/routers fails.

Built once per graph in O(nodes + fibres), then each failure set is judged in time that grows
with the size of the failure set (and of what it cuts off), not with the size of the city.
That is what makes `whatif --each duct` interactive on a 10,000-router city.

How: a virtual source `S` is joined to every core router (either core counts), a DFS tree is
grown from `S`, every non-tree fibre gets a random 64-bit label and every tree fibre the XOR of
the labels of the non-tree fibres whose cycle runs over it. Then the edge boundary of any set of
routers XORs to zero. Removing a failure set F splits the DFS tree into pieces; a union of pieces is
cut off exactly when the F-fibres on its boundary XOR to zero (false "cut" with probability 2^-64
per query). The components are the atoms of the null space of the pieces' signatures
(Gaussian elimination over GF(2) on |F| words). Parallel fibres are separate edges; self-loops
are ignored.
"""
from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

_SEED = 20210040  # Perwali Batam 40/2021: fixed, so results are reproducible run to run


@dataclass
class DfsTree:
    """Preorder `tin`, subtree end `tout` ([tin, tout) is the subtree), low-points, tree parents."""

    tin: list[int]
    tout: list[int]
    low: list[int]
    parent: list[int]
    pedge: list[int]
    order: list[int]


def dfs(adj: list[list[tuple[int, int]]], roots: Iterable[int]) -> DfsTree:
    """Iterative Tarjan DFS on a multigraph given as adjacency lists of (neighbour, edge id).

    The parent edge is skipped by id, not by neighbour, so a parallel twin counts as a back edge.
    """
    n = len(adj)
    tin, tout, low = [-1] * n, [0] * n, [0] * n
    parent, pedge, pos = [-1] * n, [-1] * n, [0] * n
    order: list[int] = []
    for root in roots:
        if tin[root] != -1:
            continue
        tin[root] = low[root] = len(order)
        order.append(root)
        stack = [root]
        while stack:
            v = stack[-1]
            nbrs = adj[v]
            i = pos[v]
            if i < len(nbrs):
                pos[v] = i + 1
                w, e = nbrs[i]
                if e == pedge[v]:
                    continue
                if tin[w] == -1:
                    parent[w], pedge[w] = v, e
                    tin[w] = low[w] = len(order)
                    order.append(w)
                    stack.append(w)
                elif tin[w] < low[v]:
                    low[v] = tin[w]
            else:
                stack.pop()
                tout[v] = len(order)
                p = parent[v]
                if p >= 0 and low[v] < low[p]:
                    low[p] = low[v]
    return DfsTree(tin, tout, low, parent, pedge, order)


@dataclass
class Cut:
    """What one failure set does: the PDs that lose the Pusat Data and how many devices go with them."""

    pds: list[str]
    devices: int
    nodes: list[str] | None = None


@dataclass
class Spof:
    """A fibre (bridge) or router (articulation point) and what its failure cuts off."""

    kind: str                 # "link" | "node"
    name: str                 # cable id or hostname
    ends: tuple[str, str] | None
    pds: list[str]
    devices: int


class FailureEngine:
    """Precomputed structure of one graph; `cut()` judges a failure set against it."""

    def __init__(self, g: nx.MultiGraph[str], seed: int = _SEED):
        self.names: list[str] = list(g.nodes)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.source = len(self.names)
        self.eu: list[int] = []
        self.ev: list[int] = []
        self.keys: list[str] = []
        self.adj: list[list[tuple[int, int]]] = [[] for _ in range(self.source + 1)]
        self.edge_of: dict[str, list[int]] = {}
        self.duct_edges: dict[str, list[int]] = {duct: [] for duct in g.graph.get("ducts", {})}
        for u, v, key, attrs in g.edges(keys=True, data=True):
            if u == v:
                continue
            e = self._add(self.index[u], self.index[v], str(key))
            self.edge_of.setdefault(str(key), []).append(e)
            for duct in attrs.get("ducts") or ():
                self.duct_edges.setdefault(duct, []).append(e)
        self.real_edges = len(self.eu)
        self.core = [self.index[c] for c in g.graph.get("core", []) if c in self.index]
        for c in self.core:
            self._add(self.source, c, "")
        self.tree = dfs(self.adj, [self.source])
        self._label(seed)
        self.pd_routers: dict[str, list[int]] = {
            code: [self.index[r] for r in pd["routers"] if r in self.index]
            for code, pd in g.graph.get("pds", {}).items()}
        self.router_pd: dict[int, list[str]] = {}
        for code, routers in self.pd_routers.items():
            for r in routers:
                self.router_pd.setdefault(r, []).append(code)
        tin = self.tree.tin
        self._routers_by_tin = sorted((tin[r], r) for r in self.router_pd if tin[r] >= 0)
        self._router_tins = [t for t, _ in self._routers_by_tin]
        self.baseline = sorted(code for code, rs in self.pd_routers.items() if all(tin[r] < 0 for r in rs))

    def _add(self, u: int, v: int, key: str) -> int:
        e = len(self.eu)
        self.eu.append(u)
        self.ev.append(v)
        self.keys.append(key)
        self.adj[u].append((v, e))
        self.adj[v].append((u, e))
        return e

    def _label(self, seed: int) -> None:
        rng = random.Random(seed)
        t = self.tree
        self.label = [0] * len(self.eu)
        acc = [0] * len(self.adj)
        tree_edges = {t.pedge[v] for v in t.order if t.pedge[v] >= 0}
        for e, (u, v) in enumerate(zip(self.eu, self.ev, strict=True)):
            if e not in tree_edges and t.tin[u] >= 0:
                r = rng.getrandbits(64) or 1
                self.label[e] = r
                acc[u] ^= r
                acc[v] ^= r
        for v in reversed(t.order):
            if t.pedge[v] >= 0:
                self.label[t.pedge[v]] = acc[v]
                acc[t.parent[v]] ^= acc[v]

    def incident(self, node: int) -> list[int]:
        return [e for _, e in self.adj[node]]

    def cut(self, edges: Iterable[int], nodes: Iterable[int] = (), with_nodes: bool = False) -> Cut:
        """PDs cut off from the core when `edges` (ids) and `nodes` (indices) fail together."""
        t = self.tree
        failed_nodes = {v for v in nodes if t.tin[v] >= 0}
        fail = {e for e in edges if t.tin[self.eu[e]] >= 0}
        for v in failed_nodes:
            fail.update(self.incident(v))
        heads = sorted((v for v in {self.eu[e] for e in fail} | {self.ev[e] for e in fail}
                        if t.pedge[v] in fail), key=t.tin.__getitem__)
        head_tins = [t.tin[h] for h in heads]
        piece_parent = self._nest(heads)

        def locate(x: int) -> int:
            """Piece number of node x: 0 for the source's piece, i + 1 for the piece headed by heads[i]."""
            i = bisect_right(head_tins, t.tin[x]) - 1
            while i >= 0 and not t.tin[x] < t.tout[heads[i]]:
                i = piece_parent[i]
            return i + 1

        sig = [0] * (len(heads) + 1)
        for e in fail:
            a, b = locate(self.eu[e]), locate(self.ev[e])
            if a != b:
                sig[a] ^= self.label[e]
                sig[b] ^= self.label[e]
        cut_pieces = _cut_off(sig)
        return self._report(heads, piece_parent, cut_pieces, failed_nodes, with_nodes)

    def _nest(self, heads: list[int]) -> list[int]:
        """Index in `heads` of each piece's enclosing piece (-1: the source's piece); heads sorted by tin."""
        tin, tout = self.tree.tin, self.tree.tout
        out, stack = [-1] * len(heads), list[int]()
        for i, h in enumerate(heads):
            while stack and tout[heads[stack[-1]]] <= tin[h]:
                stack.pop()
            out[i] = stack[-1] if stack else -1
            stack.append(i)
        return out

    def _report(self, heads: list[int], piece_parent: list[int], cut_pieces: set[int], failed: set[int],
                with_nodes: bool) -> Cut:
        t = self.tree
        lost_routers: set[int] = {r for r in failed if r in self.router_pd}
        devices = 0
        nodes: list[int] = []
        children: dict[int, list[int]] = {}
        for i, p in enumerate(piece_parent):
            children.setdefault(p, []).append(i)
        for piece in cut_pieces:
            h = heads[piece - 1]
            inner = [(t.tin[heads[c]], t.tout[heads[c]]) for c in children.get(piece - 1, [])]
            devices += t.tout[h] - t.tin[h] - sum(b - a for a, b in inner)
            lo, hi = bisect_left(self._router_tins, t.tin[h]), bisect_left(self._router_tins, t.tout[h])
            for k in range(lo, hi):
                tr, r = self._routers_by_tin[k]
                if not any(a <= tr < b for a, b in inner):
                    lost_routers.add(r)
            if with_nodes:
                nodes.extend(v for v in t.order[t.tin[h]:t.tout[h]] if not any(a <= t.tin[v] < b for a, b in inner))
        pds = {code for r in lost_routers for code in self.router_pd[r]}
        cut_pds = sorted(code for code in pds if all(r in lost_routers or t.tin[r] < 0 for r in self.pd_routers[code]))
        return Cut(cut_pds, devices, sorted(self.names[v] for v in nodes) if with_nodes else None)


def _cut_off(sig: list[int]) -> set[int]:
    """Pieces not connected to piece 0, given each piece's boundary signature.

    A set of pieces is closed (no surviving fibre leaves it) iff its signatures XOR to zero, so
    the closed sets form the null space of the signatures; pieces that every null-space basis
    vector treats alike belong to one component.
    """
    if not any(sig[1:]):
        return set(range(1, len(sig)))
    basis: dict[int, tuple[int, int]] = {}
    null: list[int] = []
    for i, vec in enumerate(sig):
        combo = 1 << i
        while vec:
            top = vec.bit_length() - 1
            if top not in basis:
                basis[top] = (vec, combo)
                break
            bvec, bcombo = basis[top]
            vec ^= bvec
            combo ^= bcombo
        if not vec:
            null.append(combo)
    root = [c & 1 for c in null]
    return {i for i in range(1, len(sig)) if [(c >> i) & 1 for c in null] != root}
