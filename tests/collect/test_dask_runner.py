"""The Dask runner on a real LocalCluster (worker processes), sweeping the sample city's 99 devices as
simulated devices: net-snmp snmpd agents on loopback addresses (tests/loopback_agents.py).

Every seventh device has no agent (refused at once) and every eleventh is a black hole (a socket
that never answers: timeouts), so shards take long enough to lose one mid-way. What the in-process
sweep reports is the reference; uptime and traffic counters are the only fields that move between
two sweeps of the same agents and are left out of the comparison.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from nornir import InitNornir
from nornir.core.task import Result, Task

from netops.cli.main import cli
from netops.collect.base import CollectOptions, CollectResult
from netops.collect.nornir_init import build_nornir
from netops.collect.runners import RunnerSpec, open_runner
from netops.collect.runners.dask_runner import (
    ClusterUnavailable,
    DaskRunner,
    domains_of,
    poller_of,
    thread_share,
)
from netops.collect.sweep import SweepRequest, collect_each, collect_each_async, default_collectors, sweep
from netops.config import Config, load_config
from netops.errors import ConfigError
from netops.models.observation import DeviceFailure, FailureReason, Snapshot
from netops.sources.inventory import Inventory, load_inventory
from tests.conftest import REPO
from tests.loopback_agents import free_udp_port, snmpd_path, start_agents, stop_agents, wait_ready

pytestmark = pytest.mark.slow
OPTIONS = CollectOptions(timeout=1.5, retries=1, concurrency=200)
WORKER_NAME_VARIABLE = "NETOPS_TEST_WORKER_NAME"


class City:
    def __init__(self, config: Config, inventory: Inventory, live: list[str], silent: list[str], refused: list[str]):
        self.config, self.inventory = config, inventory
        self.live, self.silent, self.refused = live, silent, refused


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    if snmpd_path() is None:
        pytest.skip("net-snmp snmpd not installed (apt-get install snmpd)")
    tmp = tmp_path_factory.mktemp("dask-city")
    root = tmp / "project"
    shutil.copytree(REPO / "inventory", root / "inventory")
    shutil.copytree(REPO / "topology", root / "topology")
    hosts = (root / "inventory" / "hosts.yaml").read_text().replace("hostname: 198.19.0.", "hostname: 127.19.0.")
    (root / "inventory" / "hosts.yaml").write_text(hosts)
    by_address = dict(re.findall(r"^(\S+):\n  hostname: (127\.19\.0\.\d+)", hosts, re.MULTILINE))
    addresses = {a: name for name, a in by_address.items()}
    last = {a: int(a.rsplit(".", 1)[1]) for a in addresses}
    refused = [a for a in addresses if last[a] % 7 == 0]
    silent = [a for a in addresses if last[a] % 11 == 0 and a not in refused]
    live = [a for a in addresses if a not in refused and a not in silent]
    port = free_udp_port()
    (root / "netops.yaml").write_text(
        f"inventory_dir: inventory\ntopology_dir: topology\nsweep: {{snmp_port: {port}}}\n")
    secrets = tmp / "secrets.yaml"
    secrets.write_text("snmp: {community: public}\n")
    secrets.chmod(0o600)
    env = {"NETOPS_CONFIG": str(root / "netops.yaml"), "NETOPS_SECRETS_FILE": str(secrets),
           "NETOPS_LAB_STATE": str(tmp / "no-lab.json")}  # a lab up on this machine must not overlay ours
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    holes = []
    for a in silent:  # bound, never read: the device exists but never answers
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a, port))
        holes.append(s)
    agents = start_agents(live, port, tmp / "agents", count=2)
    try:
        wait_ready(live, port, agents)
        config = load_config(root / "netops.yaml")
        yield City(config, load_inventory(config.inventory_dir, config.topology_dir),
                   [addresses[a] for a in live], [addresses[a] for a in silent], [addresses[a] for a in refused])
    finally:
        stop_agents(agents)
        for s in holes:
            s.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def runner(city: City) -> Iterator[DaskRunner]:
    """Two worker processes on 127.0.0.1, shards by failure domain of the sample city."""
    with DaskRunner(workers=2, shards=6, shard_by="failure_domain", domains=domains_of(city.inventory)) as r:
        yield r


def comparable(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot without what moves between two sweeps of the same agents (uptime, counters)."""
    d = snapshot.model_dump(mode="json", include={"observations", "failures", "links", "new_adjacencies"})
    for obs in d["observations"].values():
        obs["facts"].pop("uptime", None)
        obs.pop("interfaces_counters")
    return d


