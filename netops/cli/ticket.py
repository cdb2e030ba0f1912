"""`netops ticket`: Tier 1 opens, Tier 2 escalates (with a diagnosis), notes, assigns, resolves; incidents."""
from __future__ import annotations

import click

from netops.app import tickets as app_tickets
from netops.cli.context import AppContext, pass_app
from netops.models.ticket import Priority, Ticket
from netops.report import ticket_view as view
from netops.report.output import console, emit_json

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _show(t: Ticket, as_json: bool) -> None:
    emit_json(t.model_dump(mode="json")) if as_json else view.print_ticket(t)


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
    _show(app_tickets.open_ticket(app.inventory, app.store, pd, summary, reporter, priority), as_json)


@command.command("escalate")
@click.argument("ticket_id", type=int)
@click.option("--no-diagnosis", is_flag=True, help="Escalate without checking the network now.")
@click.option("--timeout", default=1.0, show_default=True, type=click.FloatRange(0.2, 10))
@json_option
@pass_app
def escalate_cmd(app: AppContext, ticket_id: int, no_diagnosis: bool, timeout: float, as_json: bool) -> None:
    """To Tier 2: diagnose the PD now, attach the verdict, group with the incident of the same cause."""
    _show(app_tickets.escalate(app.config, app.inventory, app.store, ticket_id, timeout, not no_diagnosis), as_json)


def _change(name: str, doc: str, argument: str | None, option: str | None) -> None:
    """assign / note / resolve: one ticket, one value, the ticket shown after the change."""
    action = {"assign": app_tickets.assign, "note": app_tickets.note, "resolve": app_tickets.resolve}[name]

    @command.command(name, help=doc)
    @click.argument("ticket_id", type=int)
    @json_option
    @pass_app
    def run(app: AppContext, ticket_id: int, as_json: bool, value: str) -> None:
        _show(action(app, ticket_id, value), as_json)

    param = click.Argument([argument]) if argument else click.Option([f"--{option}"], required=True)
    param.name = "value"
    run.params.insert(1, param)


_change("assign", "Give the ticket to an engineer.", "who", None)
_change("note", "Add a line to the ticket's timeline.", None, "text")
_change("resolve", "Close the ticket with what fixed it.", None, "resolution")


@command.command("show")
@click.argument("ticket_id", type=int)
@json_option
@pass_app
def show_cmd(app: AppContext, ticket_id: int, as_json: bool) -> None:
    """One ticket with its timeline and SLA breaches."""
    _show(app_tickets.get_ticket(app, ticket_id), as_json)


@command.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only tickets not resolved.")
@click.option("--pd", help="Only this PD's tickets.")
@json_option
@pass_app
def list_cmd(app: AppContext, open_only: bool, pd: str | None, as_json: bool) -> None:
    """Tickets, SLA breaches first."""
    rows = app_tickets.tickets(app, open_only, pd)
    emit_json([t.model_dump(mode="json") for t in rows]) if as_json else view.print_tickets(rows)


@command.command("incidents")
@click.option("--open", "open_only", is_flag=True)
@json_option
@pass_app
def incidents_cmd(app: AppContext, open_only: bool, as_json: bool) -> None:
    """Incidents: tickets whose diagnoses share a root cause."""
    rows = app_tickets.incidents(app, open_only)
    emit_json([i.model_dump(mode="json") for i in rows]) if as_json else view.print_incidents(rows)


@command.command("resolve-incident")
@click.argument("incident_id", type=int)
@click.option("--resolution", required=True)
@json_option
@pass_app
def resolve_incident_cmd(app: AppContext, incident_id: int, resolution: str, as_json: bool) -> None:
    """Resolve an incident and every ticket in it."""
    incident = app_tickets.resolve_incident(app, incident_id, resolution)
    emit_json(incident.model_dump(mode="json")) if as_json else \
        console.print(f"incident {incident.id} resolved with tickets {', '.join(map(str, incident.tickets))}")


@command.command("report")
@click.option("--month", required=True, help="YYYY-MM")
@json_option
@pass_app
def report_cmd(app: AppContext, month: str, as_json: bool) -> None:
    """Per PD for one month: tickets opened, resolved, mean hours to resolve, SLA breaches."""
    rows = app_tickets.monthly_report(app.store, month)
    emit_json([r.model_dump(mode="json") for r in rows]) if as_json else view.print_month(month, rows)
