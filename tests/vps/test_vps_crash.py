"""kill -9 of a writer mid-transaction loses nothing and leaves nothing half-written (both backends).

A killed SQLite writer drops its lock with its file descriptors; a killed PostgreSQL client's
server backend sees the socket close and rolls back. Either way the next writer goes on at once,
every create that was reported committed is in the register, and no row of an unfinished one is.
"""
from __future__ import annotations

import multiprocessing
import os
import select
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import text
from store_helpers import dump
from vps_helpers import make_service, vps_project

from netops.models.vps import PusatData
from netops.provision.backends.dryrun import DryRunBackend
from netops.provision.service import VpsRequest, VpsService
from netops.store import vps_register
from netops.store.db import Store


def ask(request_id: str) -> VpsRequest:
    return VpsRequest(pd="BAPENDA", purpose="web", vcpu=1, memory_mib=256, disk_gib=5, os_template="debian-12",
                      request_id=request_id)


def _create_and_hang(pusat: PusatData, pds: list[str], store_url: str, plans: str, fd: int) -> None:
    """A create whose rows are written but not committed when the process is killed."""
    real_insert = vps_register.insert

    def insert_then_hang(conn: Any, record: dict[str, Any], pool: str, ip: Any, vlan: int) -> None:
        real_insert(conn, record, pool, ip, vlan)
        os.write(fd, f"{record.name} {ip}".encode())
        time.sleep(120)

    vps_register.insert = insert_then_hang  # type: ignore[assignment]  # this forked child only
    VpsService(Store(store_url), pusat, pds, DryRunBackend(Path(plans))).create(ask("hangs"))


def test_writer_killed_mid_transaction_leaves_nothing_behind(tmp_path: Path, store_url: str) -> None:
    project, plans = vps_project(tmp_path / "p", "pusat_data_concurrency.yaml"), tmp_path / "plans"
    svc = make_service(project, store_url, DryRunBackend(plans))
    kept = svc.create(ask("kept")).vps
    before = dump(store_url)
    svc.store.dispose()
    read_end, write_end = os.pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_create_and_hang, args=(svc.pusat, sorted(svc.known_pds), store_url, str(plans), write_end))
    child.start()
    ready, _, _ = select.select([read_end], [], [], 60)
    assert ready, "the writer never reached the middle of its transaction"
    name, ip = os.read(read_end, 200).decode().split()
    os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    assert dump(store_url) == before  # nothing of the unfinished create, everything committed before it
    started = time.perf_counter()
    again = make_service(project, store_url, DryRunBackend(plans)).create(ask("after"))
    assert time.perf_counter() - started < 10  # no lock left behind by the dead writer
    assert (again.vps.name, str(again.vps.ip)) == (name, ip)  # its name and address were never taken
    assert kept.name != again.vps.name


WORKERS, CREATES, KILLED = 6, 6, 3


def _create_many(pusat: PusatData, pds: list[str], store_url: str, plans: str, index: int, fd: int) -> None:
    """Reports each create on its own pipe once committed (a shared queue's lock dies with a killed writer).

    A writer meant to be killed paces its creates after the second, so the kill always finds it alive
    (a fast writer could otherwise finish all its creates before the parent reads its pipe)."""
    svc = VpsService(Store(store_url), pusat, pds, DryRunBackend(Path(plans)))
    for n in range(CREATES):
        os.write(fd, (svc.create(ask(f"w{index}-{n}")).vps.name + "\n").encode())
        if index < KILLED and n >= 1:
            time.sleep(0.3)


def test_writers_killed_at_random_lose_no_committed_create(tmp_path: Path, store_url: str) -> None:
    project, plans = vps_project(tmp_path / "p", "pusat_data_concurrency.yaml"), tmp_path / "plans"
    parent = make_service(project, store_url, DryRunBackend(plans))
    parent.store.dispose()
    ctx = multiprocessing.get_context("fork")
    pipes = [os.pipe() for _ in range(WORKERS)]
    procs = [ctx.Process(target=_create_many, args=(parent.pusat, sorted(parent.known_pds), store_url, str(plans),
                                                    i, pipes[i][1])) for i in range(WORKERS)]
    for p in procs:
        p.start()
    for _, write_end in pipes:
        os.close(write_end)  # each pipe ends (EOF) when its writer exits or is killed
    reported: dict[int, list[str]] = {i: [] for i in range(WORKERS)}
    open_ends = {read_end: i for i, (read_end, _) in enumerate(pipes)}
    deadline = time.monotonic() + 180
    while open_ends and time.monotonic() < deadline:
        ready, _, _ = select.select(list(open_ends), [], [], 5)
        for read_end in ready:
            i = open_ends[read_end]
            chunk = os.read(read_end, 4096).decode()
            if not chunk:
                del open_ends[read_end]
                os.close(read_end)
                continue
            reported[i] += chunk.split()
            if i < KILLED and len(reported[i]) >= 2 and procs[i].exitcode is None:
                os.kill(procs[i].pid, signal.SIGKILL)  # type: ignore[arg-type]  # right after its 2nd commit
    for p in procs:
        p.join(timeout=60)
    assert not open_ends, "writers still running after 180 s"
    assert [p.exitcode for p in procs] == [-signal.SIGKILL] * KILLED + [0] * (WORKERS - KILLED)
    names = [name for i in reported for name in reported[i]]
    live = {v.name: v for v in make_service(project, store_url, DryRunBackend(plans)).list()}
    assert set(names) <= set(live)  # every reported create survived
    assert len(live) - len(names) <= KILLED  # at most one committed-but-unreported per killed writer
    assert len({v.ip for v in live.values()}) == len({v.mac for v in live.values()}) == len(live)
    with Store(store_url).transaction() as conn:
        ips = Counter(r[0] for r in conn.execute(text("SELECT vps_id FROM vps_ip")))
        audited = Counter(r[0] for r in conn.execute(text("SELECT subject FROM audit_log WHERE action = 'vps.create'")))
    assert sorted(ips.values()) == [1] * len(live)  # every VPS has its address row, no orphan address
    assert audited == Counter(set(live))  # and exactly one audit record, none for a rolled-back create
