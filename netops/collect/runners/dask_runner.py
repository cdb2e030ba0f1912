"""A Nornir runner on Dask distributed: one sweep over many pollers, on an engine others maintain.

One netops process polls a city; a shared operator polling tens of thousands of devices every few
minutes needs pollers near the devices. Dask distributed brings the scheduling, the retries on a
dead worker, a dashboard and a `LocalCluster` for tests, all in pure Python; no Nornir runner for it
existed, so this is one.

How a run goes:
1. the hosts become plain records (netops.collect.runners.shards): Nornir hosts do not pickle;
2. the records are grouped into shards (by failure domain, site or count); each shard is one Dask
   task, a coroutine on the worker's own event loop, that rebuilds a Nornir over its hosts and runs
   the existing collectors there (the asyncio SNMP poller on that loop; NAPALM/CLI tasks with a
   threaded runner beside it); a worker's shards together keep `concurrency` devices in flight;
3. each shard returns plain results; the client puts them back as the sweep's per-host results, or
   as Nornir's `AggregatedResult` (then `Nornir.run` fills `failed_hosts` as with any runner);
4. workers report each device as it finishes (Dask worker events), so the rich bar moves live.

Faults. A worker that dies mid-shard: Dask reruns the shard on another worker (up to its
`allowed-failures`); the devices the dead attempt had already reported are not counted again. A shard
that is lost for good (or not back within the deadline) becomes one failure per device, with the
reason. So every device is reported exactly once. A scheduler that cannot be reached, or that has no
worker, is a `ClusterUnavailable` before any device is asked.

Pollers near the devices: with `pollers: {poller: [site, ...]}`, the shards of a site's devices run only
on the workers of the pollers that serve it (Dask worker restrictions; a worker belongs to poller P when
`dask worker --name P` named it, `P-0`, `P-1`... with `--nworkers`). When none of them is connected, the
shard's devices fail at once, saying which pollers were expected; nothing is polled from a place that may
not reach them. The same holds when a poller's last worker leaves mid-sweep (after POLLER_GRACE_S, in
which a nanny restarts a crashed worker): Dask would hold its shards until one comes back.

Secrets: a shard carries its own hosts' login and SNMP credentials (SecretStr, never printed), in
memory; between machines, use a `tls://` scheduler address (README: "Sweeps on several machines").
"""
from __future__ import annotations

import importlib
import itertools
import logging
import math
import os
import pickle
import queue
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from netops.analysis.domains import failure_domains
from netops.analysis.graph import declared_graph
from netops.collect.base import CollectOptions, Collector, CollectResult
from netops.collect.runners.shards import (
    HostRecord,
    Shard,
    ShardBy,
    group_key,
    nornir_of,
    pin_by_site,
    plan_shards,
    record_of,
    shard_count,
)
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp_collector import SnmpCollector
from netops.collect.sweep import SweepProgress, collect_each_async
from netops.errors import NetopsError
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason

if TYPE_CHECKING:
    from netops.sources.inventory import Inventory

PROGRESS_BATCH = 200      # devices per progress event at most
PROGRESS_EVERY_S = 0.5    # and at least this often while devices finish
PROGRESS_TOPIC = "netops-progress"  # one topic: the scheduler keeps a bounded log per topic
DEFAULT_SHARD_SIZE = 500
POLLER_CHECK_S = 2.0      # how often a sweep checks that pinned shards' pollers still have a worker
POLLER_GRACE_S = 10.0     # how long a poller may have none before its pending shards fail
_log = logging.getLogger(__name__)


def _distributed() -> Any:
    """The `distributed` package, imported on first use (an in-process sweep never pays for it).

    Its API is only partly annotated, so it is used through `Any`: mypy --strict checks our side.
    """
    return importlib.import_module("distributed")


class ClusterUnavailable(NetopsError):
    """The Dask scheduler cannot be reached or has no worker; nothing was asked of any device."""


