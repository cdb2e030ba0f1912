"""Sweep the whole emulated city and print how long it took (a printed figure, not a test).

    python benchmarks/sweep_city.py [--up] [--via snmp] [--timeout 3] [--retries 1] [--repeat 3]

Without --up it sweeps the lab that is up (`netops lab up`). With --up it brings the full
sample city up under its own state file, waits for LLDP to converge, sweeps, and always tears
the lab down. Per run it prints wall time, client CPU, devices/s, failures and link states.
Nothing is stored.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from netops.collect.base import CollectOptions
from netops.collect.sweep import SweepRequest, sweep
from netops.config import Config, load_config
from netops.lab.build import lab_down
from netops.lab.handle import start_lab
from netops.lab.overlay import active_overlay
from netops.sources.inventory import load_inventory


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(config: Config, args: argparse.Namespace) -> int:
    overlay = active_overlay(config)
    if overlay is None:
        print("no lab is up: run `netops lab up` (or pass --up)", file=sys.stderr)
        return 2
    inventory = load_inventory(config.inventory_dir, config.topology_dir)
    options = CollectOptions(timeout=args.timeout, retries=args.retries, concurrency=args.concurrency)
    request = SweepRequest(via=tuple(args.via.split(",")), options=options)
    print(f"city: {len(inventory.devices)} devices in the inventory, {len(overlay.devices)} in the lab, "
          f"{len(inventory.links)} links; via {args.via}, timeout {args.timeout:g} s x {args.retries + 1} "
          f"tries, concurrency {args.concurrency}")
    print(f"{'run':>3} {'wall s':>7} {'cpu s':>6} {'dev/s':>6} {'ok':>4} {'failed':>6}  link states")
    for n in range(1, args.repeat + 1):
        cpu, wall = cpu_seconds(), time.perf_counter()
        snapshot = sweep(config, inventory, request, lab=overlay)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        devices = len(snapshot.observations) + len(snapshot.failures)
        states = dict(sorted(Counter(lo.state.value for lo in snapshot.links.values()).items()))
        reasons = dict(Counter(f.reason.value for f in snapshot.failures.values()))
        print(f"{n:>3} {wall:7.2f} {cpu:6.2f} {devices / wall:6.1f} {len(snapshot.observations):>4} "
              f"{len(snapshot.failures):>6}  {states}{'  failures: ' + str(reasons) if reasons else ''}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--up", action="store_true", help="bring the full city up first, down after")
    parser.add_argument("--via", default="snmp")
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--retries", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = load_config()
    if not args.up:
        return run(config, args)
    with tempfile.TemporaryDirectory(prefix="netops-bench-lab-") as tmp:
        state_path = Path(tmp) / "state.json"
        inventory = load_inventory(config.inventory_dir, config.topology_dir)
        started = time.perf_counter()
        try:
            handle = start_lab(state_path, inventory)
            print(f"lab up: {len(handle.devices)} devices, {len(handle.links)} links "
                  f"in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            converged = handle.wait_for(handle.lldp_converged, timeout=120, interval=2)
            waited = time.perf_counter() - started
            print(f"LLDP {'converged' if converged else 'NOT converged'} after {waited:.1f} s")
            return run(handle.config, args)
        finally:
            lab_down(state_path)


if __name__ == "__main__":
    sys.exit(main())
