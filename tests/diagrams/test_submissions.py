"""Submissions: content-addressed storage, the Art. 21(2) change report, and the overdue list."""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import text

from netops.cli.main import cli
from netops.models.diagram import Verdict
from netops.sources.diagrams import read_diagram_file
from netops.store import submissions as subs
from netops.store.db import Store
from netops.store.snapshots import save_snapshot
from tests.diagrams.conftest import PD, SAMPLES, observe, sample_inventory

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file())


def _received(path: Path) -> dt.datetime:
    """Sample files are named after the day the PD handed them in: 2025-03-10-lan-....yaml."""
    return dt.datetime.strptime(path.name[:10], "%Y-%m-%d").replace(tzinfo=dt.UTC)


def _submit_samples(store: Store) -> None:
    for path in SAMPLE_FILES:
        read = read_diagram_file(path)
        subs.submit(store, pd=path.parent.name, filename=path.name, data=path.read_bytes(), fmt=read.format,
                    diagram=read.diagram, verdict=Verdict.not_checked, findings=[], snapshot_id=None,
                    received_at=_received(path))


def test_same_bytes_are_stored_once_and_never_overwritten(store_url: str) -> None:
    store = Store(store_url)
    path = SAMPLES / PD / "2025-03-10-lan-disdukcapil.yaml"
    _submit_samples(store)
    read = read_diagram_file(path)
    again = subs.submit(store, pd=PD, filename="copy.yaml", data=path.read_bytes(), fmt=read.format,
                        diagram=read.diagram, verdict=Verdict.matches, findings=[], snapshot_id=None)
    with store.transaction() as conn:
        blobs = conn.execute(text("SELECT COUNT(*) FROM diagram_files")).scalar_one()
        rows = conn.execute(text("SELECT COUNT(*) FROM diagram_submissions")).scalar_one()
    assert blobs == len({p.read_bytes() for p in SAMPLE_FILES})
    assert rows == len(SAMPLE_FILES) + 1
    assert subs.stored_file(store, again.sha256) == path.read_bytes()


def test_status_as_of_a_date_flags_overdue_pds(store_url: str) -> None:
    store = Store(store_url)
    _submit_samples(store)
    pds = {code: pd.name for code, pd in sample_inventory().pds.items()}
    rows = {r.pd: r for r in subs.compliance(pds, subs.submissions(store), dt.date(2025, 9, 1), 2025)}
    assert set(rows) == set(pds)
    assert {code for code, r in rows.items() if not r.overdue} == {"DISDUKCAPIL", "BAPENDA", "KEC-BATAMKOTA"}
    assert rows["DPMPTSP"].overdue and rows["DPMPTSP"].last_submission == dt.date(2024, 5, 20)
    assert rows["DISDUKCAPIL"].last_submission == dt.date(2025, 3, 10) and rows["DISDUKCAPIL"].submitted_in_year
    assert rows["SETDA"].overdue and rows["SETDA"].last_submission is None
    on_anniversary = {r.pd: r for r in subs.compliance(pds, subs.submissions(store), dt.date(2026, 3, 10))}
    day_after = {r.pd: r for r in subs.compliance(pds, subs.submissions(store), dt.date(2026, 3, 11))}
    assert not on_anniversary["DISDUKCAPIL"].overdue and day_after["DISDUKCAPIL"].overdue
    before_any = {r.pd: r for r in subs.compliance(pds, subs.submissions(store), dt.date(2024, 1, 1))}
    assert all(r.overdue for r in before_any.values())


