"""Backups (Art. 17): record runs, import the backup agent's log, list VPS whose backup is overdue.

Log format: JSON lines as written by the netops-backup agent on each VPS, i.e. restic's
`backup --json` messages with two fields the agent adds to every line, `time` (ISO 8601
with offset) and `hostname` (the VPS name)::

    {"message_type":"status","percent_done":0.5,"time":"...","hostname":"vps-bapenda-pajak-01"}
    {"message_type":"summary","snapshot_id":"9f3c2a1b","total_bytes_processed":5368709120,
     "time":"2024-05-01T01:04:10+07:00","hostname":"vps-bapenda-pajak-01"}
    {"message_type":"exit_error","code":1,"message":"repository is locked",
     "time":"2024-05-02T01:00:03+07:00","hostname":"vps-bapenda-pajak-01"}

`summary` is a successful run; `exit_error` and `error` are failed runs; other message types
(progress) are ignored. Any unreadable line stops the import with file:line, nothing written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection

from netops.errors import InputError, Issue, NotFoundError
from netops.models.vps import PusatData, Vps, iso
from netops.provision.service import VpsService
from netops.sources.yamlfile import read_text
from netops.store import audit
from netops.store import vps_register as reg

STATUSES = ("ok", "failed")
_STATUS_OF = {"summary": "ok", "exit_error": "failed", "error": "failed"}


@dataclass(frozen=True)
class BackupEvent:
    vps: str
    at: datetime
    status: str
    snapshot: str | None = None
    size_bytes: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class BackupStatus:
    """One VPS against its policy; `overdue` when the last good backup is older than max_age_hours
    (`age_hours`, rounded to a tenth, says how old it is)."""

    vps: str
    pd: str
    policy: str
    max_age_hours: int
    last_ok: datetime | None
    last_status: str | None
    age_hours: float | None
    overdue: bool

    def as_dict(self) -> dict[str, object]:
        return {"vps": self.vps, "pd": self.pd, "policy": self.policy, "max_age_hours": self.max_age_hours,
                "last_ok": self.last_ok.isoformat() if self.last_ok else None, "last_status": self.last_status,
                "age_hours": self.age_hours, "overdue": self.overdue}


def parse_time(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return at


def parse_log(path: Path) -> list[BackupEvent]:
    events, issues = [], []
    lines = read_text(path, str(path)).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            status = _STATUS_OF.get(msg.get("message_type", "")) if isinstance(msg, dict) else None
            if status is None:
                if not isinstance(msg, dict):
                    raise ValueError("not a JSON object")
                continue
            snapshot, size = msg.get("snapshot_id"), msg.get("total_bytes_processed")
            if snapshot is not None and not isinstance(snapshot, str):
                raise ValueError("snapshot_id is not a string")
            if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
                raise ValueError("total_bytes_processed is not a byte count")
            events.append(BackupEvent(vps=str(msg["hostname"]), at=parse_time(str(msg["time"])), status=status,
                                      snapshot=snapshot, size_bytes=size, line=number))
        except KeyError as exc:
            issues.append(Issue(str(path), number, str(exc.args[0]), "missing in backup log line"))
        except (ValueError, TypeError) as exc:
            issues.append(Issue(str(path), number, "(json)", str(exc)))
        except RecursionError:
            issues.append(Issue(str(path), number, "(json)", "nested too deeply"))
    if issues:
        raise InputError(issues)
    return events


def record(service: VpsService, events: list[BackupEvent], source: str) -> int:
    """Store the events in one transaction; returns how many were new (re-imports add nothing)."""
    def work(conn: Connection) -> int:
        added, missing = 0, []
        for event in events:
            vps = reg.get(conn, event.vps)
            if vps is None:
                missing.append(event)
                continue
            added += reg.add_backup(conn, vps.id, iso(event.at), event.status, event.snapshot, event.size_bytes,
                                    source, iso(service.clock()), audit.current_actor())
        if missing:
            first = missing[0]
            if first.line is None:
                raise NotFoundError(f"no VPS named {first.vps} in the register")
            raise InputError([Issue(source, e.line, "hostname", f"no VPS named {e.vps} in the register")
                              for e in missing])
        audit.record(conn, "vps.backups.record", source, {"events": len(events), "new": added})
        return added
    return service.transact(work)


def statuses(vps_list: list[Vps], last: dict[int, dict[str, str | None]], pusat: PusatData,
             as_of: datetime) -> list[BackupStatus]:
    """Pure: each live VPS against its policy. A new VPS gets one policy period before it counts as overdue."""
    out = []
    for vps in vps_list:
        if not vps.live:
            continue
        policy = pusat.backup_policy(vps.backup_policy)
        max_age = policy.max_age_hours if policy else 0
        seen = last.get(vps.id, {})
        last_ok_text = seen.get("last_ok")
        last_ok = datetime.fromisoformat(last_ok_text) if last_ok_text else None
        since = last_ok or vps.created_at
        age = (as_of - since).total_seconds() / 3600
        out.append(BackupStatus(vps=vps.name, pd=vps.pd, policy=vps.backup_policy, max_age_hours=max_age,
                                last_ok=last_ok, last_status=seen.get("last_status"),
                                age_hours=round(age, 1) if last_ok else None,
                                overdue=policy is None or as_of - since > timedelta(hours=max_age)))
    return sorted(out, key=lambda s: (s.pd, s.vps))


def backup_report(service: VpsService, as_of: datetime | None = None, pd: str | None = None) -> list[BackupStatus]:
    when = as_of or service.clock()
    vps_list, last = service.transact(lambda conn: (reg.list_vps(conn, pd, False), reg.last_backups(conn)))
    return statuses(vps_list, last, service.pusat, when.astimezone(UTC))
