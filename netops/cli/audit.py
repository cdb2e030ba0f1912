"""`netops audit report|list`: the Art. 42 infrastructure audit as HTML and PDF, and the reports kept."""
from __future__ import annotations

from pathlib import Path

import click

from netops.cli.context import AppContext, pass_app
from netops.report.output import console, emit_json, table

FORMATS = ("html", "pdf")


@click.group("audit")
def command() -> None:
    """The infrastructure audit report (Perwali Art. 42), with the evidence behind every figure."""


@command.command("report")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write audit-<id>.html / .pdf into.")
@click.option("--format", "formats", default="html,pdf", show_default=True,
              help="Comma-separated: html, pdf.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--since", type=int, help="A previous report's id: say what changed since.")
@click.option("--json", "as_json", is_flag=True, help="Print the report's figures as JSON.")
@pass_app
def report_cmd(app: AppContext, out_dir: Path, formats: str, lang: str, since: int | None, as_json: bool) -> None:
    """Build the report from the latest sweep, the inventory, diagrams, VPS and backups; store it."""
    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    from netops.app.audit import build_audit
    from netops.report.audit_html import write_audit
    built = build_audit(app.config, app.inventory, app.store, lang, since)
    written = write_audit(built, out_dir, chosen)
    if as_json:
        emit_json({**built.report.model_dump(mode="json"), "files": [str(p) for p in written]})
        return
    counts = {s: sum(1 for f in built.report.findings if f.severity.value == s) for s in ("high", "medium", "low")}
    console.print(f"audit report #{built.report.id}: {counts['high']} high, {counts['medium']} medium, "
                  f"{counts['low']} low findings")
    for path in written:
        console.print(f"  {path}", highlight=False)


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def list_cmd(app: AppContext, as_json: bool) -> None:
    """Stored audit reports, newest first."""
    from netops.app.audit import stored_reports
    rows = stored_reports(app)
    if as_json:
        emit_json([r.model_dump(mode="json") for r in rows])
        return
    console.print(table("Audit reports", ["id", "generated", "by", "lang"],
                        [(r.id, r.generated_at, r.actor, r.lang) for r in rows]))
