"""Diagram submissions in the store: who handed in which file when, and what checking it found.

Files are content-addressed (SHA-256) and never overwritten; the same file handed in twice
is stored once and recorded twice. See migration 0003 for why the bytes live in the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, column, insert, select, table

from netops.errors import NotFoundError
from netops.models.diagram import Finding, LanDiagram, Verdict
from netops.store.audit import current_actor, record, utcnow
from netops.store.db import Store

_files = table("diagram_files", column("sha256"), column("size"), column("content"), column("first_seen"))
_subs = table("diagram_submissions", column("id"), column("pd"), column("sha256"), column("filename"),
              column("format"), column("received_at"), column("recorded_at"), column("actor"), column("verdict"),
              column("snapshot_id"), column("findings"), column("diagram"))


class Submission(BaseModel):
    """One hand-in of a PD's LAN diagram."""

    model_config = ConfigDict(extra="forbid")
    id: int
    pd: str
    sha256: str
    filename: str
    format: str
    received_at: dt.datetime
    recorded_at: dt.datetime
    actor: str
    verdict: Verdict
    snapshot_id: int | None = None
    findings: list[Finding] = Field(default_factory=list)
    diagram: LanDiagram


class PdStatus(BaseModel):
    """One line of the Dinas' reminder list (Art. 21(1): at least once a year)."""

    model_config = ConfigDict(extra="forbid")
    pd: str
    name: str
    last_submission: dt.date | None
    last_verdict: Verdict | None
    findings: int | None
    overdue: bool
    submitted_in_year: bool | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def submit(store: Store, *, pd: str, filename: str, data: bytes, fmt: str, diagram: LanDiagram, verdict: Verdict,
           findings: list[Finding], snapshot_id: int | None, received_at: dt.datetime | None = None) -> Submission:
    """Store the file (unless these exact bytes are already stored) and record the hand-in, atomically."""
    digest = sha256_of(data)
    now = utcnow()
    received = (received_at or dt.datetime.fromisoformat(now)).astimezone(dt.UTC)

    def hand_in(conn: Connection) -> int:
        if conn.execute(select(_files.c.sha256).where(_files.c.sha256 == digest)).first() is None:
            conn.execute(insert(_files).values(sha256=digest, size=len(data), content=data, first_seen=now))
        new_id = int(conn.execute(insert(_subs).values(
            pd=pd, sha256=digest, filename=filename, format=fmt, received_at=received.isoformat(timespec="seconds"),
            recorded_at=now, actor=current_actor(), verdict=verdict.value, snapshot_id=snapshot_id,
            findings=json.dumps([f.model_dump(mode="json") for f in findings]),
            diagram=diagram.model_dump_json(),
        ).returning(_subs.c.id)).scalar_one())
        record(conn, "diagram.submit", f"pd {pd}", {"submission": new_id, "sha256": digest, "file": filename,
                                                     "verdict": verdict.value, "findings": len(findings)})
        return new_id

    # Two PDs handing in the same bytes at once: one stores the file, the other re-runs and reuses it.
    new_id = store.atomic(hand_in)
    return get_submission(store, new_id)


def _row_to_submission(row: Mapping[str, Any]) -> Submission:
    return Submission(id=row["id"], pd=row["pd"], sha256=row["sha256"], filename=row["filename"],
                      format=row["format"], received_at=row["received_at"], recorded_at=row["recorded_at"],
                      actor=row["actor"], verdict=row["verdict"], snapshot_id=row["snapshot_id"],
                      findings=json.loads(row["findings"]), diagram=LanDiagram.model_validate_json(row["diagram"]))


def get_submission(store: Store, submission_id: int) -> Submission:
    with store.transaction() as conn:
        row = conn.execute(select(_subs).where(_subs.c.id == submission_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no diagram submission {submission_id}")
    return _row_to_submission(dict(row))


def submissions(store: Store, pd: str | None = None) -> list[Submission]:
    """Oldest first (by the date handed in, then by id)."""
    query = select(_subs).order_by(_subs.c.received_at, _subs.c.id)
    if pd is not None:
        query = query.where(_subs.c.pd == pd)
    with store.transaction() as conn:
        rows = conn.execute(query).mappings().all()
    return [_row_to_submission(dict(r)) for r in rows]


def stored_file(store: Store, sha256: str) -> bytes:
    with store.transaction() as conn:
        content = conn.execute(select(_files.c.content).where(_files.c.sha256 == sha256)).scalar()
    if content is None:
        raise NotFoundError(f"no stored diagram file {sha256}")
    return bytes(content)


def year_before(day: dt.date) -> dt.date:
    """The same day one year earlier (28 Feb for 29 Feb)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def compliance(pds: dict[str, str], subs: Iterable[Submission], as_of: dt.date,
               year: int | None = None) -> list[PdStatus]:
    """Every PD, its last hand-in on or before `as_of`, and overdue = none in the 12 months before it."""
    last: dict[str, Submission] = {}
    in_year: set[str] = set()
    for sub in subs:
        day = sub.received_at.date()
        if day > as_of:
            continue
        if sub.pd not in last or sub.received_at >= last[sub.pd].received_at:
            last[sub.pd] = sub
        if year is not None and day.year == year:
            in_year.add(sub.pd)
    rows = []
    for code, name in sorted(pds.items()):
        latest = last.get(code)
        latest_day = latest.received_at.date() if latest else None
        rows.append(PdStatus(pd=code, name=name, last_submission=latest_day,
                             last_verdict=latest.verdict if latest else None,
                             findings=len(latest.findings) if latest else None,
                             overdue=latest_day is None or latest_day < year_before(as_of),
                             submitted_in_year=(code in in_year) if year is not None else None))
    return rows
