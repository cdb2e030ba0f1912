"""PD LAN diagrams as use cases: validate against a sweep, hand in (portal and CLI), history, who is overdue.

A hand-in is read safely, compared with a sweep of the PD's devices (the latest covering one, a given
snapshot, or a fresh live sweep), and stored with its bytes content-addressed, the verdict and the
findings in one transaction. Results are typed (pydantic) so the CLI's --json and the web emit the same.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from netops.analysis.diagram_check import DiagramChanges, DiagramCheck, check_diagram, diagram_changes
from netops.app.lab_use import lab_overlay
from netops.app.session import Session
from netops.collect.sweep import SweepProgress, SweepRequest, sweep
from netops.errors import InputError, NotFoundError
from netops.files import write_private
from netops.models.diagram import Finding, LanDiagram, Verdict, device_key
from netops.models.observation import Snapshot
from netops.report.diagram_html import ReportInput, render_html
from netops.report.i18n import t
from netops.sources.diagrams import DiagramRead, load_bytes, read_diagram
from netops.sources.diagrams.limits import MAX_BYTES
from netops.sources.inventory import Inventory
from netops.store import submissions as subs
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot, load_snapshot, save_snapshot

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "lan-diagram.schema.json"


@dataclass
class Handed:
    submission: subs.Submission
    read: DiagramRead
    check: DiagramCheck | None
    snapshot: Snapshot | None


def covers(snapshot: Snapshot, inv: Inventory, pd: str) -> bool:
    """Whether the sweep asked at least one of the PD's devices."""
    pd_hosts = {device_key(d.hostname) for d in inv.devices_of(pd)}
    return bool(pd_hosts & {device_key(h) for h in (*snapshot.observations, *snapshot.failures)})


def covering_snapshot(store: Store, inv: Inventory, pd: str) -> Snapshot | None:
    """The latest sweep, if it asked at least one of the PD's devices."""
    snapshot = latest_snapshot(store)
    return snapshot if snapshot is not None and covers(snapshot, inv, pd) else None


def submit_diagram(inv: Inventory, store: Store, pd: str, filename: str, data: bytes,
                   received: dt.datetime | None = None) -> Handed:
    """Read, check against the latest covering sweep (verdict `not_checked` without one), store."""
    if len(data) > MAX_BYTES:
        raise InputError.at(filename, None, "(file)", f"over {MAX_BYTES // 2**20} MB; diagrams that large are refused")
    read = read_diagram(data, filename)
    if read.diagram.pd and read.diagram.pd.upper() != pd:
        raise InputError.at(filename, None, "pd", f"the file is the diagram of {read.diagram.pd}, not of {pd}")
    snapshot = covering_snapshot(store, inv, pd)
    check = check_diagram(read.diagram, pd, inv.devices, snapshot) if snapshot else None
    findings = check.findings if check else []
    verdict = Verdict.not_checked if check is None else Verdict.findings if findings else Verdict.matches
    sub = subs.submit(store, pd=pd, filename=filename, data=data, fmt=read.format, diagram=read.diagram,
                      verdict=verdict, findings=findings, snapshot_id=snapshot.id if snapshot else None,
                      received_at=received)
    return Handed(sub, read, check, snapshot)


def changes_since_previous(store: Store, sub: subs.Submission) -> tuple[subs.Submission | None, DiagramChanges]:
    """What this hand-in changed against the PD's one before it (Art. 21(2): report every LAN change)."""
    earlier = [s for s in subs.submissions(store, sub.pd) if (s.received_at, s.id) < (sub.received_at, sub.id)]
    previous = max(earlier, key=lambda s: (s.received_at, s.id), default=None)
    return previous, diagram_changes(previous.diagram if previous else LanDiagram(), sub.diagram)


def diagram_json_schema() -> str:
    """The JSON Schema PDs' editors use for netops YAML/JSON diagrams (committed as SCHEMA_PATH)."""
    schema = LanDiagram.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netops PD LAN diagram"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def known_pd(inv: Inventory, code: str) -> str:
    code = code.upper()
    if code not in inv.pds:
        raise InputError.at("--pd", None, "pd", f"unknown PD {code} (see `netops inventory list`)")
    return code


def _read(inv: Inventory, path: str, pd_code: str, data: bytes) -> tuple[str, DiagramRead]:
    """The file first (a bad file fails fast, before the inventory is loaded), then the PD."""
    read = read_diagram(data, path)
    pd = known_pd(inv, pd_code)
    if read.diagram.pd and read.diagram.pd.upper() != pd:
        raise InputError.at(path, None, "pd", f"the file is the diagram of {read.diagram.pd}, not of {pd}")
    return pd, read


def against_snapshot(session: Session, pd: str, against: str | None, required: bool,
                     progress: SweepProgress | None = None) -> Snapshot | None:
    """The sweep to compare with: an id, a fresh sweep of the PD (`live`, stored), or the latest stored."""
    if against == "live":
        overlay = lab_overlay(session.config)
        snapshot = sweep(session.config, session.inventory, SweepRequest(pds=(pd,)), progress=progress, lab=overlay)
        return snapshot.model_copy(update={"id": save_snapshot(session.store, snapshot)})
    if against is not None:
        if not against.isdigit():
            raise InputError.at("against", None, "against", "give a snapshot id or `live`")
        found: Snapshot | None = load_snapshot(session.store, int(against))
    else:
        found = latest_snapshot(session.store)
    if found is None or not covers(found, session.inventory, pd):
        if not required:
            return None
        which = f"snapshot {found.id}" if found else "the store"
        raise NotFoundError(f"{which} has no sweep of {pd}'s devices: run `netops sweep --pd {pd}` "
                            "or use --against live")
    return found


