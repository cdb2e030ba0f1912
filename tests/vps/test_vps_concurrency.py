"""50 concurrent creates from separate processes against one store, on SQLite and PostgreSQL.

SQLite: 20 rounds (its write lock taken at BEGIN queues the creates). PostgreSQL: SERIALIZABLE
lets them run at once and refuses the losers, which `Store.atomic` re-runs; each round asserts
that retries happened and that the outcome is still the one the sizing allows. The suite runs
5 rounds on PostgreSQL (about 3 s each); benchmarks/store_bench.py runs 20 and prints the figures.

Every round forks 50 fresh processes (each opens its own connection; the parsed
Pusat Data is inherited, not re-read 50 times) that meet at a barrier and then create at once. One more round
runs the real CLI (`netops vps create`) as 50 subprocesses. Invariants checked every round:
no duplicate name, IP or MAC; no host over capacity; no quota exceeded; every process got its
VPS or a quota/capacity refusal (none lost), in exactly the numbers the sizing allows.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from vps_helpers import EXPECTED, ROUND, make_service, race, vps_project

from netops.models.vps import Resources
from netops.provision.backends.dryrun import DryRunBackend

ROUNDS = {"sqlite": 20, "postgresql": 5}
PROCS = len(ROUND)


@pytest.fixture(scope="module")
def figures() -> Iterator[dict[str, list[tuple[float, float, int]]]]:
    """(race seconds, round seconds, retries) per round and backend; printed at the end (pytest -s)."""
    rows: dict[str, list[tuple[float, float, int]]] = {}
    yield rows
    for backend, runs in rows.items():
        races, walls = [r[0] for r in runs], [r[1] for r in runs]
        print(f"\n{backend}: {len(runs)} rounds x {PROCS} processes: race median {statistics.median(races):.2f}s "
              f"(max {max(races):.2f}s), {EXPECTED['ok'] / statistics.median(races):.0f} creates/s and "
              f"{PROCS / statistics.median(races):.0f} requests/s; whole round incl. process start median "
              f"{statistics.median(walls):.2f}s; retries per round {[r[2] for r in runs]}")


def check_register(project: Path, store_url: str, plans: Path, outcomes: list[tuple]) -> None:
    svc = make_service(project, store_url, DryRunBackend(plans))
    live = svc.list(include_decommissioned=False)
    assert len({v.name for v in live}) == len({str(v.ip) for v in live}) == len({v.mac for v in live}) == len(live)
    for host in svc.pusat.hosts:
        used = sum((v.size for v in live if v.host == host.name), Resources())
        assert used.fits_in(host.capacity()), f"{host.name} over capacity: {used}"
    for pd in ("DISKOMINFO", "BAPENDA"):
        quota = svc.pusat.quota_for(pd)
        mine = [v for v in live if v.pd == pd]
        assert sum((v.size for v in mine), Resources()).fits_in(quota.limit()) and len(mine) <= quota.vps
    ok_names = sorted(o[2] for o in outcomes if o[1] == "ok")
    assert ok_names == sorted(v.name for v in live)  # every success is registered, nothing extra
    assert Counter(o[1] for o in outcomes) == EXPECTED, Counter(o[1] for o in outcomes)
    assert {ROUND[o[0]]["pd"] for o in outcomes if o[1] == "quota"} == {"DISKOMINFO"}
    assert {ROUND[o[0]]["pd"] for o in outcomes if o[1] == "capacity"} == {"BAPENDA"}


@pytest.mark.slow
@pytest.mark.parametrize(("store_url", "round_no"),
                         [(backend, n) for backend, rounds in ROUNDS.items() for n in range(rounds)], indirect=["store_url"])
def test_fifty_processes_allocate_without_races(round_no: int, tmp_path: Path, store_url: str,
                                                figures: dict[str, list[tuple[float, float, int]]]) -> None:
    project = vps_project(tmp_path / "p", "pusat_data_concurrency.yaml")
    plans = tmp_path / "plans"
    result = race(project, store_url, plans)
    backend = store_url.partition(":")[0].partition("+")[0]
    figures.setdefault(backend, []).append((result.race_s, result.wall_s, result.retries))
    errors = [o for o in result.outcomes if o[1] == "error"]
    assert not errors, errors
    assert [o[0] for o in result.outcomes] == list(range(PROCS))
    check_register(project, store_url, plans, result.outcomes)
    if backend == "postgresql":  # SERIALIZABLE refused some of the 50 at once, and they were re-run
        assert result.retries > 0


@pytest.mark.slow
def test_fifty_cli_processes(tmp_path: Path, store_url: str) -> None:
    """The same race through the real command line: 50 `netops vps create` subprocesses."""
    project = vps_project(tmp_path / "p", "pusat_data_concurrency.yaml")
    plans = tmp_path / "plans"
    make_service(project, store_url, DryRunBackend(plans))
    env = {**os.environ, "NETOPS_CONFIG": str(project / "netops.yaml"), "NETOPS_STORE": store_url,
           "NETOPS_VPS_PLANS": str(plans), "NETOPS_VPS_BACKEND": "dryrun"}
    netops = [sys.executable, "-m", "netops"]
    started = time.perf_counter()
    procs = []
    for i, ask in enumerate(ROUND):
        args = [*netops, "vps", "create", "--pd", ask["pd"], "--purpose", ask["purpose"], "--vcpu", str(ask["vcpu"]),
                "--memory", f"{ask['memory_mib']}M", "--disk", f"{ask['disk_gib']}G", "--os", "debian-12",
                "--request-id", f"cli-{i}", "--json"]
        procs.append(subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outcomes = []
    for i, proc in enumerate(procs):
        out, err = proc.communicate(timeout=300)
        if proc.returncode == 0:
            vps = json.loads(out)["vps"]
            outcomes.append((i, "ok", vps["name"], vps["ip"], vps["host"]))
        else:
            assert proc.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, err
            kind = "quota" if "quota of PD" in err else "capacity" if "no hypervisor host has room" in err else err
            outcomes.append((i, kind, err.strip(), "", ""))
    wall = time.perf_counter() - started
    print(f"\nCLI round: 50 processes in {wall:.2f}s, {24 / wall:.1f} creates/s")
    check_register(project, store_url, plans, outcomes)
