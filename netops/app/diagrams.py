"""A PD hands in its LAN diagram: read it safely, compare it with the latest sweep of its devices, store it.

The web portal calls this (the CLI's `diagram submit` does the same steps); the stored submission keeps
the file's bytes content-addressed, the verdict and the findings, in one transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netops.analysis.diagram_check import DiagramChanges, DiagramCheck, check_diagram, diagram_changes
from netops.errors import InputError
from netops.models.diagram import LanDiagram, Verdict, device_key
from netops.models.observation import Snapshot
from netops.sources.diagrams import DiagramRead, read_diagram
from netops.sources.diagrams.limits import MAX_BYTES
from netops.sources.inventory import Inventory
from netops.store import submissions as subs
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot


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
