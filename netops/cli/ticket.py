"""`netops ticket`: Tier 1 opens, Tier 2 escalates (with a diagnosis), notes, assigns, resolves; incidents."""
from __future__ import annotations

import click

from netops.cli.context import AppContext, pass_app
from netops.models.ticket import Priority, Ticket
from netops.report.output import console, emit_json, shown, table

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _show(t: Ticket, as_json: bool) -> None:
    if as_json:
        emit_json(t.model_dump(mode="json"))
        return
    console.print(f"[bold]ticket {t.id}[/bold] {shown(t.pd)} {t.priority.value} {t.status.value} "
                  f"tier {t.tier}{' incident ' + str(t.incident_id) if t.incident_id else ''}: {shown(t.summary)}")
    for b in t.breaches:
        console.print(f"  [red]SLA breach[/red] {shown(b)}")
    console.print(table("Timeline", ["at", "who", "what", "text"],
                        [(e.at.strftime("%Y-%m-%d %H:%M:%S"), shown(e.actor), e.kind, shown(e.text)) for e in t.timeline]))


@click.group("ticket")
def command() -> None:
    """Service Desk tickets (Perwali Art. 40(9)) and the incidents that group them by root cause."""


@command.command("open")
@click.option("--pd", required=True, help="The PD reporting (its code).")
@click.option("--summary", required=True, help="What the PD sees, in its words.")
@click.option("--reporter", default="tier1", show_default=True, help="Who called.")
@click.option("--priority", type=click.Choice([p.value for p in Priority]), default="P3", show_default=True)
@json_option
@pass_app
def open_cmd(app: AppContext, pd: str, summary: str, reporter: str, priority: str, as_json: bool) -> None:
    """Tier 1 opens a ticket for a PD."""
    from netops.app.tickets import open_ticket
    _show(open_ticket(app.inventory, app.store, pd, summary, reporter, priority), as_json)


@command.command("escalate")
@click.argument("ticket_id", type=int)
@click.option("--no-diagnosis", is_flag=True, help="Escalate without checking the network now.")
@click.option("--timeout", default=1.0, show_default=True, type=click.FloatRange(0.2, 10))
@json_option
@pass_app
def escalate_cmd(app: AppContext, ticket_id: int, no_diagnosis: bool, timeout: float, as_json: bool) -> None:
    """To Tier 2: diagnose the PD now, attach the verdict, group with the incident of the same cause."""
    from netops.app.tickets import escalate
    _show(escalate(app.config, app.inventory, app.store, ticket_id, timeout, not no_diagnosis), as_json)


@command.command("assign")
@click.argument("ticket_id", type=int)
@click.argument("who")
@json_option
@pass_app
def assign_cmd(app: AppContext, ticket_id: int, who: str, as_json: bool) -> None:
    """Give the ticket to an engineer."""
    from netops.store.tickets import assign
    _show(assign(app.store, ticket_id, who), as_json)


@command.command("note")
@click.argument("ticket_id", type=int)
@click.option("--text", required=True)
@json_option
@pass_app
def note_cmd(app: AppContext, ticket_id: int, text: str, as_json: bool) -> None:
    """Add a line to the ticket's timeline."""
    from netops.store.tickets import note
    _show(note(app.store, ticket_id, text), as_json)


@command.command("resolve")
@click.argument("ticket_id", type=int)
@click.option("--resolution", required=True)
@json_option
@pass_app
def resolve_cmd(app: AppContext, ticket_id: int, resolution: str, as_json: bool) -> None:
    """Close the ticket with what fixed it."""
    from netops.store.tickets import resolve
    _show(resolve(app.store, ticket_id, resolution), as_json)


@command.command("show")
@click.argument("ticket_id", type=int)
@json_option
@pass_app
def show_cmd(app: AppContext, ticket_id: int, as_json: bool) -> None:
    """One ticket with its timeline and SLA breaches."""
    from netops.store.tickets import get_ticket
    _show(get_ticket(app.store, ticket_id), as_json)


@command.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only tickets not resolved.")
@click.option("--pd", help="Only this PD's tickets.")
@json_option
@pass_app
def list_cmd(app: AppContext, open_only: bool, pd: str | None, as_json: bool) -> None:
    """Tickets, SLA breaches first."""
    from netops.store.tickets import list_tickets
    rows = list_tickets(app.store, open_only, pd.upper() if pd else None)
    if as_json:
        emit_json([t.model_dump(mode="json") for t in rows])
        return
    rows.sort(key=lambda t: (not t.breaches, t.priority.value, t.id))
    console.print(table(f"{len(rows)} ticket(s)", ["id", "PD", "prio", "status", "tier", "incident", "SLA", "summary"],
                        [(t.id, t.pd, t.priority.value, t.status.value, t.tier, t.incident_id or "",
                          shown("; ".join(t.breaches)), shown(t.summary[:60])) for t in rows]))


@command.command("incidents")
@click.option("--open", "open_only", is_flag=True)
@json_option
@pass_app
def incidents_cmd(app: AppContext, open_only: bool, as_json: bool) -> None:
    """Incidents: tickets whose diagnoses share a root cause."""
    from netops.store.tickets import list_incidents
    rows = list_incidents(app.store, open_only)
    if as_json:
        emit_json([i.model_dump(mode="json") for i in rows])
        return
    console.print(table("Incidents", ["id", "cause", "status", "opened", "PDs", "tickets"],
                        [(i.id, shown(i.cause), i.status.value, f"{i.opened_at:%Y-%m-%d %H:%M}", shown(", ".join(i.pds)),
                          ", ".join(map(str, i.tickets))) for i in rows]))


@command.command("resolve-incident")
@click.argument("incident_id", type=int)
@click.option("--resolution", required=True)
@json_option
@pass_app
def resolve_incident_cmd(app: AppContext, incident_id: int, resolution: str, as_json: bool) -> None:
    """Resolve an incident and every ticket in it."""
    from netops.store.tickets import resolve_incident
    incident = resolve_incident(app.store, incident_id, resolution)
    if as_json:
        emit_json(incident.model_dump(mode="json"))
    else:
        console.print(f"incident {incident.id} resolved with tickets {', '.join(map(str, incident.tickets))}")


@command.command("report")
@click.option("--month", required=True, help="YYYY-MM")
@json_option
@pass_app
def report_cmd(app: AppContext, month: str, as_json: bool) -> None:
    """Per PD for one month: tickets, resolved, mean hours to resolve, SLA breaches."""
    from netops.app.tickets import monthly_report
    rows = monthly_report(app.store, month)
    if as_json:
        emit_json(rows)
        return
    console.print(table(f"Service Desk {month}", ["PD", "opened", "resolved", "mean h to resolve", "SLA breaches"],
                        [(r["pd"], r["opened"], r["resolved"], r["mean_hours_to_resolve"] or "", r["breaches"]) for r in rows]))