def bracketed(city: City, on_dask: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The Dask sweep, between two in-process sweeps (the host's own interfaces, which snmpd serves,
    may change while a lab elsewhere on the machine comes up: Dask must equal one of its neighbours)."""
    request = SweepRequest(options=OPTIONS)
    before = comparable(sweep(city.config, city.inventory, request))
    dask = comparable(on_dask(request))
    after = comparable(sweep(city.config, city.inventory, request))
    return dask, [before, after]


def test_the_city_sweeps_on_dask_with_the_same_snapshot(city: City, runner: DaskRunner) -> None:
    def on_dask(request: SweepRequest) -> Snapshot:
        nr = build_nornir(city.config, checked=city.inventory).with_runner(runner)
        return sweep(city.config, city.inventory, request, nr=nr)

    dask, references = bracketed(city, on_dask)
    assert dask in references
    assert sorted(dask["observations"]) == sorted(city.live)
    assert {h: f["reason"] for h, f in dask["failures"].items()} == (
        {h: "refused" for h in city.refused} | {h: "timeout" for h in city.silent})
    # failure domains are never split: each domain's devices sit in one shard
    domains = domains_of(city.inventory)
    shard_of = {name: shard.index for shard in runner.last_shards for name in shard.names}
    assert sorted(shard_of) == sorted(city.inventory.devices) and len(runner.last_shards) > 1
    for domain in set(domains.values()):
        assert len({shard_of[d] for d, dom in domains.items() if dom == domain}) == 1, domain


class CountingProgress:
    """Counts every advance per (collector, device); calls `on_first` once, on the first one."""

    def __init__(self, on_first: Any = None):
        self.started: dict[str, int] = {}
        self.advanced: dict[tuple[str, str], int] = {}
        self.on_first, self.lock = on_first, threading.Lock()

    def start(self, collector: str, total: int) -> None:
        self.started[collector] = total

    def advance(self, collector: str, result: CollectResult) -> None:
        with self.lock:
            first = not self.advanced
            key = (collector, result.host)
            self.advanced[key] = self.advanced.get(key, 0) + 1
        if first and self.on_first is not None:
            self.on_first()


def test_a_worker_killed_mid_sweep_loses_and_duplicates_nothing(city: City, runner: DaskRunner) -> None:
    client = runner.connect()
    killed: list[tuple[str, int]] = []
    first_device = threading.Event()

    def kill_a_busy_worker() -> None:
        """Once the first device is reported: SIGKILL a worker that is running a shard (its own
        thread: progress arrives on the Dask client's event loop, which must not block)."""
        if not first_device.wait(timeout=60):
            return
        busy = [w for w, keys in client.processing().items() if keys]
        pids = client.run(os.getpid)
        victim = busy[0] if busy else min(pids)
        os.kill(pids[victim], signal.SIGKILL)
        killed.append((victim, pids[victim]))

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    progress = CountingProgress(on_first=first_device.set)

    def on_dask(request: SweepRequest) -> Snapshot:
        nr = build_nornir(city.config, checked=city.inventory).with_runner(runner)
        return sweep(city.config, city.inventory, request, nr=nr, progress=progress)

    dask, references = bracketed(city, on_dask)
    first_device.set()
    killer.join(timeout=60)
    assert killed, "no worker was killed"
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0][1], 0)
    assert dask in references  # nothing lost: every device has the answer it has in-process
    devices = set(city.inventory.devices)
    assert set(dask["observations"]) | set(dask["failures"]) == devices
    assert not set(dask["observations"]) & set(dask["failures"])
    assert not any("lost" in f["message"] for f in dask["failures"].values())
    assert progress.started == {"snmp": len(devices)}
    assert progress.advanced == {("snmp", d): 1 for d in devices}  # each device on the bar once


