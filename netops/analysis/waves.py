"""Topology-safe waves for changes: no wave may take down what the waves apart would not.

A change that reloads or reconfigures a router may take it down. Failing a set of routers together
can cut PDs off that no single one of them would (the two legs of a dual-homed PD, two routers behind
one duct). So the hosts are put in waves, greedily and in a stable order: a host joins the first wave
where the PDs lost when the whole wave fails stay those its members lose one by one. What a single
router loses on its own (a single-homed PD's only edge router) cannot be avoided by ordering: the run
reports it, and `--accept-risk` is needed to go on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from netops.analysis.whatif import lost_pds, reached_from_core

LostFn = Callable[[frozenset[str]], frozenset[str]]


def lost_when_down(g: nx.MultiGraph[str]) -> LostFn:
    """The PDs that lose every path to the core when these routers are down (memoised)."""
    cache: dict[frozenset[str], frozenset[str]] = {}

    def lost(nodes: frozenset[str]) -> frozenset[str]:
        if nodes not in cache:
            h = g.copy()
            h.remove_nodes_from([n for n in nodes if n in h])
            cache[nodes] = frozenset(lost_pds(g, reached_from_core(h)) if h.number_of_nodes() else g.graph["pds"])
        return cache[nodes]
    return lost


@dataclass
class Wave:
    hosts: list[str]
    lost: list[str]             # PDs cut off while this whole wave is down
    unavoidable: list[str]      # of those, the ones a member cuts off on its own


def plan_waves(g: nx.MultiGraph[str], hosts: Sequence[str], lost: LostFn | None = None,
               max_waves: int | None = None) -> list[Wave]:
    """Hosts in topology-safe waves (order kept inside a wave); `max_waves` forces at most that many,
    packing the rest into the last one (the pre-flight then says what that costs)."""
    lost = lost or lost_when_down(g)
    alone = {h: lost(frozenset([h])) for h in hosts}
    waves: list[list[str]] = []
    for host in hosts:
        for wave in waves:
            together = frozenset([*wave, host])
            if lost(together) <= frozenset().union(*(alone[m] for m in together)):
                wave.append(host)
                break
        else:
            waves.append([host])
    if max_waves is not None and len(waves) > max_waves:
        waves = waves[:max_waves - 1] + [[h for w in waves[max_waves - 1:] for h in w]]
    out = []
    for wave in waves:
        members = frozenset(wave)
        out.append(Wave(wave, sorted(lost(members)), sorted(frozenset().union(*(alone[m] for m in members)))))
    return out


def risks(waves: Iterable[Wave]) -> list[str]:
    """One line per wave that cuts a PD off: what would be lost, and whether ordering could avoid it."""
    out = []
    for i, wave in enumerate(waves, 1):
        avoidable = sorted(set(wave.lost) - set(wave.unavoidable))
        if avoidable:
            out.append(f"wave {i} ({', '.join(wave.hosts)}) cuts off {', '.join(avoidable)}, which no member cuts "
                       "off alone (both legs of a dual-homed PD or routers sharing a duct in one wave)")
        if wave.unavoidable:
            out.append(f"wave {i}: {', '.join(wave.unavoidable)} lose(s) their only path while "
                       f"{', '.join(h for h in wave.hosts)} change(s)")
    return out