class ShardTaskError(Exception):
    """A task failed inside a shard; the worker's exception, as text (exceptions may not pickle)."""


class NoPoller(Exception):
    """None of the pollers that serve a shard's sites has a worker connected; the shard was not run."""


def domains_of(inventory: Inventory) -> dict[str, str]:
    """Device -> failure domain of the declared topology (netops.analysis.domains)."""
    return failure_domains(declared_graph(inventory))


@dataclass(frozen=True)
class ShardCredentials:
    """SNMP credentials of one shard's hosts only: what travels instead of the whole secrets file."""

    by_host: Mapping[str, SnmpCredentials | None]

    def __call__(self, host: str) -> SnmpCredentials | None:
        return self.by_host.get(host)


def portable(collector: Collector, names: Sequence[str]) -> Collector:
    """The collector as it travels to a shard: the SNMP one with its hosts' credentials resolved here."""
    if isinstance(collector, SnmpCollector):
        creds = ShardCredentials({n: collector.credentials_for(n) for n in names})
        return SnmpCollector(creds, port=collector.port, workload=collector.workload)
    return collector


# ---------------------------------------------------------------- worker side


class _WorkerRelay:
    """The SweepProgress a shard reports to: Dask worker events, a batch of devices per event.

    Built in the shard's task, where Dask's "current worker" is set: NAPALM and CLI call `advance`
    from their own threads, where it is not; `Worker.log_event` itself is thread-safe. One
    event per device cost the worker a sixth of its time at 5,000 devices on 2 cores: devices are sent
    in batches, at most every PROGRESS_EVERY_S seconds (or PROGRESS_BATCH devices), and the rest at the end.
    """

    def __init__(self, token: str | None):
        self.token = token
        self.worker = _distributed().get_worker() if token is not None else None
        self.lock = threading.Lock()
        self.pending: list[tuple[str, str, tuple[str, str] | None]] = []
        self.sent_at: float | None = None          # the first device goes at once: the bar moves early

    def start(self, collector: str, total: int) -> None:
        pass

    def advance(self, collector: str, result: CollectResult) -> None:
        if self.worker is None:
            return
        failure = (result.reason.value, result.message) if isinstance(result, DeviceFailure) else None
        with self.lock:
            self.pending.append((collector, result.host, failure))
            due = (self.sent_at is None or len(self.pending) >= PROGRESS_BATCH
                   or time.monotonic() - self.sent_at >= PROGRESS_EVERY_S)
        if due:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            batch, self.pending, self.sent_at = self.pending, [], time.monotonic()
        if batch and self.worker is not None:
            self.worker.log_event(PROGRESS_TOPIC, (self.token, batch))


def thread_share(options: CollectOptions, threads: int) -> CollectOptions:
    """A shard's part of its worker's concurrency. A worker runs as many shards at once as it has
    threads (`dask worker --nthreads`, default one per core), all on its one loop: together they keep
    `options.concurrency` devices in flight per worker, as one in-process sweep does per process."""
    return replace(options, concurrency=max(1, math.ceil(options.concurrency / max(threads, 1))))


async def run_sweep_shard(shard: Shard, chosen: Sequence[Collector], options: CollectOptions,
                          token: str | None) -> dict[str, list[CollectResult]]:
    """On a worker: the shard's hosts through the existing collectors (netops.collect.sweep).

    A coroutine, so Dask runs it on the worker's own event loop: the SNMP poll shares that loop with
    the worker's heartbeats and monitors instead of contending with them for the GIL from a task
    thread (measured: about a tenth of the poll's time at 5,000 devices). NAPALM and CLI run in
    threads beside it, as in-process."""
    relay = _WorkerRelay(token)
    if relay.worker is not None:
        options = thread_share(options, relay.worker.state.nthreads)
    nr = nornir_of(shard.hosts, num_workers=max(1, min(options.concurrency, 100)))
    try:
        return await collect_each_async(nr, chosen, options, relay)
    finally:
        relay.flush()