class BrokenAsWhole:
    """A collector that raises instead of answering (a bug in it): the sweep must still report each device."""

    name = "broken"

    def collect(self, nr: Any, options: CollectOptions, on_result: Any) -> dict[str, CollectResult]:
        raise RuntimeError("collector bug")


def test_the_worker_loop_path_reports_what_the_threaded_path_reports(city: City) -> None:
    """A shard runs `collect_each_async` on the worker's loop (SNMP on the loop, others in threads);
    in-process runs `collect_each` (each collector in a thread): same results, same order, same bar."""
    nr = build_nornir(city.config, checked=city.inventory)
    chosen = [default_collectors(city.config)["snmp"], BrokenAsWhole()]

    def shaped(results: dict[str, list[CollectResult]]) -> dict[str, list[dict[str, Any]]]:
        return {h: [r.model_dump(mode="json", exclude={"interfaces_counters": True, "facts": {"uptime"}})
                    for r in got] for h, got in results.items()}

    threaded, looped = CountingProgress(), CountingProgress()
    reference = shaped(collect_each(nr, chosen, OPTIONS, threaded))
    on_loop = shaped(asyncio.run(collect_each_async(nr, chosen, OPTIONS, looped)))
    assert on_loop == reference
    assert [r["via"] for r in on_loop[city.live[0]]] == ["snmp", "broken"]
    assert {r[1]["reason"] for r in on_loop.values()} == {"error"}
    assert looped.started == threaded.started == {"snmp": len(city.inventory.devices),
                                                  "broken": len(city.inventory.devices)}
    assert looped.advanced == {("snmp", d): 1 for d in city.inventory.devices}


@pytest.mark.parametrize(("concurrency", "threads", "share"), [(200, 1, 200), (200, 3, 67), (200, 0, 200), (1, 8, 1)])
def test_a_workers_threads_share_its_concurrency(concurrency: int, threads: int, share: int) -> None:
    assert thread_share(CollectOptions(concurrency=concurrency), threads).concurrency == share


def test_a_lost_shard_is_one_failure_per_device_with_the_reason() -> None:
    got = DaskRunner._complete(
        shard=_shard("a", "b"), chosen=[_named("snmp"), _named("napalm")], outcome=RuntimeError("KilledWorker"))
    assert {h: [(r.via, r.reason) for r in rs] for h, rs in got.items()} == {
        h: [("snmp", FailureReason.error), ("napalm", FailureReason.error)] for h in ("a", "b")}
    assert all(isinstance(r, DeviceFailure) and "shard 0 lost: RuntimeError" in r.message
               for rs in got.values() for r in rs)


def _shard(*names: str) -> Any:
    from netops.collect.runners.shards import HostRecord, Shard
    return Shard(0, tuple(HostRecord(name=n) for n in names))


def _named(name: str) -> Any:
    class Named:
        def __init__(self) -> None:
            self.name = name
    return Named()


def test_watch_polls_through_the_same_runner(city: City) -> None:
    from netops.app.watch import live_poll

    with open_runner(RunnerSpec("dask", workers=1), city.inventory) as opened:
        assert opened is not None
        dask = comparable(live_poll(city.config, city.inventory, None, 1.5, runner=opened))
        assert opened.last_shards, "the poll did not go through the Dask runner"
    reference = comparable(live_poll(city.config, city.inventory, None, 1.5))
    assert dask["failures"] == reference["failures"]
    assert sorted(dask["observations"]) == sorted(reference["observations"]) == sorted(city.live)


def test_cli_sweep_and_watch_take_the_dask_runner(city: City) -> None:
    result = CliRunner().invoke(cli, ["sweep", "--runner", "dask", "--json", "--timeout", "1.5", "--pd", "BAPENDA"])
    assert result.exit_code in (0, 1), result.output
    swept = json.loads(result.stdout)
    bapenda = {n for n, d in city.inventory.devices.items() if d.pd == "BAPENDA"}
    assert set(swept["devices"]) | set(swept["failures"]) == bapenda
    result = CliRunner().invoke(cli, ["watch", "--runner", "dask", "--cycles", "1", "--interval", "1", "--json"])
    assert result.exit_code == 0, result.output


