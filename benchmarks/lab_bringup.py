"""Lab figures: bring-up time, LLDP convergence, memory per device, teardown time (printed, not asserted).

    sudo /work/venv/bin/python benchmarks/lab_bringup.py [--pd CODE ...] [--max-routers N] [--repeat 1] [--json]

Builds the sample city (all of it by default) with its own state file in a temporary
directory, so it never touches a lab started with `netops lab up` (it refuses to start while
one holds the management bridge). Memory is PSS and RSS summed over every process living in
a device's namespace (snmpd, lldpd and its privilege-separated child, sshd). Always tears down.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from netops.config import load_config
from netops.lab.build import lab_down
from netops.lab.handle import start_lab
from netops.lab.system import missing_prerequisites, namespace_pids
from netops.sources.inventory import load_inventory

REPO = Path(__file__).resolve().parents[1]


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


def run_once(pds: list[str] | None, max_routers: int | None) -> dict[str, object]:
    config = load_config(REPO / "netops.yaml")
    inv = load_inventory(config.inventory_dir, config.topology_dir)
    with tempfile.TemporaryDirectory(prefix="netops-lab-bench-") as tmp:
        state_path = Path(tmp) / "state.json"
        t0 = time.monotonic()
        try:
            lab = start_lab(state_path, inv, pds, max_routers)
            up_s = time.monotonic() - t0
            converged = lab.wait_for(lab.lldp_converged, timeout=60, interval=0.2)
            lldp_s = time.monotonic() - t0 - up_s
            plan = lab.plan
            pids = namespace_pids([d.namespace for d in plan.devices.values()])
            per_device = {d.hostname: [sum(m) for m in zip(*[_memory_kib(p) for p in pids[d.namespace]])]
                          for d in plan.devices.values()}
            routers = [h for h, d in plan.devices.items() if d.role in ("core", "distribution", "pd-edge")]
        finally:
            t1 = time.monotonic()
            lab_down(state_path)
            down_s = time.monotonic() - t1
    pss = [per_device[h][0] / 1024 for h in routers]
    rss = [per_device[h][1] / 1024 for h in routers]
    return {"devices": len(plan.devices), "routers": len(routers), "links": len(plan.cables),
            "bringup_s": round(up_s, 2), "lldp_converged": converged,
            "lldp_convergence_s_after_up": round(lldp_s, 2), "teardown_s": round(down_s, 2),
            "router_pss_mib_mean": round(statistics.mean(pss), 1), "router_rss_mib_mean": round(statistics.mean(rss), 1),
            "router_pss_mib_max": round(max(pss), 1)}


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
        print(f"run {n}: {r['devices']} devices ({r['routers']} routers), {r['links']} links: "
              f"up {r['bringup_s']} s, LLDP converged {r['lldp_convergence_s_after_up']} s later "
              f"({'yes' if r['lldp_converged'] else 'NO'}), down {r['teardown_s']} s; per router "
              f"PSS {r['router_pss_mib_mean']} MiB (max {r['router_pss_mib_max']}), RSS {r['router_rss_mib_mean']} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
