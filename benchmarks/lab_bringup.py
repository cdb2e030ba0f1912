"""Lab figures, in-band with FRR: bring-up, OSPF convergence, LLDP, memory per router, reroute after a cut.

    sudo .venv/bin/python benchmarks/lab_bringup.py [--pd CODE ...] [--max-routers N] [--repeat 1] [--json]

Builds the sample city (all of it by default) with its own state file in a temporary
directory, so it never touches a lab started with `netops lab up` (it refuses to start while
one holds a lab bridge). Printed, not asserted (targets: up and converged in under 30 s,
under 25 MiB PSS per router, reroute under 3 s).

- converged: every device's management address (routers: on the loopback) answers a ping
  from the NOC, i.e. OSPF has a route to it and back.
- memory: PSS and RSS summed over every process in a router's namespace (zebra, ospfd,
  snmpd, lldpd and its privilege-separated child, sshd).
- reroute: a ping every 10 ms from the NOC to a PD edge router while a fibre on its current
  path is cut (one with another path behind it); the longest gap between replies.
Always tears down.
"""
from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from netops.config import load_config
from netops.lab.build import lab_down
from netops.lab.handle import LabHandle, start_lab
from netops.lab.system import missing_prerequisites, namespace_pids
from netops.sources.inventory import load_inventory

REPO = Path(__file__).resolve().parents[1]
PING_INTERVAL_S = 0.01


def _memory_kib(pid: int) -> tuple[int, int]:
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def _reroute_case(lab: LabHandle) -> tuple[str, str] | None:
    """(target edge router, cable) where the cable is on the cheapest path from the NOC's core
    to the target and the target still has another path without it."""
    plan = lab.plan
    g = nx.Graph()
    for c in plan.cables.values():
        a, b = plan.devices[c.a.device], plan.devices[c.b.device]
        if a.is_router and b.is_router:
            g.add_edge(a.hostname, b.hostname, id=c.id, weight=a.port(c.a.interface).ospf_cost or 1)
    start = next((d.hostname for d in plan.devices.values()
                  if d.noc_ip and d.noc_ip.split("/")[0] == plan.noc_gateway), None)
    if start is None:
        return None
    for target in sorted(d.hostname for d in plan.routers if d.role == "pd-edge" and d.hostname in g):
        path = nx.shortest_path(g, start, target, weight="weight")
        for u, v in list(itertools.pairwise(path))[1:]:  # not the core's own port: a remote failure
            rest = g.copy()
            rest.remove_edge(u, v)
            if nx.has_path(rest, start, target):
                return target, g.edges[u, v]["id"]
    return None


def _reroute_s(lab: LabHandle, target: str, cable: str) -> float | None:
    """Longest gap between ping replies from the NOC to `target` across the cut of `cable`."""
    address = lab.mgmt_address(target)
    ping = subprocess.Popen(["ping", "-n", "-D", "-i", str(PING_INTERVAL_S), "-W", "1", "-w", "8", address],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(1.0)
    lab.cut(cable)
    out, _ = ping.communicate(timeout=20)
    lab.restore(cable)
    stamps = [float(line[1:line.index("]")]) for line in out.splitlines() if line.startswith("[") and "bytes from" in line]
    if len(stamps) < 2:
        return None
    return max(b - a for a, b in itertools.pairwise(stamps))


def run_once(pds: list[str] | None, max_routers: int | None) -> dict[str, object]:
    config = load_config(REPO / "netops.yaml")
    inv = load_inventory(config.inventory_dir, config.topology_dir)
    with tempfile.TemporaryDirectory(prefix="netops-lab-bench-") as tmp:
        state_path = Path(tmp) / "state.json"
        t0 = time.monotonic()
        try:
            lab = start_lab(state_path, inv, pds, max_routers)
            up_s = time.monotonic() - t0
            converged = lab.wait_for(lab.converged, timeout=60, interval=0.2)
            ospf_s = time.monotonic() - t0
            lldp = lab.wait_for(lab.lldp_converged, timeout=60, interval=0.2)
            lldp_s = time.monotonic() - t0
            plan = lab.plan
            pids = namespace_pids([d.namespace for d in plan.devices.values()])
            per_device = {d.hostname: [sum(m) for m in zip(*[_memory_kib(p) for p in pids[d.namespace]], strict=True)]
                          for d in plan.devices.values()}
            routers = [d.hostname for d in plan.routers]
            case = _reroute_case(lab)
            reroute = _reroute_s(lab, *case) if case else None
        finally:
            t1 = time.monotonic()
            lab_down(state_path)
            down_s = time.monotonic() - t1
    pss = [per_device[h][0] / 1024 for h in routers]
    rss = [per_device[h][1] / 1024 for h in routers]
    return {"devices": len(plan.devices), "routers": len(routers), "links": len(plan.cables),
            "bringup_s": round(up_s, 2), "converged": converged, "converged_s": round(ospf_s, 2),
            "lldp_converged": lldp, "lldp_converged_s": round(lldp_s, 2), "teardown_s": round(down_s, 2),
            "router_pss_mib_mean": round(statistics.mean(pss), 1), "router_pss_mib_max": round(max(pss), 1),
            "router_rss_mib_mean": round(statistics.mean(rss), 1),
            "reroute_case": list(case) if case else None,
            "reroute_s": round(reroute, 3) if reroute is not None else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pd", action="append", dest="pds")
    parser.add_argument("--max-routers", type=int)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reason = missing_prerequisites()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    runs = [run_once(args.pds, args.max_routers) for _ in range(max(1, args.repeat))]
    if args.json:
        print(json.dumps(runs, indent=1))
        return 0
    for n, r in enumerate(runs, start=1):
        print(f"run {n}: {r['devices']} devices ({r['routers']} routers), {r['links']} links, in-band with FRR:\n"
              f"  up {r['bringup_s']} s; every device reachable from the NOC (OSPF converged) "
              f"{'at' if r['converged'] else 'NOT by'} {r['converged_s']} s; LLDP converged at {r['lldp_converged_s']} s\n"
              f"  per router PSS {r['router_pss_mib_mean']} MiB (max {r['router_pss_mib_max']}), "
              f"RSS {r['router_rss_mib_mean']} MiB; down {r['teardown_s']} s\n"
              f"  reroute after cutting {r['reroute_case'] and r['reroute_case'][1]} "
              f"(towards {r['reroute_case'] and r['reroute_case'][0]}): longest ping gap {r['reroute_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
