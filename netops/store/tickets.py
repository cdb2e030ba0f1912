"""Tickets, their timeline and incidents in the store; every change is one transaction with its event.

Concurrent updates never lose each other: each change is one unit of work run by `Store.atomic` (SQLite
BEGIN IMMEDIATE; PostgreSQL SERIALIZABLE, re-run when a concurrent writer won), and the timeline is
insert-only.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, column, insert, select, table, update

from netops.errors import InputError, NotFoundError
from netops.models.ticket import Event, Incident, Priority, Status, Ticket, breaches
from netops.store.audit import current_actor, record
from netops.store.db import Store

_tickets = table("tickets", *(column(c) for c in (
    "id", "pd", "summary", "reporter", "priority", "status", "tier", "assignee", "opened_at", "responded_at",
    "resolved_at", "resolution", "incident_id", "diagnosis")))
_events = table("ticket_events", column("id"), column("ticket_id"), column("at"), column("actor"), column("kind"),
                column("text"))
_incidents = table("incidents", column("id"), column("cause"), column("status"), column("opened_at"),
                   column("resolved_at"), column("pds"), column("summary"))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _event(conn: Connection, ticket_id: int, kind: str, text: str = "", at: dt.datetime | None = None) -> None:
    conn.execute(insert(_events).values(ticket_id=ticket_id, at=(at or now()).isoformat(), actor=current_actor(),
                                        kind=kind, text=text))


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _ticket(conn: Connection, ticket_id: int) -> Ticket:
    row = conn.execute(select(_tickets).where(_tickets.c.id == ticket_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no ticket {ticket_id} (see `netops ticket list`)")
    events = conn.execute(select(_events).where(_events.c.ticket_id == ticket_id).order_by(_events.c.id)).mappings().all()
    t = Ticket(id=row["id"], pd=row["pd"], summary=row["summary"], reporter=row["reporter"],
               priority=Priority(row["priority"]), status=Status(row["status"]), tier=row["tier"],
               assignee=row["assignee"], opened_at=_time(row["opened_at"]), responded_at=_time(row["responded_at"]),
               resolved_at=_time(row["resolved_at"]), resolution=row["resolution"], incident_id=row["incident_id"],
               timeline=[Event(at=_time(e["at"]), actor=e["actor"], kind=e["kind"], text=e["text"]) for e in events])
    t.breaches = breaches(t, now())
    return t


def open_ticket(store: Store, pd: str, summary: str, reporter: str, priority: Priority) -> Ticket:
    if not summary.strip():
        raise InputError.of_field("summary", "say what the PD sees")
    def work(conn: Connection) -> Ticket:
        ticket_id = conn.execute(insert(_tickets).values(
            pd=pd, summary=summary.strip(), reporter=reporter, priority=priority.value, status=Status.open.value,
            tier=1, opened_at=now().isoformat()).returning(_tickets.c.id)).scalar_one()
        _event(conn, ticket_id, "opened", f"{priority.value}: {summary.strip()}")
        record(conn, "ticket.open", f"ticket:{ticket_id}", {"pd": pd})
        return _ticket(conn, ticket_id)
    return store.atomic(work)


def get_ticket(store: Store, ticket_id: int) -> Ticket:
    with store.transaction() as conn:
        return _ticket(conn, ticket_id)


def _change(store: Store, ticket_id: int, kind: str, text: str, values: dict[str, Any]) -> Ticket:
    def work(conn: Connection) -> Ticket:
        current = _ticket(conn, ticket_id)
        if current.status == Status.resolved and kind != "note":
            raise InputError.at(f"ticket {ticket_id}", None, "status", "already resolved")
        if values:
            conn.execute(update(_tickets).where(_tickets.c.id == ticket_id).values(**values))
        _event(conn, ticket_id, kind, text)
        record(conn, f"ticket.{kind}", f"ticket:{ticket_id}", {"text": text[:200]})
        return _ticket(conn, ticket_id)
    return store.atomic(work)


def escalate(store: Store, ticket_id: int, diagnosis: dict[str, Any] | None) -> Ticket:
    """To Tier 2, with the diagnosis attached; a ticket whose diagnosis names a cause joins the open
    incident of that cause, or opens it."""
    cause = (diagnosis or {}).get("cause")

    def work(conn: Connection) -> Ticket:
        t = _ticket(conn, ticket_id)
        if t.status == Status.resolved:
            raise InputError.at(f"ticket {ticket_id}", None, "status", "already resolved")
        values: dict[str, Any] = {"status": Status.escalated.value, "tier": 2,
                                  "responded_at": (t.responded_at or now()).isoformat(),
                                  "diagnosis": json.dumps(diagnosis, default=str) if diagnosis else None}
        if cause:
            incident = conn.execute(select(_incidents.c.id, _incidents.c.pds).where(
                (_incidents.c.cause == cause) & (_incidents.c.status != Status.resolved.value))).first()
            pds = sorted(set((diagnosis or {}).get("pds_cut_off") or []) | {t.pd})
            if incident is None:
                incident_id = conn.execute(insert(_incidents).values(
                    cause=cause, status=Status.escalated.value, opened_at=now().isoformat(), pds=json.dumps(pds),
                    summary=(diagnosis or {}).get("message_tier1", "")[:500]).returning(_incidents.c.id)).scalar_one()
            else:
                incident_id = incident[0]
                merged = sorted(set(json.loads(incident[1])) | set(pds))
                conn.execute(update(_incidents).where(_incidents.c.id == incident_id).values(pds=json.dumps(merged)))
            values["incident_id"] = incident_id
        conn.execute(update(_tickets).where(_tickets.c.id == ticket_id).values(**values))
        _event(conn, ticket_id, "escalated", "to Tier 2")
        if diagnosis:
            _event(conn, ticket_id, "diagnosis", f"{diagnosis.get('verdict')}: {cause or 'no fault found'}")
        if cause:
            _event(conn, ticket_id, "joined-incident", f"incident {values['incident_id']}: {cause}")
        record(conn, "ticket.escalate", f"ticket:{ticket_id}", {"cause": cause})
        return _ticket(conn, ticket_id)
    return store.atomic(work)


def assign(store: Store, ticket_id: int, who: str) -> Ticket:
    return _change(store, ticket_id, "assigned", who, {"assignee": who})


def note(store: Store, ticket_id: int, text: str) -> Ticket:
    if not text.strip():
        raise InputError.of_field("text", "empty note")
    return _change(store, ticket_id, "note", text.strip(), {})


def resolve(store: Store, ticket_id: int, resolution: str) -> Ticket:
    if not resolution.strip():
        raise InputError.of_field("resolution", "say what fixed it")
    at = now().isoformat()
    return _change(store, ticket_id, "resolved", resolution.strip(),
                   {"status": Status.resolved.value, "resolved_at": at, "resolution": resolution.strip()})


def list_tickets(store: Store, open_only: bool = False, pd: str | None = None) -> list[Ticket]:
    query = select(_tickets.c.id).order_by(_tickets.c.id)
    if open_only:
        query = query.where(_tickets.c.status != Status.resolved.value)
    if pd:
        query = query.where(_tickets.c.pd == pd)
    with store.transaction() as conn:
        return [_ticket(conn, row[0]) for row in conn.execute(query)]


def _incident(conn: Connection, incident_id: int) -> Incident:
    row = conn.execute(select(_incidents).where(_incidents.c.id == incident_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no incident {incident_id} (see `netops ticket incidents`)")
    members = [r[0] for r in conn.execute(select(_tickets.c.id).where(_tickets.c.incident_id == incident_id))]
    return Incident(id=row["id"], cause=row["cause"], status=Status(row["status"]), opened_at=_time(row["opened_at"]),
                    resolved_at=_time(row["resolved_at"]), pds=json.loads(row["pds"]), summary=row["summary"],
                    tickets=sorted(members))


def list_incidents(store: Store, open_only: bool = False) -> list[Incident]:
    query = select(_incidents.c.id).order_by(_incidents.c.id)
    if open_only:
        query = query.where(_incidents.c.status != Status.resolved.value)
    with store.transaction() as conn:
        return [_incident(conn, row[0]) for row in conn.execute(query)]


def resolve_incident(store: Store, incident_id: int, resolution: str) -> Incident:
    """Resolving the incident resolves every ticket in it, each with its own timeline event."""
    if not resolution.strip():
        raise InputError.of_field("resolution", "say what fixed it")
    at = now().isoformat()

    def work(conn: Connection) -> Incident:
        incident = _incident(conn, incident_id)
        conn.execute(update(_incidents).where(_incidents.c.id == incident_id).values(
            status=Status.resolved.value, resolved_at=at))
        for ticket_id in incident.tickets:
            result = conn.execute(update(_tickets).where((_tickets.c.id == ticket_id)
                                                         & (_tickets.c.status != Status.resolved.value)).values(
                status=Status.resolved.value, resolved_at=at, resolution=resolution.strip()))
            if result.rowcount:
                _event(conn, ticket_id, "resolved", f"with incident {incident_id}: {resolution.strip()}")
        record(conn, "incident.resolve", f"incident:{incident_id}", {"tickets": incident.tickets})
        return _incident(conn, incident_id)
    return store.atomic(work)


def open_incident(store: Store, cause: str, pds: list[str], summary: str) -> Incident:
    """An incident with no ticket yet (opened by the watch); tickets escalated later join it by cause."""
    def work(conn: Connection) -> Incident:
        incident_id = conn.execute(insert(_incidents).values(
            cause=cause, status=Status.escalated.value, opened_at=now().isoformat(), pds=json.dumps(sorted(pds)),
            summary=summary[:500]).returning(_incidents.c.id)).scalar_one()
        record(conn, "incident.open", f"incident:{incident_id}", {"cause": cause})
        return _incident(conn, incident_id)
    return store.atomic(work)
