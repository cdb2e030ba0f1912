"""Topology benchmark: `check` and `whatif --each duct` on synthetic cities and the Topology Zoo.

    .venv/bin/python benchmarks/topology_bench.py [--sizes 1000,10000] [--ducts 2000] [--naive-sample 200]

A synthetic city: two core routers, a backbone ring, metro rings hung between neighbouring ring
routers (ring of rings), spurs of 1-3 routers, one PD per spur router and per third ring router,
and `--ducts` ducts each holding a run of adjacent fibres (plus some fibres pulled through a
second, nearby duct). `whatif --each duct` runs with the failure engine and with the naive loop
(copy the graph, remove the duct's fibres, recompute reachability from the core) in the same
run; both must agree. For big cities the naive loop runs on a sample of ducts and its time is
extrapolated to all ducts (said so in the table).
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import check_topology
from netops.analysis.suggest import suggest_fibres
from netops.analysis.whatif import each, each_naive
from netops.sources.graphml import load_graphml

REPO = Path(__file__).resolve().parents[1]
ZOO = REPO.parent / "shared" / "data" / "topologyzoo" / "graphml"


def synthetic_city(n: int, ducts: int, seed: int = 1) -> nx.MultiGraph:
    rng = random.Random(seed)
    g = nx.MultiGraph(source=f"synthetic:{n}", warnings=[])
    order: list[tuple[str, str]] = []          # fibres in the order they were laid (adjacent = close)

    def node(role: str, lat: float, lon: float) -> str:
        name = f"r{len(g)}"
        g.add_node(name, label=name, role=role, pd=None, site=name, lat=lat, lon=lon)
        return name

    def fibre(u: str, v: str) -> None:
        key = f"F{g.number_of_edges()}"
        g.add_edge(u, v, key=key, id=key, a=u, b=v, a_if=None, b_if=None, length_m=rng.randint(200, 4000),
                   capacity_mbps=rng.choice([1000, 10000]), status="active", ducts=())
        order.append((u, v, key))

    spread = 0.3 * (n / 1000) ** 0.5                 # ~33 km across for 1,000 routers, ~100 km for 10,000
    backbone = [node("core", 1.13, 104.05), node("core", 1.13, 104.051)]
    backbone += [node("distribution", 1.13 + spread * rng.random(), 104.05 + spread * rng.random())
                 for _ in range(max(6, n // 200))]
    for u, v in zip(backbone, backbone[1:] + backbone[:1], strict=True):
        fibre(u, v)
    rings = [backbone]
    ring_nodes = list(backbone)
    while len(g) < int(n * 0.6):
        host = rng.choice(rings)
        i = rng.randrange(len(host))
        a, b = host[i], host[(i + 1) % len(host)]
        lat, lon = g.nodes[a]["lat"], g.nodes[a]["lon"]
        ring = [node("distribution", lat + 0.03 * rng.random(), lon + 0.03 * rng.random())
                for _ in range(rng.randint(6, 16))]
        for u, v in zip([a] + ring, ring + [b], strict=True):
            fibre(u, v)
        rings.append(ring)
        ring_nodes += ring
    while len(g) < n:
        at = rng.choice(ring_nodes)
        prev = at
        for _ in range(rng.randint(1, 3)):
            if len(g) >= n:
                break
            lat, lon = g.nodes[prev]["lat"], g.nodes[prev]["lon"]
            spur = node("pd-edge", lat + 0.003 * rng.random(), lon + 0.003 * rng.random())
            fibre(prev, spur)
            prev = spur
    pds = {}
    for name, d in g.nodes(data=True):
        if d["role"] == "pd-edge" or (d["role"] == "distribution" and rng.random() < 1 / 3):
            d["pd"] = f"PD-{name}"
            pds[d["pd"]] = {"name": f"PD {name}", "kind": "dinas", "routers": [name]}
    per = max(1, len(order) // ducts)
    ducts_of: dict[str, list[str]] = {}
    for i, (_, _, k) in enumerate(order):
        ducts_of[k] = [f"D{min(i // per, ducts - 1)}"]
        if rng.random() < 0.1:                          # pulled through a second, nearby duct too
            ducts_of[k].append(f"D{min(max(0, i // per + rng.randint(-3, 3)), ducts - 1)}")
    for u, v, k in order:
        g.edges[u, v, k]["ducts"] = tuple(sorted(set(ducts_of[k])))
    g.graph.update(core=backbone[:2], pds=pds, ducts={f"D{i}": "" for i in range(ducts)})
    return g


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def run_check(g: nx.MultiGraph) -> tuple[object, float]:
    def full():
        engine = FailureEngine(g)
        result = check_topology(g, engine=engine)
        return result, suggest_fibres(g, result, engine)
    return timed(full)


def bench(name: str, g: nx.MultiGraph, kind: str, naive_sample: int | None) -> dict[str, object]:
    (result, suggestions), t_check = run_check(g)
    fast, t_fast = timed(each, g, kind)
    total = len(fast)
    if naive_sample and total > naive_sample:
        rng = random.Random(7)
        names = set(rng.sample([r.name for r in fast], naive_sample))
        sub = g.copy()
        # naive over the sampled elements only: same loop, fewer iterations
        slow, t_slow = timed(_naive_subset, sub, kind, names)
        t_naive = t_slow / naive_sample * total
        agree = all((r.name, r.pds, r.devices) == slow[r.name] for r in fast if r.name in names)
        note = f"sampled {naive_sample}/{total}, extrapolated"
    else:
        slow_rows, t_naive = timed(each_naive, g, kind)
        agree = [(r.name, r.pds, r.devices) for r in fast] == [(r.name, r.pds, r.devices) for r in slow_rows]
        note = "full"
    verdicts = {}
    for risk in result.pds.values():
        verdicts[risk.verdict.value] = verdicts.get(risk.verdict.value, 0) + 1
    return {"name": name, "nodes": len(g), "fibres": g.number_of_edges(), "pds": len(result.pds),
            "kind": kind, "elements": total, "check_s": t_check, "fast_s": t_fast, "naive_s": t_naive,
            "ratio": t_naive / t_fast if t_fast else float("inf"), "agree": agree, "note": note,
            "bridges": len(result.bridges), "aps": len(result.articulation_points),
            "duct_spofs": len(result.duct_spofs), "suggestions": len(suggestions), "verdicts": verdicts}


def _naive_subset(g: nx.MultiGraph, kind: str, names: set[str]) -> dict[str, tuple[str, list[str], int]]:
    from netops.analysis.whatif import elements, lost_pds, reached_from_core
    base = reached_from_core(g)
    base_lost, base_out = lost_pds(g, base), len(g) - len(base)
    out = {}
    for name, edges, nodes in elements(g, kind):
        if name not in names:
            continue
        h = g.copy()
        h.remove_edges_from(edges)
        h.remove_nodes_from(nodes)
        reached = reached_from_core(h)
        out[name] = (name, sorted(lost_pds(g, reached) - base_lost), len(g) - len(reached) - base_out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--ducts", type=int, default=2000)
    parser.add_argument("--naive-sample", type=int, default=200, help="cities above this many ducts: sample")
    parser.add_argument("--no-zoo", action="store_true")
    args = parser.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        g = synthetic_city(n, args.ducts)
        rows.append(bench(f"synthetic-{n}", g, "duct", args.naive_sample if n > 1000 else None))
        print_row(rows[-1])
    if not args.no_zoo and ZOO.is_dir():
        for path in sorted(ZOO.glob("*.graphml")):
            g = load_graphml(path)
            for kind in ("link", "node"):
                rows.append(bench(f"zoo:{path.stem}", g, kind, None))
                print_row(rows[-1])
    print()
    print("| topology | nodes | fibres | PDs | each | elements | check s | engine s | naive s | naive/engine | agree | naive run |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['nodes']} | {r['fibres']} | {r['pds']} | {r['kind']} | {r['elements']} | "
              f"{r['check_s']:.3f} | {r['fast_s']:.3f} | {r['naive_s']:.2f} | {r['ratio']:.0f}x | "
              f"{'yes' if r['agree'] else 'NO'} | {r['note']} |")


def print_row(r: dict[str, object]) -> None:
    print(f"{r['name']}: check {r['check_s']:.2f}s ({r['bridges']} bridges, {r['aps']} APs, {r['duct_spofs']} duct SPOFs, "
          f"{r['suggestions']} suggestions, {r['verdicts']}); each {r['kind']}: engine {r['fast_s']:.3f}s, "
          f"naive {r['naive_s']:.2f}s ({r['note']}), {r['ratio']:.0f}x, agree={r['agree']}", flush=True)


if __name__ == "__main__":
    main()
