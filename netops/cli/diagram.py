"""`netops diagram`: PD LAN diagrams checked against the network, submitted, tracked (Perwali Art. 20(2), 21).

Exit codes of `validate`: 0 the diagram matches, 1 findings, 2 unreadable input (or no sweep to
compare with).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from rich.progress import Progress, TaskID

from netops.analysis.diagram_check import DiagramCheck, check_diagram, diagram_changes
from netops.app.diagrams import covers
from netops.cli.context import AppContext, pass_app
from netops.collect.base import CollectResult
from netops.errors import InputError, NotFoundError
from netops.files import write_private
from netops.models.diagram import LanDiagram, Verdict
from netops.models.observation import Snapshot
from netops.report.diagram_html import ReportInput, render_html
from netops.report.i18n import LANGS, t
from netops.report.output import console, emit_json, err_console, shown, table
from netops.sources.diagrams import DiagramRead, load_bytes, read_diagram
from netops.store import submissions as subs
from netops.store.snapshots import latest_snapshot, load_snapshot, save_snapshot

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "lan-diagram.schema.json"


def diagram_json_schema() -> str:
    """The JSON Schema PDs' editors use for netops YAML/JSON diagrams (committed as SCHEMA_PATH)."""
    schema = LanDiagram.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netops PD LAN diagram"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


@click.group("diagram")
def command() -> None:
    """PD LAN diagrams: validate against the network, submit yearly, track changes and who is overdue."""


class _RichSweepProgress:
    def __init__(self, progress: Progress):
        self.progress, self.tasks = progress, {}  # type: ignore[var-annotated]

    def start(self, collector: str, total: int) -> None:
        self.tasks[collector] = self.progress.add_task(f"sweep {collector}", total=total)

    def advance(self, collector: str, result: CollectResult) -> None:
        task: TaskID = self.tasks[collector]
        self.progress.advance(task)


def _pd(app: AppContext, code: str) -> str:
    code = code.upper()
    if code not in app.inventory.pds:
        raise InputError.at("--pd", None, "pd", f"unknown PD {code} (see `netops inventory list`)")
    return code


def _read(app: AppContext, path: str, pd_code: str, data: bytes) -> tuple[str, DiagramRead]:
    """The file first (a bad file fails fast, before the inventory is loaded), then the PD."""
    read = read_diagram(data, path)
    pd = _pd(app, pd_code)
    if read.diagram.pd and read.diagram.pd.upper() != pd:
        raise InputError.at(path, None, "pd", f"the file is the diagram of {read.diagram.pd}, not of {pd}")
    return pd, read


def _snapshot(app: AppContext, pd: str, against: str | None, required: bool) -> Snapshot | None:
    """The sweep to compare with: an id, a fresh sweep of the PD (`live`), or the latest stored."""
    if against == "live":
        from netops.collect.sweep import SweepRequest, sweep
        with Progress(console=err_console, transient=True) as progress:
            fresh = sweep(app.config, app.inventory, SweepRequest(pds=(pd,)), progress=_RichSweepProgress(progress))
        return fresh.model_copy(update={"id": save_snapshot(app.store, fresh)})
    if against is not None:
        if not against.isdigit():
            raise InputError.at("--against", None, "against", "give a snapshot id or `live`")
        snapshot: Snapshot | None = load_snapshot(app.store, int(against))
    else:
        snapshot = latest_snapshot(app.store)
    if snapshot is None or not covers(snapshot, app.inventory, pd):
        if not required:
            return None
        which = f"snapshot {snapshot.id}" if snapshot else "the store"
        raise NotFoundError(f"{which} has no sweep of {pd}'s devices: run `netops sweep --pd {pd}` "
                            "or use --against live")
    return snapshot


def _check(app: AppContext, read: DiagramRead, pd: str, snapshot: Snapshot) -> DiagramCheck:
    return check_diagram(read.diagram, pd, app.inventory.devices, snapshot)


def _against_text(snapshot: Snapshot, lang: str) -> str:
    return t("diagram.snapshot", lang, id=snapshot.id, at=snapshot.finished_at.strftime("%Y-%m-%d %H:%M UTC"))


@command.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--pd", "pd_code", required=True, help="The PD whose LAN this is (code, e.g. DISDUKCAPIL).")
@click.option("--against", help="Snapshot id, or `live` for a fresh sweep of the PD (default: latest snapshot).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="Also write the HTML report here.")
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True, help="Language of the report.")
@pass_app
def validate(app: AppContext, file: str, pd_code: str, against: str | None, as_json: bool, html_out: str | None,
             lang: str) -> None:
    """Compare a diagram with what the PD's devices see; exit 0 matches, 1 findings, 2 unreadable."""
    pd, read = _read(app, file, pd_code, load_bytes(Path(file)))
    snapshot = _snapshot(app, pd, against, required=True)
    assert snapshot is not None
    check = _check(app, read, pd, snapshot)
    if html_out:
        report = ReportInput(pd, app.inventory.pds[pd].name, file, read.format, read.diagram, check, read.notes,
                             _against_text(snapshot, lang))
        write_private(Path(html_out), render_html(report, lang))
    verdict = Verdict.findings if check.findings else Verdict.matches
    if as_json:
        emit_json({"pd": pd, "file": file, "format": read.format, "verdict": verdict.value,
                   "snapshot_id": snapshot.id, "devices": len(read.diagram.devices),
                   "links": len(read.diagram.links), "findings": check.findings, "unverified": check.unverified,
                   "notes": read.notes, "hosts": check.hosts})
    else:
        for note in read.notes:
            err_console.print(f"[dim]note[/dim] {shown(note)}", highlight=False, soft_wrap=True)
        if check.findings:
            console.print(table(f"{pd}: {len(check.findings)} finding(s) against snapshot {snapshot.id}",
                                ["severity", "kind", "subject", "reason"],
                                [(f.severity.value, f.kind.value, f.subject, f.reason) for f in check.findings]))
        else:
            console.print(f"[green]MATCHES[/green]: {shown(pd)}'s diagram ({len(read.diagram.devices)} devices, "
                          f"{len(read.diagram.links)} links) agrees with snapshot {snapshot.id}")
    sys.exit(1 if check.findings else 0)


