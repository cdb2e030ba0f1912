"""A whole store, whatever its backend: filled as the sample city would fill it, and read back to compare."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, select

from netops.models.diagram import Verdict
from netops.models.observation import LinkObservation, LinkState
from netops.provision.backends.dryrun import DryRunBackend
from netops.provision.service import VpsRequest, VpsService
from netops.sources.diagrams import read_diagram_file
from netops.store import submissions as subs
from netops.store import vps_register
from netops.store.db import Store
from netops.store.snapshots import save_snapshot


def dump(store_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal dumps mean equal stores."""
    engine = create_engine(store_url)
    try:
        meta = MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            return {name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                    for name, table in sorted(meta.tables.items())}
    finally:
        engine.dispose()


def fill_sample_store(store_url: str, plans: Path) -> None:
    """The sample city's store after some use: sweeps of three PDs (one with a cut fibre), every
    sample diagram handed in, VPS created, resized, stopped and decommissioned, a 5 GB backup recorded."""
    from tests.diagrams.conftest import SAMPLES, observe, sample_inventory

    inv = sample_inventory()
    store = Store(store_url)
    for pd, cut in (("DISDUKCAPIL", ()), ("BAPENDA", ()), ("DPMPTSP", tuple(inv.links)[:1])):
        links = {lid: LinkObservation(link_id=lid, state=LinkState.down if lid in cut else LinkState.up,
                                      reason="as declared", speed_mbps=10000.0) for lid in tuple(inv.links)[:6]}
        save_snapshot(store, observe(inv, pd, cut=cut).model_copy(update={"links": links}))
    for path in sorted(p for p in SAMPLES.rglob("*") if p.is_file()):
        read = read_diagram_file(path)
        subs.submit(store, pd=path.parent.name, filename=path.name, data=path.read_bytes(), fmt=read.format,
                    diagram=read.diagram, verdict=Verdict.not_checked, findings=[], snapshot_id=None,
                    received_at=dt.datetime.strptime(path.name[:10], "%Y-%m-%d").replace(tzinfo=dt.UTC))
    svc = VpsService(store, inv.pusat_data, inv.pds.keys(), DryRunBackend(plans))
    made = [svc.create(VpsRequest(pd, purpose, 2, 4096, 40, "debian-12", replica=replica)).vps
            for pd, purpose, replica in (("DISKOMINFO", "portal", 1), ("DISKOMINFO", "portal", 2),
                                         ("BAPENDA", "pajak", 1), ("DISDUKCAPIL", "antrian", 1), ("RSUD", "simrs", 1))]
    svc.resize(made[0].name, vcpu=4)
    svc.stop(made[2].name)
    svc.decommission(made[3].name)
    svc.transact(lambda conn: vps_register.add_backup(conn, made[4].id, "2025-03-02T01:04:10+00:00", "ok",
                                                      "9f3c2a1b", 5 * 2**30, "test", "2025-03-02T02:00:00+00:00",
                                                      "test"))
    store.dispose()
