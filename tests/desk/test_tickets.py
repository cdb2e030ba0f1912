"""Tickets and incidents: the Tier 1 -> Tier 2 flow, one incident per root cause, SLA clocks, the monthly
report, and concurrent updates from parallel processes that lose nothing."""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from netops.cli.main import cli
from netops.models.ticket import Priority
from netops.store import tickets
from netops.store.db import Store


def run(*args: str) -> tuple[int, object]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip().startswith(("{", "[")) else result.output


def test_tier1_to_tier2_flow_on_the_cli(store_url: str):
    code, t = run("ticket", "open", "--pd", "dinsos", "--summary", "Tidak bisa akses Pusat Data", "--reporter",
                  "Budi (Tier 1 Dinsos)", "--priority", "P1", "--json")
    assert code == 0 and t["pd"] == "DINSOS" and t["status"] == "open" and t["tier"] == 1
    code, t = run("ticket", "escalate", str(t["id"]), "--no-diagnosis", "--json")
    assert t["status"] == "escalated" and t["tier"] == 2 and t["responded_at"]
    run("ticket", "assign", str(t["id"]), "andi", "--json")
    run("ticket", "note", str(t["id"]), "--text", "OTDR dispatched", "--json")
    code, t = run("ticket", "resolve", str(t["id"]), "--resolution", "fibre spliced", "--json")
    assert t["status"] == "resolved" and [e["kind"] for e in t["timeline"]] == \
        ["opened", "escalated", "assigned", "note", "resolved"]
    code, out = run("ticket", "resolve", str(t["id"]), "--resolution", "again")
    assert code == 2 and "already resolved" in str(out)


def test_unknown_pd_and_ticket_are_one_line_errors():
    result = CliRunner().invoke(cli, ["ticket", "open", "--pd", "DISDUKCAPI", "--summary", "x"])
    assert result.exit_code == 2 and "DISDUKCAPIL" in result.output
    result = CliRunner().invoke(cli, ["ticket", "show", "999"])
    assert result.exit_code == 2 and "no ticket 999" in result.output


def test_tickets_with_the_same_cause_share_one_incident(store_url: str):
    store = Store(store_url)
    cut = {"verdict": "outage", "cause": "duct:DCT-EP-01", "pds_cut_off": ["DPMPTSP", "MPP"], "message_tier1": "x"}
    ids = [tickets.open_ticket(store, pd, "down", "tier1", Priority.p1).id for pd in ("DPMPTSP", "MPP", "SETWAN")]
    for i in ids:
        tickets.escalate(store, i, cut)
    other = tickets.open_ticket(store, "DINSOS", "slow", "tier1", Priority.p3).id
    tickets.escalate(store, other, {"verdict": "outage", "cause": "fibre:BTM-FO-0099"})
    incidents = tickets.list_incidents(store, open_only=True)
    assert [(i.cause, i.tickets) for i in incidents] == [("duct:DCT-EP-01", ids), ("fibre:BTM-FO-0099", [other])]
    assert incidents[0].pds == ["DPMPTSP", "MPP", "SETWAN"]
    resolved = tickets.resolve_incident(store, incidents[0].id, "duct repaired")
    assert resolved.status.value == "resolved"
    assert all(tickets.get_ticket(store, i).status.value == "resolved" for i in ids)
    assert tickets.get_ticket(store, other).status.value == "escalated"
    # a new cut of the same duct after the repair is a new incident
    again = tickets.open_ticket(store, "MPP", "down again", "tier1", Priority.p1).id
    assert tickets.escalate(store, again, cut).incident_id not in (incidents[0].id, incidents[1].id)


def test_sla_breaches_and_the_monthly_report(store_url: str):
    store = Store(store_url)
    late = tickets.open_ticket(store, "RSUD", "no network", "tier1", Priority.p1).id
    fine = tickets.open_ticket(store, "RSUD", "printer", "tier1", Priority.p4).id
    # both opened 5 h ago, so that both fall in the same month even in the first hours of one
    opened = dt.datetime.now(dt.UTC) - dt.timedelta(hours=5)
    with store.transaction() as conn:
        for ticket in (late, fine):
            conn.execute(text("UPDATE tickets SET opened_at = :at WHERE id = :id"),
                         {"at": opened.isoformat(), "id": ticket})
    t = tickets.get_ticket(store, late)
    assert t.breaches == ["response over 0:15:00", "resolution over 4:00:00"]
    assert tickets.get_ticket(store, fine).breaches == []
    tickets.resolve(store, late, "power restored")
    _, report = run("ticket", "report", "--month", opened.strftime("%Y-%m"), "--json")
    assert report == [{"pd": "RSUD", "opened": 2, "resolved": 1, "breaches": 2,
                       "mean_hours_to_resolve": pytest.approx(5.0, abs=0.05)}]
    _code, listed = run("ticket", "list", "--open", "--json")
    assert [t["id"] for t in listed] == [fine]


def _note_many(url: str, ticket_id: int, worker: int, barrier, retries) -> None:  # type: ignore[no-untyped-def]
    store = Store(url)
    barrier.wait(timeout=30)
    for n in range(5):
        tickets.note(store, ticket_id, f"worker {worker} note {n}")
    if worker == 0:
        tickets.assign(store, ticket_id, "andi")
    retries.send(store.retries)
    retries.close()


def test_concurrent_updates_lose_nothing(store_url: str):
    """12 processes note one ticket at once (and one assigns it): every note lands; on PostgreSQL the
    SERIALIZABLE conflicts are re-run (counted), never lost."""
    store = Store(store_url)
    ticket_id = tickets.open_ticket(store, "DINSOS", "concurrency", "tier1", Priority.p2).id
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(12)
    pipes = [ctx.Pipe(duplex=False) for _ in range(12)]
    procs = [ctx.Process(target=_note_many, args=(store_url, ticket_id, w, barrier, pipes[w][1])) for w in range(12)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
    assert all(p.exitcode == 0 for p in procs)
    retries = sum(reader.recv() for reader, _ in pipes)
    if store_url.startswith("postgresql"):
        assert retries > 0                                  # contention happened and was re-run
    t = tickets.get_ticket(store, ticket_id)
    notes = [e.text for e in t.timeline if e.kind == "note"]
    assert sorted(notes) == sorted(f"worker {w} note {n}" for w in range(12) for n in range(5))
    assert t.assignee == "andi"