class ValidateReport(BaseModel):
    """`diagram validate`: the verdict, the findings, what could not be verified."""

    pd: str
    file: str
    format: str
    verdict: Verdict
    snapshot_id: int | None
    devices: int
    links: int
    findings: list[Finding]
    unverified: list[str]
    notes: list[str]
    hosts: dict[str, str]


def validate_diagram(session: Session, file: str, pd_code: str, against: str | None = None,
                     html_out: Path | None = None, lang: str = "id",
                     progress: SweepProgress | None = None) -> ValidateReport:
    """Compare a diagram with what the PD's devices see; optionally write the HTML report."""
    pd, read = _read(session.inventory, file, pd_code, load_bytes(Path(file)))
    snapshot = against_snapshot(session, pd, against, required=True, progress=progress)
    assert snapshot is not None
    check = check_diagram(read.diagram, pd, session.inventory.devices, snapshot)
    if html_out:
        when = t("diagram.snapshot", lang, id=snapshot.id, at=snapshot.finished_at.strftime("%Y-%m-%d %H:%M UTC"))
        report = ReportInput(pd, session.inventory.pds[pd].name, file, read.format, read.diagram, check, read.notes,
                             when)
        write_private(html_out, render_html(report, lang))
    return ValidateReport(pd=pd, file=file, format=read.format,
                          verdict=Verdict.findings if check.findings else Verdict.matches, snapshot_id=snapshot.id,
                          devices=len(read.diagram.devices), links=len(read.diagram.links), findings=check.findings,
                          unverified=check.unverified, notes=read.notes, hosts=check.hosts)


class SubmitReport(BaseModel):
    id: int
    pd: str
    sha256: str
    received_at: dt.datetime
    verdict: Verdict
    findings: int
    snapshot_id: int | None


def submit_file(session: Session, file: str, pd_code: str, against: str | None = None,
                received: dt.datetime | None = None, progress: SweepProgress | None = None) -> SubmitReport:
    """Store a PD's diagram with who, when and its check result (`not_checked` without a covering sweep)."""
    data = load_bytes(Path(file))
    pd, read = _read(session.inventory, file, pd_code, data)
    snapshot = against_snapshot(session, pd, against, required=against is not None, progress=progress)
    findings = check_diagram(read.diagram, pd, session.inventory.devices, snapshot).findings if snapshot else []
    verdict = Verdict.not_checked if snapshot is None else Verdict.findings if findings else Verdict.matches
    sub = subs.submit(session.store, pd=pd, filename=Path(file).name, data=data, fmt=read.format,
                      diagram=read.diagram, verdict=verdict, findings=findings,
                      snapshot_id=snapshot.id if snapshot else None,
                      received_at=received.replace(tzinfo=dt.UTC) if received else None)
    return SubmitReport(id=sub.id, pd=pd, sha256=sub.sha256, received_at=sub.received_at, verdict=sub.verdict,
                        findings=len(sub.findings), snapshot_id=sub.snapshot_id)


class HistoryEntry(BaseModel):
    id: int
    received_at: dt.datetime
    filename: str
    format: str
    sha256: str
    actor: str
    verdict: Verdict
    findings: int
    changes: DiagramChanges
    first: bool


class HistoryReport(BaseModel):
    pd: str
    submissions: list[HistoryEntry]


def diagram_history(session: Session, pd_code: str) -> HistoryReport:
    """Every submission of a PD and what changed since the one before (Art. 21(2) change report)."""
    pd = known_pd(session.inventory, pd_code)
    rows: list[HistoryEntry] = []
    previous: LanDiagram | None = None
    for sub in subs.submissions(session.store, pd):
        rows.append(HistoryEntry(id=sub.id, received_at=sub.received_at, filename=sub.filename, format=sub.format,
                                 sha256=sub.sha256, actor=sub.actor, verdict=sub.verdict, findings=len(sub.findings),
                                 changes=diagram_changes(previous or LanDiagram(), sub.diagram), first=previous is None))
        previous = sub.diagram
    return HistoryReport(pd=pd, submissions=rows)


class StatusReport(BaseModel):
    as_of: dt.date
    year: int | None
    pds: list[subs.PdStatus]

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.pds)


def diagram_status(session: Session, year: int | None = None, as_of: dt.date | None = None) -> StatusReport:
    """Every PD with its last submission and verdict; overdue = none in the 12 months before the date."""
    today = dt.datetime.now(dt.UTC).date()
    day = as_of or (min(today, dt.date(year, 12, 31)) if year else today)
    rows = subs.compliance({code: pd.name for code, pd in session.inventory.pds.items()},
                           subs.submissions(session.store), day, year)
    return StatusReport(as_of=day, year=year, pds=rows)
