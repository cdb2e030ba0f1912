"""The sweep as a use case: a typed ask in, the stored snapshot's report out.

The ask's defaults are declared once: a field left None takes netops.yaml's `sweep:` value, else the
collector's own default (CollectOptions). `via` and `filters` are checked once, by SweepRequest; a bad
one is a one-line InputError. Whether the lab is talked to is decided here (`lab`) and said in the result.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from netops.app.lab_use import LabUse, lab_overlay, notice
from netops.app.session import Session
from netops.app.snapshots import SnapshotReport, previous_sweep, snapshot_report
from netops.collect.base import CollectOptions
from netops.collect.probe import probe
from netops.collect.runners import RUNNERS, RunnerKind, RunnerSpec
from netops.collect.sweep import BadRequest, SweepProgress, SweepRequest, default_collectors, sweep
from netops.config import Config
from netops.errors import InputError
from netops.lab.overlay import LabOverlay
from netops.models.observation import Snapshot
from netops.models.settings import SWEEP_DEFAULTS, VIAS
from netops.sources.inventory import Inventory
from netops.store.snapshots import save_snapshot

if TYPE_CHECKING:
    from netops.collect.runners.dask_runner import DaskRunner

__all__ = ["DEFAULTS", "RUNNERS", "VIA_HELP", "RunnerKind", "RunnerSpec", "SweepAsk", "live_sweep", "run_sweep",
           "runner_spec", "sweep_request"]
DEFAULTS = CollectOptions()
VIA_HELP = (f"Collectors, comma-separated: {','.join(VIAS)}; netops.yaml's sweep.via overrides the default "
            f"[default: {','.join(SWEEP_DEFAULTS.via)}].")


class SweepAsk(BaseModel):
    """What a person or a page asks for; None means "the project's default"."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    via: str | None = None
    pds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    timeout: float | None = None
    retries: int | None = None
    concurrency: int | None = None
    lab: LabUse = LabUse.auto
    runner: RunnerKind = "threaded"
    scheduler: str | None = None          # a Dask scheduler's address; None: a local cluster


def sweep_request(config: Config, ask: SweepAsk) -> SweepRequest:
    """The collector's request: config defaults filled in, `via` and filters checked (InputError)."""
    options = CollectOptions.from_settings(config.sweep, timeout=ask.timeout, retries=ask.retries,
                                           concurrency=ask.concurrency)
    via = ask.via or ",".join(config.sweep.via)
    try:
        return SweepRequest(via=tuple(dict.fromkeys(p.strip() for p in via.split(",") if p.strip())),
                            pds=ask.pds, roles=ask.roles, platforms=ask.platforms, filters=ask.filters,
                            options=options)
    except BadRequest as exc:
        raise InputError.at("sweep", None, exc.field, str(exc)) from exc


def runner_spec(config: Config, kind: RunnerKind, scheduler: str | None) -> RunnerSpec:
    """Where a sweep or a watch runs, as asked on the command line, with the pollers netops.yaml declares."""
    return RunnerSpec(kind, address=scheduler, pollers=config.sweep.pollers)


def run_sweep(session: Session, ask: SweepAsk, progress: SweepProgress | None = None) -> SnapshotReport:
    """Ask the devices, judge the links, store the snapshot; the report says whether the lab was used."""
    request = sweep_request(session.config, ask)
    overlay = lab_overlay(session.config, ask.lab)
    snapshot = sweep(session.config, session.inventory, request, progress=progress, lab=overlay,
                     runner=runner_spec(session.config, ask.runner, ask.scheduler))
    snapshot.id = save_snapshot(session.store, snapshot)
    return snapshot_report(snapshot, notice(overlay), previous_sweep(session.store, snapshot))


def live_sweep(config: Config, inv: Inventory, scope: list[str] | None, timeout: float,
               overlay: LabOverlay | None, pings: bool = False,
               runner: DaskRunner | None = None) -> tuple[Snapshot, dict[str, float]]:
    """One bounded sweep (diagnose, watch) of the devices in scope (every device by default), ports and LLDP
    only; not stored. With `pings`, the NOC's ping bursts run meanwhile: (snapshot, host -> loss). On
    `runner` (a watch's open Dask runner) when given."""
    from netops.collect.nornir_init import build_nornir
    nr = build_nornir(config, workers=200, checked=inv, lab=overlay)
    nr = nr.with_runner(runner) if runner is not None else nr
    if scope is not None:
        nr = nr.filter(filter_func=lambda h: h.name in set(scope))
    request = SweepRequest(options=CollectOptions(timeout=timeout, retries=1, concurrency=200))
    collectors = default_collectors(config, overlay, snmp_workload="links")
    if not pings:
        return sweep(config, inv, request, nr=nr, lab=overlay, collectors=collectors), {}
    addresses = {name: str(host.hostname) for name, host in nr.inventory.hosts.items() if host.hostname}
    with ThreadPoolExecutor(1) as pool:
        burst = pool.submit(probe, addresses)
        snapshot = sweep(config, inv, request, nr=nr, lab=overlay, collectors=collectors)
        return snapshot, {host: r.loss for host, r in burst.result().items() if r.sent}
