"""Create, idempotency, refusals that write nothing, resize, decommission with a grace period."""
from __future__ import annotations

from ipaddress import IPv4Address

import pytest
from store_helpers import dump
from vps_helpers import FakeClock

from netops.errors import NotFoundError
from netops.models.vps import VpsState
from netops.provision.errors import CapacityError, PoolExhaustedError, ProvisionError, QuotaError
from netops.provision.service import VpsRequest, VpsService


def ask(pd: str = "BAPENDA", purpose: str = "pajak web", vcpu: int = 2, memory: int = 4096, disk: int = 40,
        os: str = "debian-12", **kw: object) -> VpsRequest:
    return VpsRequest(pd=pd, purpose=purpose, vcpu=vcpu, memory_mib=memory, disk_gib=disk, os_template=os, **kw)


def test_create_registers_names_allocates_and_applies(svc: VpsService) -> None:
    result = svc.create(ask(owner="Siti Aminah"))
    v = result.vps
    assert (result.created, result.applied, v.state) == (True, True, VpsState.running)
    assert v.name == "vps-bapenda-pajak-web-01"
    assert (v.ip, v.ip_pool, v.vlan) == (IPv4Address("10.20.1.2"), "srv-bapenda", 201)  # PD's own VLAN first
    assert v.mac == "52:54:00:00:00:01" and v.backup_policy == "daily" and v.owner == "Siti Aminah"
    info = svc.backend.domain_info(svc.pusat.host(v.host), v.name)
    assert info is not None and info.running and (info.vcpu, info.memory_mib, info.disk_gib) == (2, 4096, 40)


def test_same_request_twice_is_one_vps(svc: VpsService, store_url: str) -> None:
    first = svc.create(ask())
    before = dump(store_url)
    again = svc.create(ask())
    assert (again.vps.name, again.created) == (first.vps.name, False)
    assert dump(store_url) == before
    assert len(svc.list()) == 1


def test_explicit_request_id_is_the_key(svc: VpsService) -> None:
    a = svc.create(ask(request_id="TICKET-1"))
    b = svc.create(ask(request_id="TICKET-1", vcpu=4))
    c = svc.create(ask(request_id="TICKET-2"))
    assert a.vps.name == b.vps.name and b.vps.vcpu == 2
    assert c.vps.name == "vps-bapenda-pajak-web-02"


def test_replicas_go_to_different_hosts(svc: VpsService) -> None:
    hosts = [svc.create(ask(replica=n)).vps.host for n in (1, 2)]
    assert sorted(hosts) == ["hv-01", "hv-02"]


def test_placement_prefers_the_least_loaded_host(svc: VpsService) -> None:
    big = svc.create(ask(purpose="db", vcpu=8, memory=32768, disk=500)).vps
    small = svc.create(ask(purpose="web", vcpu=1, memory=1024, disk=10)).vps
    assert small.host != big.host


def test_shared_pool_when_the_pd_has_none(svc: VpsService) -> None:
    v = svc.create(ask(pd="DISKOMINFO", purpose="portal")).vps
    assert (v.ip_pool, v.ip, v.vlan) == ("srv-shared", IPv4Address("10.20.0.10"), 200)


@pytest.mark.parametrize(("request_", "error", "message"), [
    (ask(pd="DISKOMINFO", vcpu=41), QuotaError, "quota of PD DISKOMINFO exceeded: vCPU 0+41 > 40"),
    (ask(memory=131072 + 1024), QuotaError, "memory"),
    (ask(vcpu=33), CapacityError, "no hypervisor host has room"),
    (ask(pd="NOPE"), NotFoundError, "unknown PD 'NOPE'"),
    (ask(os="windows-xp"), NotFoundError, "unknown OS template 'windows-xp' (known: debian-12, ubuntu-24.04)"),
    (ask(backup_policy="never"), NotFoundError, "unknown backup policy 'never'"),
], ids=["quota-vcpu", "quota-memory", "capacity", "unknown-pd", "unknown-template", "unknown-backup-policy"])
def test_refusals_write_nothing(svc: VpsService, store_url: str, request_: VpsRequest, error: type,
                                message: str) -> None:
    svc.create(ask(purpose="existing"))
    before = dump(store_url)
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")) as exc:
        svc.create(request_)
    assert "\n" not in str(exc.value)
    assert dump(store_url) == before


