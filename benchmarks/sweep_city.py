"""Sweep the whole emulated city and print how long it took (a printed figure, not a test).

    python benchmarks/sweep_city.py [--up] [--via snmp] [--timeout 3] [--retries 1] [--repeat 3]

Uses the lab that is up (`netops lab up`); with --up it brings the full sample city up first
and tears it down afterwards. Every device is swept in one run; per run it prints wall time,
devices/s, failures by reason and link states. Nothing is stored.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from collections import Counter

from netops.collect.base import CollectOptions
from netops.collect.sweep import SweepRequest, sweep
from netops.config import load_config
from netops.lab.overlay import active_overlay
from netops.sources.inventory import load_inventory


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--up", action="store_true", help="run `netops lab up` first and `netops lab down` after"
    )
    parser.add_argument("--via", default="snmp")
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--retries", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.up:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "netops", "lab", "up"], check=True)
        print(f"lab up: {time.perf_counter() - started:.1f} s")
    try:
        config = load_config()
        overlay = active_overlay(config)
        if overlay is None:
            print("no lab is up: run `netops lab up` (or pass --up)", file=sys.stderr)
            return 2
        inventory = load_inventory(config.inventory_dir, config.topology_dir)
        options = CollectOptions(timeout=args.timeout, retries=args.retries, concurrency=args.concurrency)
        request = SweepRequest(via=tuple(args.via.split(",")), options=options)
        print(
            f"city: {len(inventory.devices)} devices in the inventory, {len(overlay.devices)} in the lab, "
            f"{len(inventory.links)} fibre links; via {args.via}, "
            f"timeout {args.timeout:g} s x {args.retries + 1} tries"
        )
        print(f"{'run':>3} {'wall s':>7} {'cpu s':>6} {'dev/s':>6} {'ok':>4} {'failed':>6}  link states")
        for run in range(1, args.repeat + 1):
            cpu, wall = cpu_seconds(), time.perf_counter()
            snapshot = sweep(config, inventory, request)
            wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
            devices = len(snapshot.observations) + len(snapshot.failures)
            states = Counter(lo.state.value for lo in snapshot.links.values())
            reasons = Counter(f.reason.value for f in snapshot.failures.values())
            print(
                f"{run:>3} {wall:7.2f} {cpu:6.2f} {devices / wall:6.1f} {len(snapshot.observations):>4} "
                f"{len(snapshot.failures):>6}  {dict(sorted(states.items()))}"
                f"{'  failures: ' + str(dict(reasons)) if reasons else ''}"
            )
        return 0
    finally:
        if args.up:
            subprocess.run([sys.executable, "-m", "netops", "lab", "down"], check=False)


if __name__ == "__main__":
    sys.exit(main())
