"""Shards: hosts as plain data, grouped so that each group can run somewhere else.

Nornir's `Host` objects hold live connections and links to their groups; they do not travel between
processes. A `HostRecord` is what a collector needs of one host, resolved on the client (inherited
groups and defaults already applied, lab overlay and credentials already filled in), so a worker on
another machine rebuilds an equivalent Nornir without the inventory files or the secrets file.
Passwords stay `SecretStr` so no repr, log line or dashboard shows them.

How hosts are grouped (`ShardBy`):
- `count`: equal slices, in inventory order;
- `site`: the hosts of one site together;
- `failure_domain`: the hosts behind one duct or fibre cut together (netops.analysis.domains), so one
  shard sees a whole cut; hosts in no domain fill the shards up.
Groups are never split; they are packed largest first into the emptiest shard.

Pollers (`pollers: {poller: [site, ...]}`, LibreNMS's poller groups): the devices of a site that a poller
serves are polled only by that poller's workers, because only the pollers near them may reach them. Hosts
pinned to one set of pollers are sharded apart from the others (a shard never mixes two sets), each set
getting its share of the shards; a site no poller names goes to any worker.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions, Defaults, Groups, Host, Hosts, Inventory
from nornir.plugins.runners import ThreadedRunner
from pydantic import BaseModel, ConfigDict, SecretStr

ShardBy = Literal["count", "site", "failure_domain"]
SHARD_BY: tuple[ShardBy, ...] = ("count", "site", "failure_domain")
DOMAIN_KEY = "failure_domain"  # host data key a caller may set to choose the domain itself


class ConnectionRecord(BaseModel):
    """One connection plugin's resolved options for one host."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    hostname: str | None = None
    port: int | None = None
    username: str | None = None
    password: SecretStr | None = None
    platform: str | None = None
    extras: dict[str, Any] = {}


class HostRecord(BaseModel):
    """One host as plain data: everything a collector reads of a Nornir host, inheritance resolved."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    hostname: str | None = None
    port: int | None = None
    username: str | None = None
    password: SecretStr | None = None
    platform: str | None = None
    data: dict[str, Any] = {}
    connections: dict[str, ConnectionRecord] = {}


def _connection_names(host: Host) -> set[str]:
    names = set(host.connection_options)
    for group in host.extended_groups():
        names |= set(group.connection_options)
    return names | set(host.defaults.connection_options)


def _secret(value: str | None) -> SecretStr | None:
    return SecretStr(value) if value is not None else None


def record_of(host: Host) -> HostRecord:
    """The plain form of a Nornir host (groups and defaults resolved)."""
    connections = {}
    for name in sorted(_connection_names(host)):
        c = host.get_connection_parameters(name)
        connections[name] = ConnectionRecord(hostname=c.hostname, port=c.port, username=c.username,
                                             password=_secret(c.password), platform=c.platform,
                                             extras=dict(c.extras or {}))
    return HostRecord(name=host.name, hostname=host.hostname, port=host.port, username=host.username,
                      password=_secret(host.password), platform=host.platform, data=dict(host.items()),
                      connections=connections)


def _reveal(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


def host_of(record: HostRecord) -> Host:
    """A Nornir host rebuilt from its record (no groups: everything is already resolved)."""
    options = {name: ConnectionOptions(hostname=c.hostname, port=c.port, username=c.username,
                                       password=_reveal(c.password), platform=c.platform,
                                       extras=dict(c.extras))
               for name, c in record.connections.items()}
    return Host(record.name, hostname=record.hostname, port=record.port, username=record.username,
                password=_reveal(record.password), platform=record.platform, data=dict(record.data),
                connection_options=options)


def nornir_of(records: Iterable[HostRecord], num_workers: int = 20) -> Nornir:
    """A Nornir over these hosts only, with a threaded runner (what a shard runs its tasks on)."""
    hosts = Hosts({r.name: host_of(r) for r in records})
    return Nornir(inventory=Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
                  runner=ThreadedRunner(num_workers=num_workers))


@dataclass(frozen=True)
class Shard:
    """One unit of work for one Dask task: an index (for keys and messages) and its hosts."""

    index: int
    hosts: tuple[HostRecord, ...]
    pollers: tuple[str, ...] = ()          # the pollers whose workers may run it; () for any worker

    @property
    def names(self) -> list[str]:
        return [h.name for h in self.hosts]


def shard_count(hosts: int, workers: int, shards: int | None, shard_size: int) -> int:
    """Asked for, or enough for `shard_size` hosts each and at least two per worker (so a dead
    worker's retry is small and both workers stay busy); never more than there are hosts."""
    wanted = shards if shards is not None else max(2 * max(workers, 1), math.ceil(hosts / shard_size))
    return max(1, min(wanted, hosts))


def group_key(shard_by: ShardBy, domains: Mapping[str, str]) -> Callable[[HostRecord], str | None]:
    """How hosts are grouped: None means the host is free to go anywhere."""
    if shard_by == "site":
        return lambda r: str(r.data["site"]) if r.data.get("site") is not None else None
    if shard_by == "failure_domain":
        return lambda r: domains.get(r.name) or r.data.get(DOMAIN_KEY)
    return lambda r: None


def pin_by_site(pollers: Mapping[str, Sequence[str]]) -> Callable[[HostRecord], tuple[str, ...]]:
    """A host's pollers: those that name its site, sorted; () when none does (any worker)."""
    of_site: dict[str, list[str]] = {}
    for poller, sites in pollers.items():
        for site in sites:
            of_site.setdefault(site, []).append(poller)
    return lambda r: tuple(sorted(of_site.get(str(r.data.get("site")), ())))


def _unpinned(_: HostRecord) -> tuple[str, ...]:
    return ()


def plan_shards(records: Sequence[HostRecord], count: int, key: Callable[[HostRecord], str | None],
                pin: Callable[[HostRecord], tuple[str, ...]] = _unpinned) -> list[Shard]:
    """About `count` shards; a group is never split, nor a shard shared by two sets of pollers.

    Each set of pollers gets a share of `count` in proportion to its hosts (at least one shard), and
    its hosts are grouped as below; the shards are then numbered in order.
    """
    by_pin: dict[tuple[str, ...], list[HostRecord]] = {}
    for r in records:
        by_pin.setdefault(pin(r), []).append(r)
    shards: list[Shard] = []
    for pollers, members in sorted(by_pin.items()):
        share = max(1, round(count * len(members) / len(records)))
        shards += [Shard(len(shards) + i, hosts, pollers) for i, hosts in enumerate(_packed(members, share, key))]
    return shards


def _packed(records: Sequence[HostRecord], count: int, key: Callable[[HostRecord], str | None]
            ) -> list[tuple[HostRecord, ...]]:
    """`count` groups of hosts (fewer if there are fewer groups); a group is never split.

    Without groups, contiguous equal slices. With groups, longest-processing-time packing: groups
    largest first, each into the shard holding the fewest hosts; free hosts fill up last.
    """
    if all(key(r) is None for r in records):
        size = math.ceil(len(records) / max(count, 1)) if records else 1
        return [tuple(records[i:i + size]) for i in range(0, len(records), size)]
    groups: dict[str, list[HostRecord]] = {}
    free: list[HostRecord] = []
    for r in records:
        k = key(r)
        if k is None:
            free.append(r)
        else:
            groups.setdefault(k, []).append(r)
    bins: list[list[HostRecord]] = [[] for _ in range(max(count, 1))]
    for _, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        min(bins, key=len).extend(members)
    for r in free:
        min(bins, key=len).append(r)
    return [tuple(b) for b in bins if b]
