"""Config backup of every router of the emulated city: netops' playbook against a plain Nornir script.

    sudo .venv/bin/python benchmarks/play_bench.py [--repeat 2]

Brings the whole sample city up in-band (or uses the lab that is up), then times, in the same run:
  - plain: a Nornir script doing only `napalm_get(getters=["config"])` on every router (threaded, 30 workers);
  - netops: `netops play` of a backup playbook (the same fetch, plus secret stripping, git commit, stored run).
Prints both, the ratio (target: at most 1.2x) and the full-city backup time (target: under 20 s).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="netops-play-bench-"))
    os.environ.setdefault("NETOPS_STORE", f"sqlite:///{tmp / 'bench.sqlite'}")
    from nornir.plugins.runners import ThreadedRunner
    from nornir_napalm.plugins.tasks import napalm_get

    from netops.app.play import run_playbook
    from netops.collect.napalm_collector import prepare_napalm
    from netops.collect.nornir_init import build_nornir
    from netops.config import load_config
    from netops.lab.build import lab_down
    from netops.lab.handle import start_lab
    from netops.lab.overlay import active_overlay
    from netops.lab.state import load_state
    from netops.models.inventory import ROUTER_ROLES
    from netops.sources.inventory import load_inventory
    from netops.store.db import Store

    config = load_config(REPO / "netops.yaml")
    inv = load_inventory(config.inventory_dir, config.topology_dir)
    ours = load_state(config.lab_state) is None
    if ours:
        print("bringing the whole city up in-band ...", flush=True)
        handle = start_lab(config.lab_state, inv, list(inv.pds), config_file=REPO / "netops.yaml")
        handle.wait_for(handle.converged, timeout=120, interval=1)
    routers = sorted(n for n, d in inv.devices.items() if d.role in ROUTER_ROLES)
    playbook = tmp / "backup.yaml"
    try:
        plain_times, netops_times = [], []
        for i in range(args.repeat):
            nr = build_nornir(config, workers=30, checked=inv, lab=active_overlay(config)).filter(
                filter_func=lambda h: h.name in set(routers))
            prepare_napalm(nr, 15)
            started = time.perf_counter()
            result = nr.with_runner(ThreadedRunner(num_workers=30)).run(task=napalm_get, getters=["config"])
            plain_times.append(time.perf_counter() - started)
            nr.close_connections()
            failed = len(result.failed_hosts)
            playbook.write_text(f"name: bench-backup\nconcurrency: 30\ntasks:\n  - backup: {{repository: {tmp / f'configs-{i}'}}}\n")
            started = time.perf_counter()
            run = run_playbook(config, inv, Store(os.environ["NETOPS_STORE"]), playbook, limit=",".join(routers))
            netops_times.append(time.perf_counter() - started)
            print(f"round {i + 1}: plain {plain_times[-1]:.2f} s ({failed} failed), netops {netops_times[-1]:.2f} s "
                  f"({len(run.failed_hosts)} failed)", flush=True)
        plain, ours_s = statistics.median(plain_times), statistics.median(netops_times)
        print(f"\n{'measure':44} {'value':>10} {'target':>8}")
        print(f"{'routers backed up':44} {len(routers):>10}")
        print(f"{'plain Nornir napalm_get config, median s':44} {plain:>10.2f}")
        print(f"{'netops play (backup task), median s':44} {ours_s:>10.2f} {'< 20':>8}")
        print(f"{'overhead ratio netops / plain':44} {ours_s / plain:>10.2f} {'<= 1.2':>8}")
        print(f"{'per router, netops ms':44} {ours_s / len(routers) * 1000:>10.1f}")
        print(f"(load average {os.getloadavg()[0]:.1f})")
    finally:
        if ours:
            lab_down(config.lab_state)


if __name__ == "__main__":
    main()
