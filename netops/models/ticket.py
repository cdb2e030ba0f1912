"""Service Desk tickets (Art. 40(9): Tier 1 escalates to Tier 2) and incidents that share a root cause."""
from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, Field


class Priority(str, Enum):
    p1 = "P1"      # a PD cut off, or a public service (RSUD, MPP) down
    p2 = "P2"      # a PD degraded or several users down
    p3 = "P3"      # one user or service
    p4 = "P4"      # a question or a request


# (respond within, resolve within): the Dinas' service levels per priority
SLA: dict[Priority, tuple[dt.timedelta, dt.timedelta]] = {
    Priority.p1: (dt.timedelta(minutes=15), dt.timedelta(hours=4)),
    Priority.p2: (dt.timedelta(hours=1), dt.timedelta(hours=8)),
    Priority.p3: (dt.timedelta(hours=4), dt.timedelta(days=1)),
    Priority.p4: (dt.timedelta(hours=8), dt.timedelta(days=3)),
}


class Status(str, Enum):
    open = "open"              # with Tier 1
    escalated = "escalated"    # with Tier 2
    resolved = "resolved"


class Event(BaseModel):
    at: dt.datetime
    actor: str
    kind: str                  # opened, escalated, diagnosis, assigned, note, joined-incident, resolved
    text: str = ""


class Ticket(BaseModel):
    id: int
    pd: str
    summary: str
    reporter: str
    priority: Priority
    status: Status
    tier: int
    assignee: str | None = None
    opened_at: dt.datetime
    responded_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolution: str | None = None
    incident_id: int | None = None
    timeline: list[Event] = Field(default_factory=list)
    breaches: list[str] = Field(default_factory=list)


class Incident(BaseModel):
    id: int
    cause: str
    status: Status
    opened_at: dt.datetime
    resolved_at: dt.datetime | None = None
    pds: list[str] = Field(default_factory=list)
    summary: str = ""
    tickets: list[int] = Field(default_factory=list)


def breaches(t: Ticket, now: dt.datetime) -> list[str]:
    """The SLA clocks this ticket has broken (or is breaking now, while open)."""
    respond, resolve = SLA[t.priority]
    out = []
    responded = t.responded_at or (None if t.status != Status.resolved else t.resolved_at)
    if (responded or now) - t.opened_at > respond:
        out.append(f"response over {respond}")
    if (t.resolved_at or now) - t.opened_at > resolve:
        out.append(f"resolution over {resolve}")
    return out
