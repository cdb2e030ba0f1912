"""Where a sweep runs: in this process (Nornir's threaded runner) or sharded over a Dask cluster.

`RunnerSpec` is the plain choice a command or a playbook makes (`--runner dask --scheduler ADDR`);
`open_runner` turns it into a live runner for the length of a `with` block, so a watch that polls
every few minutes keeps one cluster connection instead of paying for it every cycle. Dask is
imported only when it is chosen: an in-process sweep never pays for it.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from netops.collect.runners.shards import SHARD_BY, ShardBy
from netops.errors import ConfigError

if TYPE_CHECKING:
    from netops.collect.runners.dask_runner import DaskRunner
    from netops.sources.inventory import Inventory

RunnerKind = Literal["threaded", "dask"]
RUNNERS: tuple[RunnerKind, ...] = ("threaded", "dask")


@dataclass(frozen=True)
class RunnerSpec:
    """`threaded` (default, in-process) or `dask`: `address` None starts a local cluster of
    `workers` processes; `shard_by` None means failure domains where the topology is known;
    `pollers`: poller name -> the sites only its workers poll (netops.yaml `sweep.pollers`)."""

    kind: RunnerKind = "threaded"
    address: str | None = None
    shards: int | None = None
    shard_by: ShardBy | None = None
    workers: int | None = None
    pollers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in RUNNERS:
            raise ConfigError(f"runner {self.kind!r}: choose from {', '.join(RUNNERS)}")
        if self.kind != "dask" and self.address is not None:
            raise ConfigError("a scheduler address needs the dask runner (--runner dask)")
        if self.shard_by is not None and self.shard_by not in SHARD_BY:
            raise ConfigError(f"shard_by {self.shard_by!r}: choose from {', '.join(SHARD_BY)}")
        if self.shards is not None and self.shards < 1:
            raise ConfigError("shards must be at least 1")


@contextmanager
def open_runner(spec: RunnerSpec | None, inventory: Inventory | None = None) -> Iterator[DaskRunner | None]:
    """None for the in-process runner; else a connected Dask runner, closed on leaving.

    With `inventory`, hosts are sharded by failure domain (unless `spec.shard_by` says otherwise), and
    a poller's sites are checked against it. Connecting happens here, so an unreachable scheduler or an
    unknown site is an error before any device is asked.
    """
    if spec is None or spec.kind == "threaded":
        yield None
        return
    for poller, sites in spec.pollers.items():
        unknown = sorted(set(sites) - set(inventory.sites)) if inventory is not None else []
        if unknown:
            raise ConfigError(f"sweep.pollers.{poller}: unknown site {', '.join(unknown)} "
                              "(sites are the keys of inventory/sites.yaml)")
    from netops.collect.runners.dask_runner import DaskRunner, domains_of

    shard_by = spec.shard_by or ("failure_domain" if inventory is not None else "count")
    domains = domains_of(inventory) if inventory is not None and shard_by == "failure_domain" else None
    runner = DaskRunner(address=spec.address, shards=spec.shards, shard_by=shard_by, workers=spec.workers,
                        domains=domains, pollers=spec.pollers)
    try:
        runner.connect()
        yield runner
    finally:
        runner.close()