@dataclass(frozen=True)
class ResultRecord:
    """One Nornir `Result` as plain data (the host is put back on the client)."""

    name: str | None
    result: Any
    changed: bool
    diff: str
    failed: bool
    exception: str | None
    severity_level: int


def _record_result(r: Result) -> ResultRecord:
    exception = f"{type(r.exception).__name__}: {r.exception}" if r.exception is not None else None
    value, failed = r.result, r.failed
    try:
        pickle.dumps(value)
    except Exception as exc:
        value, failed = None, True
        exception = f"result could not be sent back from the worker: {type(exc).__name__}: {exc}"
    return ResultRecord(r.name, value, r.changed, str(r.diff or ""), failed, exception, r.severity_level)


def run_task_shard(shard: Shard, task: Callable[..., Any], name: str | None, severity_level: int,
                   params: dict[str, Any], dry_run: bool | None, num_workers: int
                   ) -> dict[str, list[ResultRecord]]:
    """On a worker: any Nornir task over the shard's hosts, with a threaded runner."""
    nr = nornir_of(shard.hosts, num_workers=num_workers)
    nr.data.dry_run = bool(dry_run)
    results = nr.run(task=task, name=name, severity_level=severity_level, raise_on_error=False, **params)
    return {host: [_record_result(r) for r in multi] for host, multi in results.items()}


def _warm_up() -> None:
    """Import the collectors once per worker, before the first shard is timed."""
    import netops.collect.cli_collector
    import netops.collect.napalm_collector  # noqa: F401


# ---------------------------------------------------------------- client side


class _ProgressRelay:
    """Client side of the progress: each (collector, device) advances the bar once, from whichever
    comes first, the worker's event or the shard's returned result (a retried shard reports twice)."""

    def __init__(self, progress: SweepProgress, token: str):
        self.progress, self.token = progress, token
        self.lock = threading.Lock()
        self.done: set[tuple[str, str]] = set()

    def _advance(self, collector: str, result: CollectResult) -> None:
        with self.lock:
            if (collector, result.host) in self.done:
                return
            self.done.add((collector, result.host))
        self.progress.advance(collector, result)

    def event(self, event: tuple[float, Any]) -> None:
        token, batch = event[1]
        if token != self.token:
            return
        for collector, host, failure in batch:
            result: CollectResult = (DeviceObservation(host=host, via=collector) if failure is None else
                                     DeviceFailure(host=host, via=collector, reason=FailureReason(failure[0]),
                                                   message=failure[1]))
            self._advance(collector, result)

    def settle(self, chosen: Sequence[Collector], results: Mapping[str, list[CollectResult]]) -> None:
        for got in results.values():
            for collector, result in zip(chosen, got, strict=False):
                self._advance(collector.name, result)


def _outcome(future: Any) -> Any:
    """A finished future's result, or the exception that ended it."""
    try:
        return future.result()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        return exc


def _why_missing(shard: Shard, outcome: Any) -> str:
    """Why a device of `shard` has no result: the shard was not run or was lost (`outcome` is the
    exception), or it came back without that device."""
    if isinstance(outcome, NoPoller):
        return f"shard {shard.index} not run: {outcome}"
    if isinstance(outcome, BaseException):
        return f"shard {shard.index} lost: {type(outcome).__name__}: {str(outcome).strip()[:200]}"
    return f"shard {shard.index} returned no result for this device"


def poller_of(worker_name: str, pollers: Sequence[str]) -> str | None:
    """The poller a worker belongs to: its `--name`, else that name with the `-N` that `--nworkers` adds
    (a poller named exactly as the worker wins: `poller-north-2` is not `poller-north`'s third worker)."""
    if worker_name in pollers:
        return worker_name
    return next((p for p in pollers if re.fullmatch(re.escape(p) + r"-\d+", worker_name)), None)


