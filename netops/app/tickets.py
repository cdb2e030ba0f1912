"""Service Desk use cases: open, escalate (a diagnosis attached), assign, note, resolve; incidents; the
monthly report per PD. The CLI and the web call these with the command's Session; results are pydantic."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from netops.app.diagnose import diagnose
from netops.app.session import Session
from netops.config import Config
from netops.errors import InputError
from netops.models.ticket import Incident, Priority, Ticket
from netops.sources.inventory import Inventory
from netops.store import tickets as store_tickets
from netops.store.db import Store


def open_ticket(inv: Inventory, store: Store, pd: str, summary: str, reporter: str, priority: str) -> Ticket:
    code = pd.upper()
    if code not in inv.pds:
        import difflib
        close = difflib.get_close_matches(code, list(inv.pds), n=3, cutoff=0.5)
        raise InputError.of_field("pd", f"unknown PD {pd!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    return store_tickets.open_ticket(store, code, summary, reporter, Priority(priority))


def escalate(config: Config, inv: Inventory, store: Store, ticket_id: int, timeout: float = 1.0,
             diagnose_now: bool = True) -> Ticket:
    """To Tier 2; the PD is diagnosed now and the verdict attached; same cause, same incident."""
    ticket = store_tickets.get_ticket(store, ticket_id)
    found = diagnose(config, inv, store, ticket.pd, timeout=timeout).model_dump(mode="json") if diagnose_now else None
    return store_tickets.escalate(store, ticket_id, found)


class MonthRow(BaseModel):
    pd: str
    opened: int
    resolved: int
    breaches: int
    mean_hours_to_resolve: float | None


def monthly_report(store: Store, month: str) -> list[MonthRow]:
    """Per PD for one month (YYYY-MM): tickets opened, resolved, mean hours to resolve, SLA breaches."""
    try:
        start = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=dt.UTC)
    except ValueError as exc:
        raise InputError.of_field("month", "expected YYYY-MM") from exc
    end = (start + dt.timedelta(days=32)).replace(day=1)
    rows: dict[str, dict[str, Any]] = defaultdict(lambda: {"opened": 0, "resolved": 0, "hours": [], "breaches": 0})
    for t in store_tickets.list_tickets(store):
        if not start <= t.opened_at < end:
            continue
        row = rows[t.pd]
        row["opened"] += 1
        row["breaches"] += len(t.breaches)
        if t.resolved_at:
            row["resolved"] += 1
            row["hours"].append((t.resolved_at - t.opened_at).total_seconds() / 3600)
    return [MonthRow(pd=pd, opened=r["opened"], resolved=r["resolved"], breaches=r["breaches"],
                     mean_hours_to_resolve=round(sum(r["hours"]) / len(r["hours"]), 2) if r["hours"] else None)
            for pd, r in sorted(rows.items())]


def get_ticket(session: Session, ticket_id: int) -> Ticket:
    return store_tickets.get_ticket(session.store, ticket_id)


def assign(session: Session, ticket_id: int, who: str) -> Ticket:
    return store_tickets.assign(session.store, ticket_id, who)


def note(session: Session, ticket_id: int, text: str) -> Ticket:
    return store_tickets.note(session.store, ticket_id, text)


def resolve(session: Session, ticket_id: int, resolution: str) -> Ticket:
    return store_tickets.resolve(session.store, ticket_id, resolution)


def tickets(session: Session, open_only: bool = False, pd: str | None = None) -> list[Ticket]:
    return store_tickets.list_tickets(session.store, open_only, pd.upper() if pd else None)


def incidents(session: Session, open_only: bool = False) -> list[Incident]:
    return store_tickets.list_incidents(session.store, open_only)


def resolve_incident(session: Session, incident_id: int, resolution: str) -> Incident:
    """Resolve an incident and every ticket in it."""
    return store_tickets.resolve_incident(session.store, incident_id, resolution)