def test_an_unreachable_scheduler_is_one_line_and_exit_2_before_any_work(city: City) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["sweep", "--runner", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error Dask scheduler tcp://127.0.0.1:{port} is not reachable (Connection refused); no device was asked"]
    assert time.monotonic() - started < 10
    listed = CliRunner().invoke(cli, ["snapshots", "list", "--json"])
    assert json.loads(listed.stdout) == [], "a snapshot was stored"


def test_a_scheduler_without_workers_is_refused() -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as empty:
        runner = DaskRunner(address=empty.scheduler_address, worker_wait=1)
        with pytest.raises(ClusterUnavailable, match="has no worker after 1 s"):
            runner.connect()


def test_scheduler_needs_the_dask_runner() -> None:
    result = CliRunner().invoke(cli, ["sweep", "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert result.output.strip() == "error a scheduler address needs the dask runner (--runner dask)"


def site_and_worker(task: Task) -> Result:
    """A plain Nornir task: the host's site and the name of the worker process that ran it (from its
    environment: Dask's `get_worker` does not reach the threads of a shard's Nornir runner)."""
    return Result(host=task.host, result=(task.host["site"], os.environ.get(WORKER_NAME_VARIABLE)))


@pytest.fixture(scope="module")
def pollers() -> Iterator[str]:
    """A scheduler with two named pollers' workers on 127.0.0.1: `poller-north`, and `poller-south-0`
    (what `dask worker --name poller-south --nworkers 2` names its first process)."""
    from distributed import Nanny, Scheduler, SpecCluster

    workers = {name: {"cls": Nanny, "options": {"name": name, "nthreads": 1, "host": "127.0.0.1",
                                                "env": {WORKER_NAME_VARIABLE: name}}}
               for name in ("poller-north", "poller-south-0")}
    scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}}
    with SpecCluster(workers=workers, scheduler=scheduler) as cluster:
        yield cluster.scheduler_address


def test_a_sites_devices_are_polled_only_by_its_pollers(city: City, pollers: str) -> None:
    sites = sorted({d.site for d in city.inventory.devices.values()})
    north, south, east = sites[0:10], sites[10:20], sites[20]       # each poller's sites in several shards
    served = {"poller-north": north, "poller-south": south, "poller-east": [east]}  # poller-east: no worker
    spec = RunnerSpec("dask", address=pollers, shards=30, shard_by="site", pollers=served)
    with open_runner(spec, city.inventory) as runner:
        assert runner is not None
        nr = build_nornir(city.config, checked=city.inventory).with_runner(runner)
        results = nr.run(task=site_and_worker)
        assert sorted(results) == sorted(city.inventory.devices)
        ran_on = {name: multi[0].result[1] for name, multi in results.items() if not multi.failed}
        site = {name: d.site for name, d in city.inventory.devices.items()}
        assert len({s.index for s in runner.last_shards if s.pollers == ("poller-north",)}) >= 3
        assert {ran_on[n] for n in site if site[n] in north} == {"poller-north"}
        assert {ran_on[n] for n in site if site[n] in south} == {"poller-south-0"}
        stranded = sorted(n for n in site if site[n] == east)
        assert sorted(nr.data.failed_hosts) == stranded
        assert all(f"no worker of poller poller-east is connected (it polls site {east})" in
                   str(results[n][0].exception) for n in stranded)
        # the sweep goes through the same placement: the stranded devices fail at once, saying why
        snapshot = sweep(city.config, city.inventory, SweepRequest(options=OPTIONS),
                         nr=build_nornir(city.config, checked=city.inventory).with_runner(runner))
    not_run = {h: f.message for h, f in snapshot.failures.items() if "no worker of poller" in f.message}
    assert sorted(not_run) == stranded
    assert sorted(snapshot.observations) == sorted(set(city.live) - set(stranded))


def test_a_poller_that_dies_mid_sweep_fails_its_devices_instead_of_holding_the_sweep(city: City) -> None:
    """Dask holds a shard whose allowed workers are all gone until one comes back; the runner stops
    waiting after POLLER_GRACE_S and reports its devices, each once, with the reason."""
    from distributed import LocalCluster

    sites = sorted({d.site for d in city.inventory.devices.values()})
    pinned = {n for n, d in city.inventory.devices.items() if d.site in sites[:20]}
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        poller = subprocess.Popen(  # a poller machine: no nanny to bring its worker back
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address, "--name", "poller-north",
             "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1", "--no-dashboard"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with DaskRunner(address=cluster.scheduler_address, shards=8, shard_by="site", deadline=120,
                            pollers={"poller-north": sites[:20]}) as runner:
                client = runner.connect()
                client.wait_for_workers(2, timeout=60)
                address = next(a for a, w in client.scheduler_info(n_workers=-1)["workers"].items()
                               if w["name"] == "poller-north")

                def kill_the_poller_while_it_polls() -> None:
                    deadline = time.monotonic() + 60
                    while not client.processing().get(address) and time.monotonic() < deadline:
                        time.sleep(0.05)
                    poller.kill()

                killer = threading.Thread(target=kill_the_poller_while_it_polls, daemon=True)
                killer.start()
                snapshot = sweep(city.config, city.inventory, SweepRequest(options=OPTIONS),
                                 nr=build_nornir(city.config, checked=city.inventory).with_runner(runner))
                killer.join(timeout=60)
        finally:
            poller.kill()
            poller.wait(timeout=10)
    assert poller.returncode == -signal.SIGKILL
    reported = set(snapshot.observations) | set(snapshot.failures)
    assert reported == set(city.inventory.devices) and not set(snapshot.observations) & set(snapshot.failures)
    stranded = {h for h, f in snapshot.failures.items()
                if "no worker of poller poller-north is connected" in f.message}
    assert stranded and stranded <= pinned
    assert not any("not finished within" in f.message for f in snapshot.failures.values())
    assert set(city.live) - pinned <= set(snapshot.observations)     # the other devices are polled as usual


@pytest.mark.parametrize(("worker", "poller"), [
    ("poller-north", "poller-north"), ("poller-north-0", "poller-north"), ("poller-north-11", "poller-north"),
    ("poller-north-2", "poller-north-2"), ("poller-north-2-1", "poller-north-2"),
    ("poller-northeast", None), ("poller-north-x", None), ("tcp://127.0.0.1:4000", None)])
def test_a_worker_belongs_to_the_poller_that_named_it(worker: str, poller: str | None) -> None:
    assert poller_of(worker, ["poller-north", "poller-north-2", "poller-south"]) == poller


def test_a_poller_naming_an_unknown_site_is_refused_before_any_work(city: City) -> None:
    spec = RunnerSpec("dask", address="tcp://127.0.0.1:1", pollers={"poller-north": ("pusat-data", "nowhere")})
    with pytest.raises(ConfigError, match=r"sweep.pollers.poller-north: unknown site nowhere"), \
            open_runner(spec, city.inventory):
        pytest.fail("the runner opened")


def platform_and_site(task: Task, fail_on: str) -> Result:
    """A plain Nornir task: fails on one host, answers from inventory data elsewhere."""
    if task.host.name == fail_on:
        raise ValueError(f"{fail_on} refuses")
    return Result(host=task.host, result=(task.host.platform, task.host["site"]))


def test_registered_as_a_nornir_runner_plugin(city: City) -> None:
    nr = InitNornir(runner={"plugin": "dask", "options": {"workers": 1, "shards": 3, "shard_by": "site"}},
                    inventory={"plugin": "NetopsInventory", "options": {"config": city.config}},
                    logging={"enabled": False})
    try:
        results = nr.run(task=platform_and_site, fail_on="core-pd-01")
        hosts = nr.inventory.hosts
        assert sorted(results) == sorted(hosts)
        assert set(nr.data.failed_hosts) == {"core-pd-01"}
        assert "ValueError: core-pd-01 refuses" in str(results["core-pd-01"][0].exception)
        for name, multi in results.items():
            assert multi[0].host is hosts[name]
            if name != "core-pd-01":
                assert multi[0].result == (hosts[name].platform, hosts[name]["site"])
        # shard_by site: no site is split across shards
        shard_of = {n: s.index for s in nr.runner.last_shards for n in s.names}  # type: ignore[attr-defined]
        for site in {h["site"] for h in hosts.values()}:
            assert len({shard_of[n] for n, h in hosts.items() if h["site"] == site}) == 1
    finally:
        nr.runner.close()  # type: ignore[attr-defined]
