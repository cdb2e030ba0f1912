#!/usr/bin/env python3
"""Dask sweep benchmark: the same SNMP sweep phase in-process vs on a Dask LocalCluster (1 and 2 workers).

Simulated devices: one loopback address each (127.20.x.y, no setup needed) answered by real net-snmp
`snmpd` agents on one port (tests/loopback_agents.py), so every device has its own management address
as in an inventory. Each mode runs netops.collect.sweep.collect with the SNMP collector and the
`full` workload by default: in-process with the default phase, on Dask with DaskRunner.collect_phase
(shards of --shard-size devices, one Dask task each, results shipped back to this process). Cluster
start-up (worker processes, imports) is timed apart: a poller keeps its workers running.

Printed per size and mode: wall time, devices/s, Dask's overhead against the in-process time, the
overhead per shard ((Dask 1 worker - in-process) / shards), and the extrapolated devices one worker
sweeps in 300 s. Only loopback traffic; every run bounded (--run-limit); agents killed by PID.

    .venv/bin/python benchmarks/dask_sweep.py [--sizes 1000,5000,10000] [--workers 1,2] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netops.collect.base import CollectOptions, Collector
from netops.collect.runners.dask_runner import DaskRunner
from netops.collect.runners.shards import HostRecord, nornir_of
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp_collector import SnmpCollector
from netops.collect.sweep import SweepRequest, collect
from netops.models.observation import DeviceFailure
from tests.loopback_agents import (
    COMMUNITY,
    free_udp_port,
    loopback_addresses,
    start_agents,
    stop_agents,
    wait_ready,
)

CREDENTIALS = SnmpCredentials.v2c(COMMUNITY)
MAX_DEVICES = 10_000


def community(_host: str) -> SnmpCredentials:
    return CREDENTIALS


class Quiet:
    def start(self, collector: str, total: int) -> None:
        pass

    def advance(self, collector: str, result: Any) -> None:
        pass


def one_run(n: int, addresses: list[str], port: int, args: argparse.Namespace, runner: DaskRunner | None
            ) -> dict[str, Any]:
    nr = nornir_of([HostRecord(name=f"dev{i:05}", hostname=a) for i, a in enumerate(addresses[:n])])
    collectors: dict[str, Collector] = {"snmp": SnmpCollector(community, port=port, workload=args.workload)}
    request = SweepRequest(via=("snmp",), options=CollectOptions(timeout=args.timeout, retries=args.retries,
                                                                  concurrency=args.concurrency))
    started, epoch = time.perf_counter(), time.time()
    if runner is None:
        results = collect(nr, collectors, request, Quiet())
    else:
        results = collect(nr, collectors, request, Quiet(), runner.collect_phase)
    wall = time.perf_counter() - started
    compute = shard_compute_seconds(runner, epoch) if runner is not None else wall
    if wall > args.run_limit:
        raise SystemExit(f"a run took {wall:.0f} s, over --run-limit {args.run_limit:g} s")
    failed = sum(1 for got in results.values() if any(isinstance(r, DeviceFailure) for r in got))
    return {"n": n, "wall": wall, "devices_per_s": n / wall, "failures": failed, "reported": len(results),
            "shards": len(runner.last_shards) if runner is not None else 0, "compute": compute}


def shard_compute_seconds(runner: DaskRunner, since: float) -> float:
    """Seconds the workers spent inside the shards (Dask's task stream), to tell Dask's own cost
    (dispatch, transfer, results rebuilt here) apart from the polling itself."""
    stream = runner.connect().get_task_stream(start=since)
    return sum(ss["stop"] - ss["start"] for task in stream if str(task["key"]).startswith("netops-sweep")
               for ss in task["startstops"] if ss["action"] == "compute")


def median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time, with every run's wall time beside it."""
    ordered = sorted(runs, key=lambda r: r["wall"])
    return ordered[len(ordered) // 2] | {"walls": [round(r["wall"], 2) for r in runs]}


def measure(args: argparse.Namespace) -> tuple[list[dict[str, Any]], dict[int, float]]:
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    addresses = loopback_addresses(max(sizes))
    port = free_udp_port()
    rows: list[dict[str, Any]] = []
    startup: dict[int, float] = {}
    runners: dict[int, DaskRunner] = {}
    with tempfile.TemporaryDirectory(prefix="dask-bench-") as tmp:
        agents = start_agents(addresses, port, Path(tmp), count=args.agents)
        try:
            wait_ready(addresses[:: max(1, len(addresses) // 50)] + addresses[-1:], port, agents, limit_s=120)
            for w in workers:
                started = time.perf_counter()
                runners[w] = DaskRunner(workers=w, shard_size=args.shard_size)
                runners[w].connect().get_task_stream()  # installs the scheduler's task-stream plugin
                startup[w] = time.perf_counter() - started
            one_run(min(200, max(sizes)), addresses, port, args, None)  # warm-up: agents' caches, imports
            for w in workers:
                one_run(min(200, max(sizes)), addresses, port, args, runners[w])
            for n in sizes:
                # modes interleaved, --repeat times: a loaded machine drifts; the median of each is kept
                runs: dict[int | None, list[dict[str, Any]]] = {None: [], **{w: [] for w in workers}}
                for _ in range(args.repeat):
                    for w, done in runs.items():
                        done.append(one_run(n, addresses, port, args, runners[w] if w else None))
                base = median(runs[None]) | {"mode": "in-process", "workers": 1}
                rows.append(base)
                for w in workers:
                    row = median(runs[w]) | {"mode": "dask", "workers": w}
                    row["overhead_pct"] = 100 * (row["wall"] - base["wall"]) / base["wall"]
                    if w == 1:  # shards run one after another: what is not polling is Dask's
                        row["dask_own_pct"] = 100 * (row["wall"] - row["compute"]) / base["wall"]
                        row["per_shard_ms"] = 1000 * (row["wall"] - row["compute"]) / max(row["shards"], 1)
                    rows.append(row)
        finally:
            for r in runners.values():
                r.close()
            stop_agents(agents)
    for row in rows:
        row["per_worker_300s"] = round(300 * row["devices_per_s"] / row["workers"])
    return rows, startup


def table(rows: list[dict[str, Any]], startup: dict[int, float]) -> str:
    out = [("| N | mode | workers | shards | wall s | devices/s | vs in-process | Dask's own share "
            "| per-shard overhead | devices per worker per 300 s | failures | all runs, wall s |"),
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        vs = f"{r['overhead_pct']:+.1f} %" if "overhead_pct" in r else "-"
        own = f"{r['dask_own_pct']:.1f} %" if "dask_own_pct" in r else "-"
        shard = f"{r['per_shard_ms']:.0f} ms" if "per_shard_ms" in r else "-"
        out.append(f"| {r['n']} | {r['mode']} | {r['workers']} | {r['shards'] or '-'} | {r['wall']:.2f} "
                   f"| {r['devices_per_s']:.0f} | {vs} | {own} | {shard} | {r['per_worker_300s']} | {r['failures']} "
                   f"| {', '.join(map(str, r['walls']))} |")
    out.append("")
    out.append("cluster start-up (worker processes + imports, once per poller): "
               + ", ".join(f"{w} worker(s) {s:.1f} s" for w, s in startup.items()))
    return "\n".join(out)


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--sizes", default="1000,5000,10000")
    p.add_argument("--workers", default="1,2", help="Dask worker processes to compare (comma-separated)")
    p.add_argument("--workload", default="full", help="SNMP workload: system, links or full")
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--retries", type=int, default=1)
    p.add_argument("--shard-size", type=int, default=500)
    p.add_argument("--repeat", type=int, default=3, help="runs per size and mode (median kept)")
    p.add_argument("--agents", type=int, default=4, help="snmpd processes sharing the device addresses")
    p.add_argument("--run-limit", type=float, default=600.0, help="seconds any single run may take")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    if max(int(s) for s in args.sizes.split(",")) > MAX_DEVICES:
        raise SystemExit(f"at most {MAX_DEVICES:,} simulated devices")
    rows, startup = measure(args)
    print(json.dumps({"rows": rows, "startup_s": startup}, indent=2) if args.json else table(rows, startup))


if __name__ == "__main__":
    main()