@command.command("submit")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--pd", "pd_code", required=True, help="The PD handing the diagram in.")
@click.option("--against", help="Snapshot id or `live` (default: the latest snapshot, if it covers the PD).")
@click.option("--received", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="When the PD handed it in, if not now (e.g. a letter received last week).")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def submit(app: AppContext, file: str, pd_code: str, against: str | None, received: dt.datetime | None,
           as_json: bool) -> None:
    """Store a PD's diagram (content-addressed, never overwritten) with who, when and its check result."""
    data = load_bytes(Path(file))
    pd, read = _read(app, file, pd_code, data)
    snapshot = _snapshot(app, pd, against, required=against is not None)
    findings = _check(app, read, pd, snapshot).findings if snapshot else []
    verdict = Verdict.not_checked if snapshot is None else Verdict.findings if findings else Verdict.matches
    when = received.replace(tzinfo=dt.UTC) if received else None
    sub = subs.submit(app.store, pd=pd, filename=Path(file).name, data=data, fmt=read.format, diagram=read.diagram,
                      verdict=verdict, findings=findings, snapshot_id=snapshot.id if snapshot else None,
                      received_at=when)
    if as_json:
        emit_json({"id": sub.id, "pd": pd, "sha256": sub.sha256, "received_at": sub.received_at,
                   "verdict": sub.verdict.value, "findings": len(sub.findings), "snapshot_id": sub.snapshot_id})
    else:
        console.print(f"submission {sub.id} of {shown(pd)} stored ({sub.sha256[:12]}), received "
                      f"{sub.received_at:%Y-%m-%d}: {sub.verdict.value}"
                      + (f", {len(findings)} finding(s)" if findings else ""))


@command.command("history")
@click.option("--pd", "pd_code", required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def history(app: AppContext, pd_code: str, as_json: bool) -> None:
    """Every submission of a PD and what changed since the one before (Art. 21(2) change report)."""
    pd = _pd(app, pd_code)
    rows = []
    previous: LanDiagram | None = None
    for sub in subs.submissions(app.store, pd):
        changes = diagram_changes(previous or LanDiagram(), sub.diagram)
        rows.append({"id": sub.id, "received_at": sub.received_at, "filename": sub.filename, "format": sub.format,
                     "sha256": sub.sha256, "actor": sub.actor, "verdict": sub.verdict.value,
                     "findings": len(sub.findings), "changes": changes.__dict__, "first": previous is None})
        previous = sub.diagram
    if as_json:
        emit_json({"pd": pd, "submissions": rows})
        return

    def summary(row: dict) -> str:  # type: ignore[type-arg]
        if row["first"]:
            return "first submission"
        c = row["changes"]
        parts = [f"+{len(c['devices_added'])} / -{len(c['devices_removed'])} devices",
                 f"+{len(c['links_added'])} / -{len(c['links_removed'])} links"]
        detail = [*(f"+ {d}" for d in c["devices_added"]), *(f"- {d}" for d in c["devices_removed"]),
                  *(f"+ {k}" for k in c["links_added"]), *(f"- {k}" for k in c["links_removed"])]
        return ", ".join(parts) + ("\n" + "\n".join(detail) if detail else "")

    console.print(table(f"{pd}: {len(rows)} submission(s)", ["id", "received", "file", "by", "verdict", "changes"],
                        [(r["id"], f"{r['received_at']:%Y-%m-%d}", r["filename"], r["actor"],
                          r["verdict"], summary(r)) for r in rows]))


@command.command("status")
@click.option("--year", type=int, help="Also say whether each PD submitted during this year.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="The date to judge on (default: today, or 31 December of --year if that is earlier).")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def status(app: AppContext, year: int | None, as_of: dt.datetime | None, as_json: bool) -> None:
    """Every PD with its last submission, last verdict, and overdue (none in the 12 months before the date)."""
    today = dt.datetime.now(dt.UTC).date()
    day = as_of.date() if as_of else min(today, dt.date(year, 12, 31)) if year else today
    rows = subs.compliance({code: pd.name for code, pd in app.inventory.pds.items()}, subs.submissions(app.store),
                           day, year)
    if as_json:
        emit_json({"as_of": day, "year": year, "pds": rows})
        return
    console.print(table(f"LAN diagram submissions as of {day} ({sum(r.overdue for r in rows)} overdue)",
                        ["PD", "name", "last submission", "verdict", "findings", "overdue",
                         *([f"in {year}"] if year else [])],
                        [(r.pd, r.name, r.last_submission or "never", r.last_verdict.value if r.last_verdict else "",
                          r.findings, "OVERDUE" if r.overdue else "", *([r.submitted_in_year] if year else []))
                         for r in rows]))


@command.command("schema")
@click.option("--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
def schema(output: str | None) -> None:
    """The JSON Schema of netops YAML/JSON diagrams (regenerates schemas/lan-diagram.schema.json)."""
    text = diagram_json_schema()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
