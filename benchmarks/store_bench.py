"""Store benchmark: VPS creates per second with 50 concurrent processes, SQLite vs PostgreSQL.

    .venv/bin/python benchmarks/store_bench.py [--rounds 20] [--backends sqlite,postgresql]

Each round is the race of tests/vps/test_vps_concurrency.py: 50 forked processes meet at a
barrier and ask at once for 30 small DISKOMINFO VPS (its quota allows 20) and 20 large BAPENDA
ones (host memory allows 4); the one right outcome is 24 created, 10 refused on quota, 16 on
capacity. Every round is checked against it. SQLite queues the creates behind its write lock;
PostgreSQL runs them SERIALIZABLE at once and re-runs the refused ones, queued behind an advisory
lock (Store.atomic): the table shows how many re-runs.
PostgreSQL is a throwaway cluster (netops.store.pg_cluster) on a Unix socket, fsync off, so the
figures compare locking and retries, not disks.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "vps"), str(REPO / "tests"), str(REPO)]

from vps_helpers import EXPECTED, ROUND, race, vps_project

from netops.store.pg_cluster import PgCluster


def rounds(backend: str, count: int, cluster: PgCluster | None) -> list[tuple[float, float, int]]:
    """(race seconds, round seconds incl. forking, retries) per round; raises on a wrong outcome."""
    figures = []
    for n in range(count):
        with tempfile.TemporaryDirectory(prefix="netops-store-bench-") as scratch:
            root = Path(scratch)
            database = cluster.create_database() if cluster else None
            url = cluster.url(database) if cluster and database else f"sqlite:///{root / 'bench.sqlite'}"
            try:
                result = race(vps_project(root / "p", "pusat_data_concurrency.yaml"), url, root / "plans")
            finally:
                if cluster and database:
                    cluster.release_database(database)
        outcome = Counter(o[1] for o in result.outcomes)
        if outcome != EXPECTED:
            raise SystemExit(f"{backend} round {n + 1}: outcome {dict(outcome)}, expected {dict(EXPECTED)}")
        figures.append((result.race_s, result.wall_s, result.retries))
        print(f"  {backend} round {n + 1}/{count}: race {result.race_s:.2f}s, {result.retries} retries", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float, int]]] = {}
    started = time.perf_counter()
    for backend in args.backends.split(","):
        cluster = PgCluster.start() if backend == "postgresql" else None
        try:
            results[backend] = rounds(backend, args.rounds, cluster)
        finally:
            if cluster:
                cluster.stop()
    print(f"\n{args.rounds} rounds x {len(ROUND)} processes per backend, each round exactly "
          f"{dict(EXPECTED)} ({time.perf_counter() - started:.0f}s in all)")
    print(f"{'backend':<11} {'race median':>11} {'race max':>9} {'creates/s':>10} {'requests/s':>11} "
          f"{'round median':>13} {'retries/round median':>21} {'max':>5}")
    for backend, figures in results.items():
        races, walls, retries = zip(*figures, strict=True)
        median = statistics.median(races)
        print(f"{backend:<11} {median:>10.2f}s {max(races):>8.2f}s {EXPECTED['ok'] / median:>10.1f} "
              f"{len(ROUND) / median:>11.1f} {statistics.median(walls):>12.2f}s "
              f"{statistics.median(retries):>21.0f} {max(retries):>5}")


if __name__ == "__main__":
    main()
