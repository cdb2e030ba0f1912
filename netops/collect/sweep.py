"""The sweep: ask every selected device what it is and what it sees, judge the fibre links, keep it.

SNMP and NAPALM run at the same time (each in its own thread; SNMP polls every device from one
asyncio loop), then the CLI collector asks the devices that showed no neighbours. Per device,
what answered is merged; a device nobody reached is a failure with its reason. Nothing a
device does can abort the sweep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from nornir.core import Nornir

from netops.analysis.links import judge_links, new_adjacencies
from netops.collect.base import AsyncCollector, CollectOptions, Collector, CollectResult, failure_from
from netops.collect.cli_collector import CliCollector
from netops.collect.napalm_collector import NapalmCollector
from netops.collect.normalize import combine, has_neighbours
from netops.collect.nornir_init import apply_filters, build_nornir, parse_filter
from netops.collect.runners import RunnerSpec, open_runner
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp_collector import SnmpCollector, credentials_from_secrets
from netops.config import Config
from netops.errors import NetopsError, NotFoundError
from netops.lab.overlay import LabOverlay
from netops.models.observation import DeviceFailure, DeviceObservation, Snapshot
from netops.models.settings import SWEEP_DEFAULTS, VIAS
from netops.sources.inventory import Inventory
from netops.sources.secrets import load_secrets
from netops.store.audit import current_actor


class BadRequest(NetopsError):
    """A sweep request that cannot run; `field` names what was wrong (via, filter)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SweepRequest:
    """What was asked: collectors, inventory filters and per-device patience."""

    via: tuple[str, ...] = SWEEP_DEFAULTS.via
    pds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    options: CollectOptions = field(default_factory=CollectOptions)

    def __post_init__(self) -> None:
        unknown = [v for v in self.via if v not in VIAS]
        if unknown or not self.via:
            raise BadRequest("via", f"{','.join(self.via)!r}: choose from {', '.join(VIAS)} (comma-separated)")
        for expression in self.filters:
            try:
                parse_filter(expression)
            except ValueError as exc:
                raise BadRequest("filter", str(exc)) from exc

    def as_dict(self) -> dict[str, Any]:
        return {**{k: list(v) for k, v in asdict(self).items() if k != "options"}, **asdict(self.options)}


class SweepProgress(Protocol):
    """Where a long sweep reports: one bar per collector (a rich Progress in the CLI)."""

    def start(self, collector: str, total: int) -> None: ...

    def advance(self, collector: str, result: CollectResult) -> None: ...


class _Silent:
    def start(self, collector: str, total: int) -> None:
        pass

    def advance(self, collector: str, result: CollectResult) -> None:
        pass


def snmp_credentials(config: Config, overlay: LabOverlay | None = None) -> Callable[[str], SnmpCredentials | None]:
    """Per-device SNMP credentials: the lab's for a device of the overlay the caller chose, else the secrets."""
    fleet, per_host = load_secrets(config.secrets_file, config.root)
    lab = _lab_snmp_credentials(config, overlay)

    def lookup(host: str) -> SnmpCredentials | None:
        if lab is not None and host in lab:
            return lab[host]
        return credentials_from_secrets(per_host.get(host, fleet).snmp)

    return lookup


def _lab_snmp_credentials(config: Config, overlay: LabOverlay | None) -> Mapping[str, SnmpCredentials | None] | None:
    """The lab's SNMP credentials for each device in it, or None when the caller chose no lab.

    The lab offers v2c and v3 authPriv; `sweep: {lab_snmp: v3}` in netops.yaml picks v3
    (default v2c: the lab is local, and v2c is what measured fast there).
    """
    if overlay is None:
        return None
    creds = credentials_from_secrets(overlay.secrets.snmp, prefer=config.sweep.lab_snmp)
    return {host: creds for host in overlay.devices}


def default_collectors(config: Config, lab: LabOverlay | None = None, snmp_workload: str = "full") -> dict[str, Collector]:
    """`snmp_workload` "links" (ports and LLDP only, about twice as fast) is what a diagnosis needs."""
    port = config.sweep.snmp_port
    return {
        "snmp": SnmpCollector(snmp_credentials(config, lab), port=port, workload=snmp_workload),
        "napalm": NapalmCollector(),
        "cli": CliCollector(),
    }


def _run_one(
    collector: Collector, nr: Nornir, options: CollectOptions, progress: SweepProgress
) -> dict[str, CollectResult]:
    """A collector that breaks as a whole still yields one failure per device, never an exception."""
    progress.start(collector.name, len(nr.inventory.hosts))
    try:
        return collector.collect(nr, options, lambda r: progress.advance(collector.name, r))
    except Exception as exc:
        return _all_failed(collector, nr, exc)


async def _run_one_async(
    collector: Collector, nr: Nornir, options: CollectOptions, progress: SweepProgress
) -> dict[str, CollectResult]:
    """`_run_one` on the running loop: a coroutine collector on it, any other in a thread beside it."""
    if not isinstance(collector, AsyncCollector):
        return await asyncio.to_thread(_run_one, collector, nr, options, progress)
    progress.start(collector.name, len(nr.inventory.hosts))
    try:
        return await collector.collect_async(nr, options, lambda r: progress.advance(collector.name, r))
    except Exception as exc:
        return _all_failed(collector, nr, exc)


