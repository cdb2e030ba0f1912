"""`netops diagram`: PD LAN diagrams checked against the network, submitted, tracked (Perwali Art. 20(2), 21).

Exit codes of `validate`: 0 the diagram matches, 1 findings, 2 unreadable input (or no sweep to
compare with).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from netops.app import diagrams as app_diagrams
from netops.cli.context import AppContext, pass_app
from netops.report import diagram_view as view
from netops.report.i18n import LANGS
from netops.report.output import emit_json
from netops.report.progress import sweep_progress

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


@click.group("diagram")
def command() -> None:
    """PD LAN diagrams: validate against the network, submit yearly, track changes and who is overdue."""


@command.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--pd", "pd_code", required=True, help="The PD whose LAN this is (code, e.g. DISDUKCAPIL).")
@click.option("--against", help="Snapshot id, or `live` for a fresh sweep of the PD (default: latest snapshot).")
@json_option
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the HTML report here.")
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True, help="Language of the report.")
@pass_app
def validate(app: AppContext, file: str, pd_code: str, against: str | None, as_json: bool, html_out: Path | None,
             lang: str) -> None:
    """Compare a diagram with what the PD's devices see; exit 0 matches, 1 findings, 2 unreadable."""
    with sweep_progress(transient=True) as progress:
        report = app_diagrams.validate_diagram(app, file, pd_code, against, html_out, lang, progress)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_validate(report)
    sys.exit(1 if report.findings else 0)


@command.command("submit")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--pd", "pd_code", required=True, help="The PD handing the diagram in.")
@click.option("--against", help="Snapshot id or `live` (default: the latest snapshot, if it covers the PD).")
@click.option("--received", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="When the PD handed it in, if not now (e.g. a letter received last week).")
@json_option
@pass_app
def submit(app: AppContext, file: str, pd_code: str, against: str | None, received: dt.datetime | None,
           as_json: bool) -> None:
    """Store a PD's diagram (content-addressed, never overwritten) with who, when and its check result."""
    with sweep_progress(transient=True) as progress:
        sub = app_diagrams.submit_file(app, file, pd_code, against, received, progress)
    emit_json(sub.model_dump(mode="json")) if as_json else view.print_submit(sub)


@command.command("history")
@click.option("--pd", "pd_code", required=True)
@json_option
@pass_app
def history(app: AppContext, pd_code: str, as_json: bool) -> None:
    """Every submission of a PD and what changed since the one before (Art. 21(2) change report)."""
    report = app_diagrams.diagram_history(app, pd_code)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_history(report)


@command.command("status")
@click.option("--year", type=int, help="Also say whether each PD submitted during this year.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="The date to judge on (default: today, or 31 December of --year if that is earlier).")
@json_option
@pass_app
def status(app: AppContext, year: int | None, as_of: dt.datetime | None, as_json: bool) -> None:
    """Every PD with its last submission, last verdict, and overdue (none in the 12 months before the date)."""
    report = app_diagrams.diagram_status(app, year, as_of.date() if as_of else None)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_status(report)


@command.command("schema")
@click.option("--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
def schema(output: str | None) -> None:
    """The JSON Schema of netops YAML/JSON diagrams (regenerates schemas/lan-diagram.schema.json)."""
    text = app_diagrams.diagram_json_schema()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
