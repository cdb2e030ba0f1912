"""What changed between two sweeps: devices, facts, interface states, neighbours, link states.

Pure: two `Snapshot`s in, one `SnapshotDiff` out. "Appeared" means answering in B but not in
A (new, or back from the dead); "disappeared" the reverse, with B's failure reason if B asked.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from netops.models.names import canonical_interface, short_host
from netops.models.observation import DeviceObservation, Snapshot

WATCHED_FACTS = ("serial_number", "os_version", "model", "vendor", "hostname")
WATCHED_INTERFACE = ("is_up", "is_enabled", "speed")


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid")
    device: str
    subject: str  # a fact name, an interface name, or a link id
    before: Any = None
    after: Any = None
    note: str = ""


class SnapshotDiff(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int | None
    b: int | None
    devices_appeared: list[str] = Field(default_factory=list)
    devices_disappeared: list[Change] = Field(default_factory=list)
    facts_changed: list[Change] = Field(default_factory=list)
    interfaces_changed: list[Change] = Field(default_factory=list)
    neighbours_changed: list[Change] = Field(default_factory=list)
    links_changed: list[Change] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.devices_appeared,
                self.devices_disappeared,
                self.facts_changed,
                self.interfaces_changed,
                self.neighbours_changed,
                self.links_changed,
            )
        )


def _interface_state(iface: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if iface is None else {k: iface.get(k) for k in WATCHED_INTERFACE}


def _neighbours(obs: DeviceObservation, port: str) -> list[str]:
    return sorted(
        {
            f"{short_host(str(e.get('remote_system_name') or e.get('remote_chassis_id') or '?'))} "
            f"{canonical_interface(str(e.get('remote_port') or '?'))}"
            for e in obs.lldp_neighbors_detail.get(port, [])
        }
    )


def _device_changes(host: str, old: DeviceObservation, new: DeviceObservation, diff: SnapshotDiff) -> None:
    for fact in WATCHED_FACTS:
        if old.facts.get(fact) != new.facts.get(fact):
            diff.facts_changed.append(
                Change(device=host, subject=fact, before=old.facts.get(fact), after=new.facts.get(fact))
            )
    # Interface tables are compared only when both sweeps have one (a CLI-only sweep has none).
    if old.interfaces and new.interfaces:
        for port in sorted(set(old.interfaces) | set(new.interfaces)):
            before = _interface_state(old.interfaces.get(port))
            after = _interface_state(new.interfaces.get(port))
            if before != after:
                diff.interfaces_changed.append(Change(device=host, subject=port, before=before, after=after))
    for port in sorted(set(old.lldp_neighbors_detail) | set(new.lldp_neighbors_detail)):
        seen_before, seen_after = _neighbours(old, port), _neighbours(new, port)
        if seen_before != seen_after:
            change = Change(device=host, subject=port, before=seen_before, after=seen_after)
            diff.neighbours_changed.append(change)


def diff_snapshots(a: Snapshot, b: Snapshot) -> SnapshotDiff:
    """Changes from sweep A to sweep B."""
    diff = SnapshotDiff(a=a.id, b=b.id)
    diff.devices_appeared = sorted(set(b.observations) - set(a.observations))
    for host in sorted(set(a.observations) - set(b.observations)):
        failure = b.failures.get(host)
        diff.devices_disappeared.append(
            Change(
                device=host,
                subject="answer",
                before="observed",
                after=failure.reason.value if failure else "not swept",
                note=failure.message if failure else "",
            )
        )
    for host in sorted(set(a.observations) & set(b.observations)):
        _device_changes(host, a.observations[host], b.observations[host], diff)
    for link_id in sorted(set(a.links) | set(b.links)):
        old, new = a.links.get(link_id), b.links.get(link_id)
        if (old and old.state) != (new and new.state):
            diff.links_changed.append(
                Change(
                    device="",
                    subject=link_id,
                    before=old.state.value if old else None,
                    after=new.state.value if new else None,
                    note=new.reason if new else "",
                )
            )
    return diff