def test_cli_submit_history_and_status(store_url: str) -> None:
    store = Store(store_url)
    snapshot_id = save_snapshot(store, observe(sample_inventory(), PD))
    runner = CliRunner()
    old = SAMPLES / PD / "2024-02-12-lan-disdukcapil.csv"
    new = SAMPLES / PD / "2025-03-10-lan-disdukcapil.drawio"
    first = runner.invoke(cli, ["diagram", "submit", str(old), "--pd", PD, "--received", "2024-02-12", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["verdict"] == "findings"   # the 2024 file lacks ap-disdukcapil-021
    second = runner.invoke(cli, ["diagram", "submit", str(new), "--pd", PD, "--received", "2025-03-10", "--json"])
    out = json.loads(second.stdout)
    assert second.exit_code == 0 and out["verdict"] == "matches" and out["snapshot_id"] == snapshot_id
    history = json.loads(runner.invoke(cli, ["diagram", "history", "--pd", PD, "--json"]).stdout)
    changes = history["submissions"][1]["changes"]
    assert changes["devices_added"] == ["ap-disdukcapil-021"] and changes["devices_removed"] == []
    assert changes["links_added"] == ["sw-disdukcapil-02 GigabitEthernet1/1/2 — ap-disdukcapil-021 ether1"]
    assert changes["links_removed"] == []
    status = json.loads(runner.invoke(cli, ["diagram", "status", "--as-of", "2025-09-01", "--json"]).stdout)
    by_pd = {row["pd"]: row for row in status["pds"]}
    assert by_pd[PD] == {"pd": PD, "name": sample_inventory().pds[PD].name, "last_submission": "2025-03-10",
                         "last_verdict": "matches", "findings": 0, "overdue": False, "submitted_in_year": None}
    assert by_pd["DPMPTSP"]["overdue"] and len(by_pd) == len(sample_inventory().pds)


def test_submit_refuses_a_bad_file_and_stores_nothing(store_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "lan.drawio"
    bad.write_text("<mxfile><diagram>")
    result = CliRunner().invoke(cli, ["diagram", "submit", str(bad), "--pd", PD])
    assert result.exit_code == 2 and "not well-formed" in result.stderr
    assert subs.submissions(Store(store_url)) == []


RACERS = 24
RACE_FILES = [SAMPLES / PD / "2025-03-10-lan-disdukcapil.yaml", SAMPLES / PD / "2024-02-12-lan-disdukcapil.csv"]


def _submit_at_once(store_url: str, index: int, barrier: Any, results: Any) -> None:
    """One PD operator's process: read its file, wait for all the others, hand it in."""
    try:
        store = Store(store_url)
        path = RACE_FILES[index % len(RACE_FILES)]
        read = read_diagram_file(path)
        barrier.wait(timeout=60)
        sub = subs.submit(store, pd=PD, filename=f"{index}-{path.name}", data=path.read_bytes(), fmt=read.format,
                          diagram=read.diagram, verdict=Verdict.not_checked, findings=[], snapshot_id=None)
        results.put((index, sub.id, sub.sha256, store.retries))
    except Exception as exc:
        results.put((index, None, f"{type(exc).__name__}: {exc}", 0))


def test_concurrent_hand_ins_of_the_same_bytes_store_one_file(store_url: str) -> None:
    """24 processes hand in 2 distinct files at once: 2 stored files, 24 submissions, none lost.

    On PostgreSQL the first to insert a file wins; the others' SERIALIZABLE transactions fail
    (a unique violation that a concurrent insert caused) and are re-run, finding the file stored.
    """
    Store(store_url).dispose()  # migrate once, before the children fork
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(RACERS), ctx.Queue()
    procs = [ctx.Process(target=_submit_at_once, args=(store_url, i, barrier, results)) for i in range(RACERS)]
    for p in procs:
        p.start()
    outcomes = sorted(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert [o for o in outcomes if o[1] is None] == []
    assert len({o[1] for o in outcomes}) == RACERS
    assert {o[2] for o in outcomes} == {subs.sha256_of(p.read_bytes()) for p in RACE_FILES}
    store = Store(store_url)
    with store.transaction() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM diagram_files")).scalar_one() == len(RACE_FILES)
        assert conn.execute(text("SELECT COUNT(*) FROM diagram_submissions")).scalar_one() == RACERS
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'diagram.submit'")).scalar_one() == RACERS
    for path in RACE_FILES:
        assert subs.stored_file(store, subs.sha256_of(path.read_bytes())) == path.read_bytes()
    retries = sum(o[3] for o in outcomes)
    print(f"\n{store.backend}: {RACERS} concurrent hand-ins, {retries} re-run")
    if store.backend == "postgresql":
        assert retries > 0
