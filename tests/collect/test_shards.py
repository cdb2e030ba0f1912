"""Shards: hosts as plain records (inheritance resolved, secrets hidden) and how they are grouped."""
from __future__ import annotations

import pickle

import pytest
from nornir.core.inventory import ConnectionOptions, Defaults, Group, Host, ParentGroups

from netops.collect.runners.shards import (
    HostRecord,
    group_key,
    host_of,
    nornir_of,
    pin_by_site,
    plan_shards,
    record_of,
    shard_count,
)


def inherited_host() -> Host:
    defaults = Defaults(port=22, data={"site": "default-site", "tier": 3},
                        connection_options={"netmiko": ConnectionOptions(extras={"fast_cli": False})})
    group = Group("platform_ios", platform="ios", username="ops", data={"role": "pd-edge"},
                  connection_options={"napalm": ConnectionOptions(port=830, extras={"optional_args": {"x": 1}})})
    return Host("edge-01", hostname="127.19.0.5", password="s3cret-pass", groups=ParentGroups([group]),
                data={"site": "kantor-bapenda"}, defaults=defaults)


def test_a_record_resolves_groups_and_defaults_and_rebuilds_the_same_host() -> None:
    record = record_of(inherited_host())
    rebuilt = host_of(pickle.loads(pickle.dumps(record)))
    assert (rebuilt.hostname, rebuilt.port, rebuilt.platform, rebuilt.username, rebuilt.password) == (
        "127.19.0.5", 22, "ios", "ops", "s3cret-pass")
    assert dict(rebuilt.items()) == {"site": "kantor-bapenda", "role": "pd-edge", "tier": 3}
    napalm = rebuilt.get_connection_parameters("napalm")
    assert (napalm.port, napalm.platform, napalm.extras) == (830, "ios", {"optional_args": {"x": 1}})
    assert rebuilt.get_connection_parameters("netmiko").extras == {"fast_cli": False}


def test_secrets_never_show_in_a_record() -> None:
    record = record_of(inherited_host())
    assert "s3cret-pass" not in repr(record) and "s3cret-pass" not in str(record.model_dump())


def test_a_shard_nornir_holds_only_its_hosts() -> None:
    records = [HostRecord(name=f"h{i}", hostname=f"127.0.0.{i + 1}") for i in range(3)]
    nr = nornir_of(records[:2])
    assert sorted(nr.inventory.hosts) == ["h0", "h1"]
    assert nr.inventory.hosts["h1"].hostname == "127.0.0.2"


def records(sites: dict[str, str]) -> list[HostRecord]:
    return [HostRecord(name=n, data={"site": s}) for n, s in sites.items()]


def test_count_makes_equal_contiguous_slices() -> None:
    hosts = [HostRecord(name=f"h{i:02}") for i in range(10)]
    shards = plan_shards(hosts, 3, group_key("count", {}))
    assert [s.names for s in shards] == [[f"h{i:02}" for i in range(a, b)] for a, b in ((0, 4), (4, 8), (8, 10))]


def test_site_keeps_each_site_whole() -> None:
    hosts = records({"a1": "A", "b1": "B", "a2": "A", "c1": "C", "b2": "B", "a3": "A"})
    shards = plan_shards(hosts, 2, group_key("site", {}))
    assert sorted(sorted(s.names) for s in shards) == [["a1", "a2", "a3"], ["b1", "b2", "c1"]]


def test_failure_domains_stay_whole_and_free_hosts_fill_up() -> None:
    hosts = [HostRecord(name=n) for n in ("d1", "d2", "d3", "e1", "e2", "free1", "free2", "free3")]
    domains = {"d1": "duct:D", "d2": "duct:D", "d3": "duct:D", "e1": "link:E", "e2": "link:E"}
    shards = plan_shards(hosts, 2, group_key("failure_domain", domains))
    where = {n: s.index for s in shards for n in s.names}
    assert sorted(where) == sorted(h.name for h in hosts)  # each host in exactly one shard
    assert len({where[d] for d in ("d1", "d2", "d3")}) == 1 and len({where[e] for e in ("e1", "e2")}) == 1
    assert sorted(len(s.hosts) for s in shards) == [4, 4]


def test_a_host_can_name_its_own_domain_in_its_data() -> None:
    hosts = [HostRecord(name="a", data={"failure_domain": "X"}), HostRecord(name="b", data={"failure_domain": "X"}),
             HostRecord(name="c")]
    shards = plan_shards(hosts, 3, group_key("failure_domain", {}))
    assert sorted(sorted(s.names) for s in shards) == [["a", "b"], ["c"]]


@pytest.mark.parametrize(("shard_by", "counts"), [("count", (2, 2, 4)), ("site", (1, 1, 2))])  # a site is never split
def test_pinned_hosts_never_share_a_shard_with_other_pollers(shard_by: str, counts: tuple[int, int, int]) -> None:
    sites = {f"h{i:02}": "ABCD"[i % 4] for i in range(40)}
    pin = pin_by_site({"north": ["A"], "both": ["A", "B"], "idle": ["Z"]})
    shards = plan_shards(records(sites), 8, group_key(shard_by, {}), pin)  # type: ignore[arg-type]
    assert [s.index for s in shards] == list(range(len(shards)))
    assert sorted(n for s in shards for n in s.names) == sorted(sites)      # each host exactly once
    expected = {"A": ("both", "north"), "B": ("both",), "C": (), "D": ()}
    for shard in shards:
        assert {expected[sites[n]] for n in shard.names} == {shard.pollers}, shard
    by_pollers = {p: sum(1 for s in shards if s.pollers == p) for p in set(expected.values())}
    assert by_pollers == dict(zip([("both", "north"), ("both",), ()], counts, strict=True))  # shares follow the hosts


@pytest.mark.parametrize("hosts,workers,asked,size,expected", [
    (10_000, 2, None, 500, 20),   # enough for 500 devices each
    (100, 2, None, 500, 4),       # at least two per worker
    (3, 8, None, 500, 3),         # never more than the hosts
    (100, 2, 7, 500, 7),          # asked for
])
def test_shard_count(hosts: int, workers: int, asked: int | None, size: int, expected: int) -> None:
    assert shard_count(hosts, workers, asked, size) == expected
