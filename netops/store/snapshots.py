"""Sweep snapshots in the store: saved in one transaction, read back as `Snapshot` models."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import column, func, insert, select, table

from netops.errors import NotFoundError
from netops.models.observation import (
    DeviceFailure,
    DeviceObservation,
    LinkObservation,
    NewAdjacency,
    Snapshot,
)
from netops.store.audit import record
from netops.store.db import Store

_snapshots = table(
    "snapshots",
    column("id"),
    column("started_at"),
    column("finished_at"),
    column("actor"),
    column("request"),
    column("devices"),
    column("failed"),
    column("new_adjacencies"),
)
_devices = table(
    "snapshot_devices", column("snapshot_id"), column("host"), column("via"), column("reason"), column("body")
)
_links = table(
    "snapshot_links",
    column("snapshot_id"),
    column("link_id"),
    column("state"),
    column("reason"),
    column("speed_mbps"),
)


class SnapshotSummary(BaseModel):
    """One line of `netops snapshots list`."""

    model_config = ConfigDict(extra="forbid")
    id: int
    started_at: datetime
    finished_at: datetime
    actor: str
    request: dict[str, Any]
    devices: int
    failed: int
    links: dict[str, int]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def save_snapshot(store: Store, snapshot: Snapshot) -> int:
    """Store a sweep (all rows or none) and return its id."""
    with store.transaction() as conn:
        snapshot_id = int(
            conn.execute(
                insert(_snapshots)
                .values(
                    started_at=snapshot.started_at.isoformat(),
                    finished_at=snapshot.finished_at.isoformat(),
                    actor=snapshot.actor,
                    request=_json(snapshot.request),
                    devices=len(snapshot.observations) + len(snapshot.failures),
                    failed=len(snapshot.failures),
                    new_adjacencies=_json([n.model_dump(mode="json") for n in snapshot.new_adjacencies]),
                )
                .returning(_snapshots.c.id)
            ).scalar_one()
        )
        rows = [
            {
                "snapshot_id": snapshot_id,
                "host": host,
                "via": obs.via,
                "reason": None,
                "body": obs.model_dump_json(),
            }
            for host, obs in snapshot.observations.items()
        ]
        rows += [
            {
                "snapshot_id": snapshot_id,
                "host": host,
                "via": f.via,
                "reason": f.reason.value,
                "body": f.model_dump_json(),
            }
            for host, f in snapshot.failures.items()
        ]
        if rows:
            conn.execute(insert(_devices), rows)
        links = [
            {
                "snapshot_id": snapshot_id,
                "link_id": lid,
                "state": lo.state.value,
                "reason": lo.reason,
                "speed_mbps": lo.speed_mbps,
            }
            for lid, lo in snapshot.links.items()
        ]
        if links:
            conn.execute(insert(_links), links)
        record(
            conn,
            "snapshot.save",
            f"snapshot {snapshot_id}",
            {"devices": len(rows), "failed": len(snapshot.failures), "request": snapshot.request},
        )
    return snapshot_id


def load_snapshot(store: Store, snapshot_id: int) -> Snapshot:
    with store.transaction() as conn:
        head = conn.execute(select(_snapshots).where(_snapshots.c.id == snapshot_id)).mappings().first()
        if head is None:
            raise NotFoundError(f"no snapshot {snapshot_id} (see `netops snapshots list`)")
        devices = conn.execute(select(_devices).where(_devices.c.snapshot_id == snapshot_id)).mappings().all()
        links = conn.execute(select(_links).where(_links.c.snapshot_id == snapshot_id)).mappings().all()
    return Snapshot(
        id=head["id"],
        started_at=head["started_at"],
        finished_at=head["finished_at"],
        actor=head["actor"],
        request=json.loads(head["request"]),
        observations={
            d["host"]: DeviceObservation.model_validate_json(d["body"])
            for d in devices
            if d["reason"] is None
        },
        failures={
            d["host"]: DeviceFailure.model_validate_json(d["body"])
            for d in devices
            if d["reason"] is not None
        },
        links={
            lk["link_id"]: LinkObservation(
                link_id=lk["link_id"], state=lk["state"], reason=lk["reason"], speed_mbps=lk["speed_mbps"]
            )
            for lk in links
        },
        new_adjacencies=[NewAdjacency.model_validate(n) for n in json.loads(head["new_adjacencies"])],
    )


def latest_snapshot(store: Store, include_imports: bool = False) -> Snapshot | None:
    """The newest sweep ("observed" means what the network answered last); imported snapshots of saved
    outputs (`snapshots import`, often one PD's LAN) are skipped unless asked for."""
    with store.transaction() as conn:
        rows = conn.execute(select(_snapshots.c.id, _snapshots.c.request).order_by(_snapshots.c.id.desc()))
        newest = next((sid for sid, request in rows
                       if include_imports or json.loads(request).get("kind") != "import"), None)
    return None if newest is None else load_snapshot(store, int(newest))


def list_snapshots(store: Store, limit: int | None = None) -> list[SnapshotSummary]:
    """Newest first, with link-state counts per snapshot."""
    with store.transaction() as conn:
        query = select(_snapshots).order_by(_snapshots.c.id.desc())
        heads = conn.execute(query.limit(limit) if limit else query).mappings().all()
        counts = conn.execute(
            select(_links.c.snapshot_id, _links.c.state, func.count()).group_by(
                _links.c.snapshot_id, _links.c.state
            )
        ).all()
    per_snapshot: dict[int, dict[str, int]] = {}
    for sid, state, n in counts:
        per_snapshot.setdefault(int(sid), {})[state] = int(n)
    return [
        SnapshotSummary(
            id=h["id"],
            started_at=h["started_at"],
            finished_at=h["finished_at"],
            actor=h["actor"],
            request=json.loads(h["request"]),
            devices=h["devices"],
            failed=h["failed"],
            links=per_snapshot.get(int(h["id"]), {}),
        )
        for h in heads
    ]