def _all_failed(collector: Collector, nr: Nornir, exc: Exception) -> dict[str, CollectResult]:
    return {host: failure_from(host, collector.name, exc) for host in nr.inventory.hosts}


def _side_by_side(nr: Nornir, per_collector: Sequence[dict[str, CollectResult]]) -> dict[str, list[CollectResult]]:
    results: dict[str, list[CollectResult]] = {h: [] for h in nr.inventory.hosts}
    for got in per_collector:
        for host, result in got.items():
            results[host].append(result)
    return results


def collect_each(
    nr: Nornir, chosen: Sequence[Collector], options: CollectOptions, progress: SweepProgress
) -> dict[str, list[CollectResult]]:
    """Every host's result from each collector (in `chosen` order), the collectors side by side."""
    with ThreadPoolExecutor(max_workers=max(1, len(chosen)), thread_name_prefix="collector") as pool:
        futures = [pool.submit(_run_one, c, nr, options, progress) for c in chosen]
        return _side_by_side(nr, [future.result() for future in futures])


async def collect_each_async(
    nr: Nornir, chosen: Sequence[Collector], options: CollectOptions, progress: SweepProgress
) -> dict[str, list[CollectResult]]:
    """`collect_each` on a loop that is already running (a Dask worker's): same results, same order."""
    return _side_by_side(nr, await asyncio.gather(*(_run_one_async(c, nr, options, progress) for c in chosen)))


class PhaseRunner(Protocol):
    """Runs one phase of the sweep (`collect_each` here in-process; a Dask runner shards it)."""

    def __call__(
        self, nr: Nornir, chosen: Sequence[Collector], options: CollectOptions, progress: SweepProgress
    ) -> dict[str, list[CollectResult]]: ...


@runtime_checkable
class ShardedRunner(Protocol):
    """A Nornir runner that can also run a sweep phase across machines (netops.collect.runners)."""

    def collect_phase(
        self, nr: Nornir, chosen: Sequence[Collector], options: CollectOptions, progress: SweepProgress
    ) -> dict[str, list[CollectResult]]: ...


def collect(
    nr: Nornir,
    collectors: Mapping[str, Collector],
    request: SweepRequest,
    progress: SweepProgress,
    phase: PhaseRunner = collect_each,
) -> dict[str, list[CollectResult]]:
    """Every host's results from every selected collector; CLI only where nobody saw neighbours."""
    first = [collectors[v] for v in request.via if v != "cli"]
    results = phase(nr, first, request.options, progress)
    if "cli" in request.via:
        blind = [h for h, got in results.items() if not any(has_neighbours(r) for r in got)]
        if blind:
            subset = nr.filter(filter_func=lambda h: h.name in blind)
            for host, got in phase(subset, [collectors["cli"]], request.options, progress).items():
                results[host].extend(got)
    return results


def sweep(
    config: Config,
    inventory: Inventory,
    request: SweepRequest,
    *,
    progress: SweepProgress | None = None,
    collectors: Mapping[str, Collector] | None = None,
    nr: Nornir | None = None,
    lab: LabOverlay | None = None,
    runner: RunnerSpec | None = None,
) -> Snapshot:
    """Run the sweep and judge the links; the caller stores the snapshot (save_snapshot).

    `lab`: the lab overlay the caller chose (its devices' drivers and credentials), None for production.
    `runner`: where the collectors run (netops.collect.runners); an `nr` whose runner is already a
    ShardedRunner (a watch keeps one open) is sharded too.
    """
    started = datetime.now(UTC)
    workers = min(100, request.options.concurrency)
    nr = nr if nr is not None else build_nornir(config, workers=workers, checked=inventory, lab=lab)
    nr = apply_filters(
        nr, pds=request.pds, roles=request.roles, platforms=request.platforms, expressions=request.filters
    )
    if not nr.inventory.hosts:
        raise NotFoundError("no device matches the filters (see `netops inventory list`)")
    chosen = collectors if collectors is not None else default_collectors(config, lab)
    with open_runner(runner, inventory) as opened:
        nr = nr.with_runner(opened) if opened is not None else nr
        phase = nr.runner.collect_phase if isinstance(nr.runner, ShardedRunner) else collect_each
        per_host = collect(nr, chosen, request, progress or _Silent(), phase)
    observations: dict[str, DeviceObservation] = {}
    failures: dict[str, DeviceFailure] = {}
    for host, results in sorted(per_host.items()):
        merged = combine(host, results)
        if isinstance(merged, DeviceObservation):
            observations[host] = merged
        else:
            failures[host] = merged
    names: Iterable[str] = inventory.devices.keys()
    return Snapshot(
        started_at=started,
        finished_at=datetime.now(UTC),
        actor=current_actor(),
        request=request.as_dict() | {"devices": len(per_host)},
        observations=observations,
        failures=failures,
        links=judge_links(inventory.links, observations, failures, names),
        new_adjacencies=new_adjacencies(inventory.links, observations, names),
    )