def _reachable(address: str, timeout: float) -> None:
    """A TCP connect to the scheduler: fails fast and clearly (Dask's own client retries, then
    leaves a half-built client behind)."""
    comm = importlib.import_module("distributed.comm.addressing")
    try:
        scheme, location = comm.parse_address(address)
        host, port = comm.parse_host_port(location)
    except ValueError as exc:
        raise ClusterUnavailable(f"Dask scheduler {address!r}: {exc} (expected tcp://HOST:PORT)") from exc
    if scheme not in ("tcp", "tls"):
        return
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ClusterUnavailable(f"Dask scheduler {address} is not reachable ({exc.strerror or exc}); "
                                 "no device was asked") from exc


class DaskRunner:
    """Nornir runner plugin `dask`: `runner: {plugin: dask, options: {address, shards, shard_by, pollers}}`.

    `address` None starts a LocalCluster of `workers` processes (default: one per core) on 127.0.0.1.
    `shards` None: enough for `shard_size` devices each, at least two per worker thread.
    `shard_by`: count | site | failure_domain (`domains`: device -> domain; else a host's
    `failure_domain` data). `pollers`: poller name -> the sites only its workers poll.
    The client connects on first use (or `connect()`); `close()` ends it.
    """

    def __init__(self, address: str | None = None, shards: int | None = None, shard_by: ShardBy = "count",
                 workers: int | None = None, domains: Mapping[str, str] | None = None,
                 pollers: Mapping[str, Sequence[str]] | None = None,
                 shard_size: int = DEFAULT_SHARD_SIZE, connect_timeout: float = 10.0,
                 worker_wait: float = 30.0, num_workers: int = 20, deadline: float | None = None):
        self.address, self.shards, self.shard_by, self.workers = address, shards, shard_by, workers
        self.domains: Mapping[str, str] = domains or {}
        self.pollers: Mapping[str, Sequence[str]] = pollers or {}
        self.shard_size, self.connect_timeout, self.worker_wait = shard_size, connect_timeout, worker_wait
        self.num_workers, self.deadline = num_workers, deadline
        self._client: Any = None   # distributed.Client
        self._cluster: Any = None  # distributed.LocalCluster when address is None
        self._phases = itertools.count()
        self.last_shards: list[Shard] = []  # what the latest phase ran (for reports and tests)

    # -- connection

    def connect(self) -> Any:
        """Connect (or start the local cluster) and wait for a worker; ClusterUnavailable if not."""
        if self._client is not None:
            return self._client
        dask = _distributed()
        where = self.address or "local cluster"
        if self.address is None:
            self._cluster = dask.LocalCluster(n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1,
                                         processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                         silence_logs=logging.ERROR)
            client = dask.Client(self._cluster, set_as_default=False)
        else:
            _reachable(self.address, self.connect_timeout)
            try:
                client = dask.Client(self.address, timeout=self.connect_timeout, set_as_default=False)
            except (OSError, ValueError) as exc:
                raise ClusterUnavailable(f"Dask scheduler {self.address}: {exc}; no device was asked") from exc
        try:
            client.wait_for_workers(1, timeout=self.worker_wait)
            client.run(_warm_up)
        except TimeoutError as exc:
            client.close()
            self.close()
            raise ClusterUnavailable(f"Dask scheduler {where} has no worker after {self.worker_wait:g} s "
                                     "(start `dask worker ADDRESS` on a poller); no device was asked") from exc
        self._client = client
        return client

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- shards

    def plan(self, records: Sequence[HostRecord]) -> list[Shard]:
        """The shards for these hosts on the connected cluster (one worker thread counts one)."""
        threads = sum(self.connect().nthreads().values())
        count = shard_count(len(records), threads, self.shards, self.shard_size)
        return plan_shards(records, count, group_key(self.shard_by, self.domains), pin_by_site(self.pollers))

    def _poller_workers(self) -> dict[str, list[str]]:
        """Poller -> the addresses of its workers connected now."""
        workers: dict[str, list[str]] = {}
        for address, about in self.connect().scheduler_info(n_workers=-1)["workers"].items():
            poller = poller_of(str(about.get("name", "")), list(self.pollers))
            if poller is not None:
                workers.setdefault(poller, []).append(address)
        return workers

    @staticmethod
    def _no_poller(shard: Shard) -> NoPoller:
        sites = sorted({str(h.data.get("site")) for h in shard.hosts})
        return NoPoller(f"no worker of poller {' or '.join(shard.pollers)} is connected "
                        f"(it polls site {', '.join(sites)})")

    def _dispatch(self, shards: Sequence[Shard], submit: Callable[..., Any]
                  ) -> tuple[dict[Any, Shard], list[tuple[Shard, BaseException]]]:
        """Each shard submitted (`submit(shard, **restrictions)` -> future), on its pollers' workers when
        it has pollers; a shard none of whose pollers is connected is not run: its outcome is NoPoller."""
        workers = self._poller_workers() if any(shard.pollers for shard in shards) else {}
        futures: dict[Any, Shard] = {}
        not_run: list[tuple[Shard, BaseException]] = []
        for shard in shards:
            if not shard.pollers:
                futures[submit(shard)] = shard
                continue
            addresses = sorted(a for p in shard.pollers for a in workers.get(p, []))
            if addresses:
                futures[submit(shard, workers=addresses, allow_other_workers=False)] = shard
            else:
                not_run.append((shard, self._no_poller(shard)))
        return futures, not_run

    def _stranded(self, pending: Mapping[Any, Shard], absent_since: dict[tuple[str, ...], float]
                  ) -> dict[Any, NoPoller]:
        """The pinned shards whose pollers have had no worker for POLLER_GRACE_S (a nanny restarting a
        crashed worker comes back well within it): Dask would hold them until one comes back."""
        pinned = {future: shard for future, shard in pending.items() if shard.pollers}
        if not pinned:
            return {}
        workers, now = self._poller_workers(), time.monotonic()
        stranded = {}
        for future, shard in pinned.items():
            if any(workers.get(p) for p in shard.pollers):
                absent_since.pop(shard.pollers, None)
            elif now - absent_since.setdefault(shard.pollers, now) >= POLLER_GRACE_S:
                stranded[future] = self._no_poller(shard)
        return stranded

    def _outcomes(self, futures: dict[Any, Shard], seconds: float
                  ) -> Iterator[tuple[Shard, Any | BaseException]]:
        """Each shard with its result or the exception that lost it, as they finish; shards past the
        deadline, or pinned to pollers that are gone, are cancelled and reported. Never raises."""
        pending = dict(futures)
        finished: queue.Queue[Any] = queue.Queue()
        for future in futures:
            future.add_done_callback(finished.put)      # from Dask's thread, also when cancelled
        end = time.monotonic() + seconds
        checked = time.monotonic()
        absent_since: dict[tuple[str, ...], float] = {}
        while pending:
            left = end - time.monotonic()
            if left <= 0:
                for future, shard in pending.items():
                    future.cancel()
                    yield shard, TimeoutError(f"not finished within {seconds:g} s")
                return
            try:
                done = finished.get(timeout=min(left, POLLER_CHECK_S))
            except queue.Empty:
                done = None
            if done is not None and done in pending:
                yield pending.pop(done), _outcome(done)
            if time.monotonic() - checked >= POLLER_CHECK_S:
                checked = time.monotonic()
                for future, why in self._stranded(pending, absent_since).items():
                    future.cancel()
                    yield pending.pop(future), why

    def _phase_deadline(self, hosts: int, options: CollectOptions) -> float:
        """Generous: ten times the worst case of polling every device in waves of `concurrency`."""
        if self.deadline is not None:
            return self.deadline
        waves = -(-hosts // max(options.concurrency, 1))
        return 120.0 + 10.0 * options.worst_case_seconds * waves

    # -- the sweep

    def collect_phase(self, nr: Nornir, chosen: Sequence[Collector], options: CollectOptions,
                      progress: SweepProgress) -> dict[str, list[CollectResult]]:
        """One sweep phase (netops.collect.sweep.PhaseRunner) across the cluster."""
        names = list(nr.inventory.hosts)
        if not chosen or not names:
            return {h: [] for h in names}
        client = self.connect()
        shards = self.plan([record_of(h) for h in nr.inventory.hosts.values()])
        self.last_shards = shards
        token = f"{uuid.uuid4().hex[:12]}-{next(self._phases)}"
        relay = _ProgressRelay(progress, token)
        for c in chosen:
            progress.start(c.name, len(names))
        client.subscribe_topic(PROGRESS_TOPIC, relay.event)
        try:
            futures, not_run = self._dispatch(shards, lambda shard, **where: client.submit(
                run_sweep_shard, shard, [portable(c, shard.names) for c in chosen], options, token,
                key=f"netops-sweep-{token}-shard-{shard.index}", pure=False, retries=1, **where))
            results: dict[str, list[CollectResult]] = {}
            for shard, outcome in itertools.chain(
                    not_run, self._outcomes(futures, self._phase_deadline(len(names), options))):
                got = self._complete(shard, chosen, outcome)
                relay.settle(chosen, got)
                results.update(got)
        finally:
            client.unsubscribe_topic(PROGRESS_TOPIC)
        return {h: results[h] for h in names}

    @staticmethod
    def _complete(shard: Shard, chosen: Sequence[Collector], outcome: Any) -> dict[str, list[CollectResult]]:
        """Exactly one result per collector for each of the shard's hosts: what came back, else a failure."""
        got: Mapping[str, list[CollectResult]] = {} if isinstance(outcome, BaseException) else outcome
        why = _why_missing(shard, outcome)
        out: dict[str, list[CollectResult]] = {}
        for name in shard.names:
            mine = list(got.get(name, []))
            out[name] = [mine[i] if i < len(mine) else
                         DeviceFailure(host=name, via=c.name, reason=FailureReason.error, message=why)
                         for i, c in enumerate(chosen)]
        return out

    # -- Nornir's runner contract

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        """Nornir's RunnerPlugin: `task` over `hosts`, sharded; the task and its parameters must pickle."""
        result = AggregatedResult(task.name)
        if not hosts:
            return result
        client = self.connect()
        by_name = {h.name: h for h in hosts}
        shards = self.plan([record_of(h) for h in hosts])
        self.last_shards = shards
        token = f"{uuid.uuid4().hex[:12]}-{next(self._phases)}"
        futures, not_run = self._dispatch(shards, lambda shard, **where: client.submit(
            run_task_shard, shard, task.task, task.name, task.severity_level, task.params, task.global_dry_run,
            self.num_workers, key=f"netops-task-{token}-shard-{shard.index}", pure=False, retries=1, **where))
        deadline = self._phase_deadline(len(hosts), CollectOptions())
        for shard, outcome in itertools.chain(not_run, self._outcomes(futures, deadline)):
            for name in shard.names:
                host = by_name[name]
                multi = MultiResult(task.name)
                records = None if isinstance(outcome, BaseException) else outcome.get(name)
                if records is None:
                    why = _why_missing(shard, outcome)
                    multi.append(Result(host, result=why, failed=True, exception=ShardTaskError(why),
                                        severity_level=logging.ERROR, name=task.name))
                for r in records or []:
                    multi.append(Result(host, result=r.result, changed=r.changed, diff=r.diff, failed=r.failed,
                                        exception=ShardTaskError(r.exception) if r.exception else None,
                                        severity_level=r.severity_level, name=r.name))
                task.processors.task_instance_started(task, host)
                task.processors.task_instance_completed(task, host, multi)
                result[name] = multi
        return result
