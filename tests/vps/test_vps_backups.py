"""Backups (Art. 17): import the agent's JSON-lines log, record runs, list overdue VPS per PD."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import dump
from vps_helpers import FakeClock

from netops.errors import InputError
from netops.provision import backups
from netops.provision.service import VpsRequest, VpsService

LOG = """{"message_type":"status","percent_done":0.4,"time":"2025-03-02T01:00:05+07:00","hostname":"%(a)s"}
{"message_type":"summary","snapshot_id":"9f3c2a1b","total_bytes_processed":5368709120,"time":"2025-03-02T01:04:10+07:00","hostname":"%(a)s"}
{"message_type":"exit_error","code":1,"message":"repository is locked","time":"2025-03-02T01:00:03+07:00","hostname":"%(b)s"}
"""


def _two(svc: VpsService) -> tuple[str, str]:
    a = svc.create(VpsRequest("BAPENDA", "pajak", 1, 1024, 10, "debian-12")).vps.name
    b = svc.create(VpsRequest("DISKOMINFO", "portal", 1, 1024, 10, "debian-12", backup_policy="weekly")).vps.name
    return a, b


def test_import_then_overdue_per_policy(svc: VpsService, clock: FakeClock, tmp_path: Path) -> None:
    a, b = _two(svc)
    log = tmp_path / "netops-backup.jsonl"
    log.write_text(LOG % {"a": a, "b": b})
    events = backups.parse_log(log)
    assert [(e.vps, e.status) for e in events] == [(a, "ok"), (b, "failed")]
    assert backups.record(svc, events, str(log)) == 2
    assert backups.record(svc, events, str(log)) == 0  # re-import adds nothing
    as_of = events[0].at + timedelta(hours=27)  # daily policy allows 26 h
    report = {s.vps: s for s in backups.backup_report(svc, as_of)}
    assert report[a].overdue and report[a].last_ok == events[0].at
    assert not report[b].overdue  # weekly: the VPS is younger than 170 h, never backed up yet
    clock.advance(days=8)
    assert backups.backup_report(svc)[0].overdue and backups.backup_report(svc)[1].overdue
    assert [s.pd for s in backups.backup_report(svc)] == ["BAPENDA", "DISKOMINFO"]


def test_bad_log_line_names_file_and_line_and_writes_nothing(svc: VpsService, tmp_path: Path,
                                                            store_url: str) -> None:
    a, b = _two(svc)
    log = tmp_path / "bad.jsonl"
    log.write_text((LOG % {"a": a, "b": b}) + '{"message_type":"summary","hostname":"x"}\nnot json\n')
    before = dump(store_url)
    with pytest.raises(InputError) as exc:
        backups.record(svc, backups.parse_log(log), str(log))
    assert [(i.line, i.field) for i in exc.value.issues] == [(4, "time"), (5, "(json)")]
    assert dump(store_url) == before


def test_unknown_vps_in_log_is_refused_whole(svc: VpsService, tmp_path: Path, store_url: str) -> None:
    a, _ = _two(svc)
    log = tmp_path / "x.jsonl"
    log.write_text(LOG % {"a": a, "b": "vps-ghost-01"})
    before = dump(store_url)
    with pytest.raises(InputError, match=":3: hostname: no VPS named vps-ghost-01"):
        backups.record(svc, backups.parse_log(log), str(log))
    assert dump(store_url) == before
