"""Stored sweeps as use cases: list, show (problems first), diff, import; and the typed report of one sweep.

`SnapshotReport` is what `netops sweep --json`, `netops snapshots show --json` and the web emit
(`model_dump`): counts, every device's ports and neighbours, failures with reasons, link states,
and the problems (failed devices, links not up, undeclared adjacencies) a person reads first.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_serializer

from netops.analysis.snapshot_diff import Change, SnapshotDiff, diff_snapshots
from netops.app.lab_use import LabNotice
from netops.app.session import Session
from netops.app.snapshot_import import ImportResult, import_snapshot
from netops.collect.importers.saved import IMPORT_FORMATS as IMPORT_FORMATS  # the CLI's --format choices
from netops.collect.importers.saved import PLATFORM_ALIASES
from netops.models.observation import DeviceObservation, FailureReason, LinkState, NewAdjacency, Snapshot
from netops.store.db import Store
from netops.store.snapshots import SnapshotSummary, list_snapshots, load_snapshot

IMPORT_PLATFORMS = tuple(sorted(set(PLATFORM_ALIASES.values())))   # families a saved output may be given as
FACTS = ("hostname", "vendor", "model", "serial_number", "os_version")


class PortSeen(BaseModel):
    is_up: bool | None = None
    is_enabled: bool | None = None
    speed: int | float | None = None


class NeighbourSeen(BaseModel):
    remote_system_name: str | None = None
    remote_system_name_from: str = "system_name"
    remote_port: str | None = None


class DeviceSeen(BaseModel):
    via: str
    facts: dict[str, str | None]
    interfaces: dict[str, PortSeen]
    lldp_neighbors: dict[str, list[NeighbourSeen]]

    @property
    def ports_up(self) -> int:
        return sum(1 for p in self.interfaces.values() if p.is_up)

    @property
    def neighbours(self) -> int:
        return sum(len(v) for v in self.lldp_neighbors.values())


class FailureSeen(BaseModel):
    via: str
    reason: FailureReason
    message: str


class LinkSeen(BaseModel):
    state: LinkState
    reason: str
    speed_mbps: float | None = None


class SnapshotCounts(BaseModel):
    devices: int
    observed: int
    failed: int
    links: dict[str, int]
    new_adjacencies: int


class SnapshotReport(BaseModel):
    """One sweep as every interface shows it; `lab` is set when the devices were asked through the lab."""

    snapshot_id: int | None
    started_at: datetime
    finished_at: datetime
    seconds: float
    actor: str
    request: dict[str, Any]
    counts: SnapshotCounts
    devices: dict[str, DeviceSeen]
    failures: dict[str, FailureSeen]
    links: dict[str, LinkSeen]
    new_adjacencies: list[NewAdjacency] = Field(default_factory=list)
    previous_id: int | None = None           # the sweep before this one, that `changes` compares with
    changes: list[Change] = Field(default_factory=list)
    lab: LabNotice | None = None

    @field_serializer("started_at", "finished_at")
    def _iso(self, at: datetime) -> str:
        return at.isoformat()

    @property
    def links_not_up(self) -> dict[str, LinkSeen]:
        return {lid: link for lid, link in self.links.items() if link.state is not LinkState.up}

    @property
    def problems(self) -> int:
        return len(self.failures) + len(self.links_not_up) + len(self.new_adjacencies) + len(self.changes)

    @property
    def summary(self) -> str:
        """The one line a person reads first."""
        links = ", ".join(f"{n} {state}" for state, n in self.counts.links.items() if n) or "none"
        via = ",".join(self.request.get("via", [])) or str(self.request.get("kind", ""))
        return (f"snapshot {self.snapshot_id} by {self.actor} at {self.started_at:%Y-%m-%d %H:%M:%S} UTC "
                f"({self.seconds:.1f} s, via {via}): {self.counts.observed} answered, {self.counts.failed} failed; "
                f"links {links}; {self.counts.new_adjacencies} undeclared adjacency(ies)"
                + (f"; {len(self.changes)} change(s) since snapshot {self.previous_id}" if self.previous_id else ""))


def _device(obs: DeviceObservation) -> DeviceSeen:
    return DeviceSeen(
        via=obs.via,
        facts={k: None if obs.facts.get(k) is None else str(obs.facts[k]) for k in FACTS},
        interfaces={name: PortSeen(is_up=i.get("is_up"), is_enabled=i.get("is_enabled"), speed=i.get("speed"))
                    for name, i in obs.interfaces.items()},
        lldp_neighbors={port: [NeighbourSeen(remote_system_name=n.get("remote_system_name"),
                                             remote_system_name_from=n.get("remote_system_name_from") or "system_name",
                                             remote_port=n.get("remote_port")) for n in entries]
                        for port, entries in obs.lldp_neighbors_detail.items() if entries},
    )


def changes_between(previous: Snapshot, snapshot: Snapshot) -> list[Change]:
    """What changed on what both sweeps asked: a device or link only one of them judged is not a change."""
    diff = diff_snapshots(previous, snapshot)
    return [*(Change(device=h, subject="answer", before=previous.failures[h].reason.value, after="observed")
              for h in diff.devices_appeared if h in previous.failures),
            *(c for c in diff.devices_disappeared if c.after != "not swept"),
            *diff.facts_changed, *diff.interfaces_changed, *diff.neighbours_changed,
            *(c for c in diff.links_changed if c.before is not None and c.after is not None)]


def previous_sweep(store: Store, snapshot: Snapshot) -> Snapshot | None:
    """The newest sweep stored before this one (imports of saved outputs are not sweeps)."""
    earlier = [s for s in list_snapshots(store) if snapshot.id is not None and s.id < snapshot.id
               and s.request.get("kind") != "import"]
    return load_snapshot(store, earlier[0].id) if earlier else None


def snapshot_report(snapshot: Snapshot, lab: LabNotice | None = None,
                    previous: Snapshot | None = None) -> SnapshotReport:
    link_counts = {state.value: 0 for state in LinkState}
    for link in snapshot.links.values():
        link_counts[link.state.value] += 1
    return SnapshotReport(
        snapshot_id=snapshot.id, started_at=snapshot.started_at, finished_at=snapshot.finished_at,
        seconds=round((snapshot.finished_at - snapshot.started_at).total_seconds(), 3),
        actor=snapshot.actor, request=snapshot.request,
        counts=SnapshotCounts(devices=len(snapshot.observations) + len(snapshot.failures),
                              observed=len(snapshot.observations), failed=len(snapshot.failures),
                              links=link_counts, new_adjacencies=len(snapshot.new_adjacencies)),
        devices={host: _device(obs) for host, obs in snapshot.observations.items()},
        failures={host: FailureSeen(via=f.via, reason=f.reason, message=f.message)
                  for host, f in snapshot.failures.items()},
        links={lid: LinkSeen(state=lo.state, reason=lo.reason, speed_mbps=lo.speed_mbps)
               for lid, lo in snapshot.links.items()},
        new_adjacencies=snapshot.new_adjacencies, lab=lab, previous_id=previous.id if previous else None,
        changes=changes_between(previous, snapshot) if previous else [])


def list_sweeps(session: Session, limit: int = 50) -> list[SnapshotSummary]:
    return list_snapshots(session.store, limit)


def show_sweep(session: Session, snapshot_id: int) -> SnapshotReport:
    """One stored sweep, with what changed since the sweep before it."""
    snapshot = load_snapshot(session.store, snapshot_id)
    return snapshot_report(snapshot, previous=previous_sweep(session.store, snapshot))


def diff_sweeps(session: Session, a: int, b: int) -> SnapshotDiff:
    return diff_snapshots(load_snapshot(session.store, a), load_snapshot(session.store, b))


def import_outputs(session: Session, path: Path, fmt: str = "auto", platform: str = "") -> ImportResult:
    return import_snapshot(session.store, session.inventory, path, fmt, platform)