def test_quota_on_vps_count(svc: VpsService, store_url: str) -> None:
    for n in range(20):
        svc.create(ask(pd="DISKOMINFO", purpose="tiny", vcpu=1, memory=512, disk=5, replica=n + 1))
    before = dump(store_url)
    with pytest.raises(QuotaError, match="VPS count 20\\+1 > 20"):
        svc.create(ask(pd="DISKOMINFO", purpose="tiny", vcpu=1, memory=512, disk=5, replica=21))
    assert dump(store_url) == before


def test_exhausted_pool_falls_back_then_refuses(svc: VpsService, store_url: str) -> None:
    svc.pusat.ip_pools[1].last = IPv4Address("10.20.0.11")  # shared pool: 2 addresses
    ips = [svc.create(ask(purpose="x", vcpu=1, memory=512, disk=5, replica=n)).vps.ip for n in range(1, 16)]
    assert ips[:13] == [IPv4Address(f"10.20.1.{i}") for i in range(2, 15)]  # BAPENDA's own /28 first
    assert ips[13:] == [IPv4Address("10.20.0.10"), IPv4Address("10.20.0.11")]
    before = dump(store_url)
    with pytest.raises(PoolExhaustedError, match="IP pools exhausted for PD BAPENDA"):
        svc.create(ask(purpose="x", vcpu=1, memory=512, disk=5, replica=16))
    assert dump(store_url) == before


def test_dry_run_renders_but_writes_nothing(svc: VpsService, store_url: str, tmp_path) -> None:
    before = dump(store_url)
    result = svc.create(ask(), dry_run=True)
    assert result.created and not result.applied and "<vcpu placement=\"static\">2</vcpu>" in result.plan.domain_xml
    assert dump(store_url) == before
    assert not (tmp_path / "plans").exists()


def test_resize_checks_quota_and_host(svc: VpsService, store_url: str) -> None:
    v = svc.create(ask(pd="DISKOMINFO", purpose="app", vcpu=4, memory=8192, disk=100)).vps
    grown = svc.resize(v.name, vcpu=8, memory_mib=16384, disk_gib=200)
    assert grown.size.vcpu == 8 and svc.backend.domain_info(svc.pusat.host(v.host), v.name).memory_mib == 16384
    before = dump(store_url)
    with pytest.raises(QuotaError, match="vCPU 0\\+41 > 40"):
        svc.resize(v.name, vcpu=41)
    with pytest.raises(ProvisionError, match="can only grow"):
        svc.resize(v.name, disk_gib=50)
    assert dump(store_url) == before


def test_resize_refused_when_the_host_is_full(svc: VpsService) -> None:
    a = svc.create(ask(purpose="a", vcpu=16, memory=8192, disk=10)).vps
    svc.create(ask(purpose="a", vcpu=16, memory=8192, disk=10, replica=2))
    svc.create(ask(purpose="b", vcpu=16, memory=8192, disk=10))  # hv-01 and hv-02 now hold 32 and 16 of 32 vCPU
    full = a.host if svc.get(a.name).host == "hv-01" else "hv-01"
    victim = next(v for v in svc.list() if v.host == full)
    with pytest.raises(CapacityError, match=f"host {full} cannot take"):
        svc.resize(victim.name, vcpu=20)


def test_stop_start(svc: VpsService) -> None:
    v = svc.create(ask()).vps
    assert svc.stop(v.name).state == VpsState.stopped
    assert not svc.backend.domain_info(svc.pusat.host(v.host), v.name).running
    assert svc.start(v.name).state == VpsState.running


def test_decommission_keeps_record_and_holds_ip_for_grace(svc: VpsService, clock: FakeClock) -> None:
    v = svc.create(ask()).vps
    gone = svc.decommission(v.name)
    assert gone.state == VpsState.decommissioned and gone.decommissioned_at == clock.now
    assert svc.backend.domain_info(svc.pusat.host(v.host), v.name) is None
    clock.advance(days=29)
    assert svc.create(ask(purpose="next")).vps.ip == IPv4Address("10.20.1.3")  # .2 still held
    clock.advance(days=2)
    assert svc.create(ask(purpose="later")).vps.ip == IPv4Address("10.20.1.2")  # grace over: reused
    old = svc.get(v.name)
    assert old.state == VpsState.decommissioned and old.ip_freed_at is not None
    with pytest.raises(ProvisionError, match="decommissioned"):
        svc.start(v.name)


def test_same_request_after_decommission_is_a_new_vps(svc: VpsService) -> None:
    first = svc.create(ask()).vps
    svc.decommission(first.name)
    again = svc.create(ask()).vps
    assert again.name == "vps-bapenda-pajak-web-02" and again.mac != first.mac
