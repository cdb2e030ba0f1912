"""Helpers for the VPS tests: a scratch project, a controllable clock, the 50-process race.

`race()` is shared with benchmarks/store_bench.py, which runs more rounds of it.
"""
from __future__ import annotations

import multiprocessing
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/ for inventory_helpers

from inventory_helpers import make_project

from netops.models.vps import PusatData
from netops.provision.backends import Backend
from netops.provision.service import VpsService
from netops.sources.inventory import load_inventory
from netops.store.db import Store

FIXTURES = HERE / "fixtures"
START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def vps_project(dest: Path, pusat_data: str = "pusat_data.yaml") -> Path:
    """The minimal fixture inventory (PDs DISKOMINFO and BAPENDA) plus a Pusat Data file."""
    make_project(dest)
    shutil.copyfile(FIXTURES / pusat_data, dest / "inventory" / "pusat_data.yaml")
    return dest


def make_service(project: Path, store_url: str, backend: Backend, clock: FakeClock | None = None) -> VpsService:
    inv = load_inventory(project / "inventory", project / "topology")
    return VpsService(Store(store_url), inv.pusat_data, inv.pds.keys(), backend, clock=clock or FakeClock())


# -- the concurrency test's worker: one separate process per create ---------------------------
SMALL = {"pd": "DISKOMINFO", "purpose": "web", "vcpu": 1, "memory_mib": 256, "disk_gib": 5}
LARGE = {"pd": "BAPENDA", "purpose": "db", "vcpu": 1, "memory_mib": 8192, "disk_gib": 5}
ROUND = [SMALL] * 30 + [LARGE] * 20
EXPECTED = Counter({"ok": 24, "quota": 10, "capacity": 16})  # the one right answer for ROUND (see the fixture)


def create_in_process(pusat: PusatData, pds: list[str], store_url: str, plans: str, index: int, barrier: object,
                      results: object) -> None:
    """Runs in its own process: open the store, wait for every sibling, then create and report the outcome."""
    from netops.provision.backends.dryrun import DryRunBackend
    from netops.provision.errors import CapacityError, QuotaError
    from netops.provision.service import VpsRequest

    ask, go = ROUND[index], time.time()
    store = None
    try:
        store = Store(store_url)
        svc = VpsService(store, pusat, pds, DryRunBackend(Path(plans)))
        req = VpsRequest(os_template="debian-12", request_id=f"req-{index}", **ask)  # type: ignore[arg-type]
        barrier.wait(timeout=60)  # type: ignore[attr-defined]
        go = time.time()
        result = svc.create(req)
        outcome = ("ok", result.vps.name)
    except QuotaError as exc:
        outcome = ("quota", str(exc))
    except CapacityError as exc:
        outcome = ("capacity", str(exc))
    except Exception as exc:
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    retries = store.retries if store else 0
    results.put((index, *outcome, go, time.time(), retries))  # type: ignore[attr-defined]


@dataclass
class Race:
    """One round: (index, outcome, name or message, start, end, retries) per process, and timings."""

    outcomes: list[tuple]  # type: ignore[type-arg]
    race_s: float  # first create started to last one finished
    wall_s: float  # including forking the 50 processes

    @property
    def retries(self) -> int:
        return sum(o[5] for o in self.outcomes)


def race(project: Path, store_url: str, plans: Path) -> Race:
    """50 separate processes meet at a barrier, then create ROUND's VPS at once in one store."""
    from netops.provision.backends.dryrun import DryRunBackend

    parent = make_service(project, store_url, DryRunBackend(plans))  # loads the data, migrates the store
    parent.store.dispose()  # forked children must not share the parent's pooled connections
    ctx = multiprocessing.get_context("fork")  # separate processes; each opens its own connection
    barrier, results = ctx.Barrier(len(ROUND)), ctx.Queue()
    started = time.perf_counter()
    procs = [ctx.Process(target=create_in_process, args=(parent.pusat, sorted(parent.known_pds), store_url,
                                                         str(plans), i, barrier, results))
             for i in range(len(ROUND))]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        if p.exitcode != 0:
            raise RuntimeError(f"race worker {p.pid} exited with {p.exitcode}")
    return Race(sorted(outcomes), max(o[4] for o in outcomes) - min(o[3] for o in outcomes),
                time.perf_counter() - started)
