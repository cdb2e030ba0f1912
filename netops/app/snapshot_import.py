"""Turn saved command outputs into a stored snapshot, as if the devices had been swept.

Used for LANs the Dinas cannot reach (Art. 20(2) inspection from a PD technician's outputs) and by
the Service Desk with outputs pasted into a ticket. The snapshot says it was imported: its request
names the path, format, platform and every source file's sha256, so it can be re-checked.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from netops.analysis.links import judge_links, new_adjacencies
from netops.collect.importers.registry import read_device
from netops.collect.importers.saved import SavedOutput, collect_pieces
from netops.errors import InputError
from netops.models.observation import DeviceObservation, Snapshot
from netops.sources.inventory import Inventory
from netops.store.audit import current_actor
from netops.store.db import Store
from netops.store.snapshots import save_snapshot


class ImportedDevice(BaseModel):
    host: str
    neighbours: int
    interfaces: int
    used: list[str]
    skipped: list[str]


class ImportResult(BaseModel):
    snapshot_id: int
    path: str
    devices: list[ImportedDevice]
    unreadable: list[ImportedDevice]          # devices none of whose pieces could be read
    refused_files: list[str]                  # files of a folder that were not read at all, with why
    sources: dict[str, str]                   # file -> sha256


def import_snapshot(store: Store, inventory: Inventory, path: Path, fmt: str = "auto",
                    platform: str = "") -> ImportResult:
    """Read every piece under `path`, build one observation per device, store the snapshot."""
    started = datetime.now(UTC)
    pieces, refused = collect_pieces(path, fmt, platform)
    by_host: dict[str, list[SavedOutput]] = defaultdict(list)
    for piece in pieces:
        by_host[piece.host].append(piece)
    if not by_host:
        raise InputError.at(path, None, "(folder)", "no saved output found")
    observations: dict[str, DeviceObservation] = {}
    devices, unreadable = [], []
    for host in sorted(by_host):
        read = read_device(host, by_host[host])
        obs = read.observation
        row = ImportedDevice(host=host, used=read.used, skipped=read.skipped,
                             neighbours=sum(len(v) for v in obs.lldp_neighbors_detail.values()) if obs else 0,
                             interfaces=len(obs.interfaces) if obs else 0)
        if obs is None:
            unreadable.append(row)
        else:
            observations[host] = obs
            devices.append(row)
    sources = {p.source.split("[", 1)[0]: p.sha256 for p in pieces}
    names = list(inventory.devices)
    snapshot = Snapshot(
        started_at=started, finished_at=datetime.now(UTC), actor=current_actor(),
        request={"kind": "import", "path": str(path), "format": fmt, "platform": platform,
                 "sources": dict(sorted(sources.items())), "devices": len(by_host)},
        observations=observations, failures={},
        links=judge_links(inventory.links, observations, {}, names),
        new_adjacencies=new_adjacencies(inventory.links, observations, names))
    snapshot_id = save_snapshot(store, snapshot)
    return ImportResult(snapshot_id=snapshot_id, path=str(path), devices=devices, unreadable=unreadable,
                        refused_files=refused, sources=snapshot.request["sources"])
