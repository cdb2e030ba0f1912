"""How a person reads the Service Desk: a ticket with its timeline, lists with SLA breaches first."""
from __future__ import annotations

from netops.app.tickets import MonthRow
from netops.models.ticket import Incident, Ticket
from netops.report.output import console, shown, table


def print_ticket(t: Ticket) -> None:
    console.print(f"[bold]ticket {t.id}[/bold] {shown(t.pd)} {t.priority.value} {t.status.value} "
                  f"tier {t.tier}{' incident ' + str(t.incident_id) if t.incident_id else ''}: {shown(t.summary)}")
    for b in t.breaches:
        console.print(f"  [red]SLA breach[/red] {shown(b)}")
    console.print(table("Timeline", ["at", "who", "what", "text"],
                        [(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.kind, e.text) for e in t.timeline]))


def print_tickets(rows: list[Ticket]) -> None:
    rows = sorted(rows, key=lambda t: (not t.breaches, t.priority.value, t.id))
    console.print(table(f"{len(rows)} ticket(s)", ["id", "PD", "prio", "status", "tier", "incident", "SLA", "summary"],
                        [(t.id, t.pd, t.priority.value, t.status.value, t.tier, t.incident_id or "",
                          "; ".join(t.breaches), t.summary[:60]) for t in rows]))


def print_incidents(rows: list[Incident]) -> None:
    console.print(table("Incidents", ["id", "cause", "status", "opened", "PDs", "tickets"],
                        [(i.id, i.cause, i.status.value, f"{i.opened_at:%Y-%m-%d %H:%M}", ", ".join(i.pds),
                          ", ".join(map(str, i.tickets))) for i in rows]))


def print_month(month: str, rows: list[MonthRow]) -> None:
    console.print(table(f"Service Desk {month}", ["PD", "opened", "resolved", "mean h to resolve", "SLA breaches"],
                        [(r.pd, r.opened, r.resolved, r.mean_hours_to_resolve or "", r.breaches) for r in rows]))
