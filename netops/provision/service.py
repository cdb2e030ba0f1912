"""VPS lifecycle over the store and a backend: create, resize, stop/start, decommission.

Every allocation (quota check, host placement, IP, name, MAC) happens in ONE store
transaction; on SQLite that transaction holds the write lock from BEGIN (IMMEDIATE), on
PostgreSQL it is SERIALIZABLE and is retried on serialization failure (Store.atomic). UNIQUE indexes
(name, MAC, held address per pool, live request key) stay the last line of defence.
The backend is called after the commit; a backend failure leaves the VPS `requested`,
and repeating the same create (idempotent) applies it again.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection

from netops.errors import InputError, NotFoundError
from netops.models.vps import PusatData, Resources, Vps, VpsRecord, VpsState, iso
from netops.provision import ipam
from netops.provision.backends import Backend
from netops.provision.errors import ProvisionError
from netops.provision.naming import mac_for, name_prefix, next_seq, purpose_slug, request_key, vps_name
from netops.provision.placement import check_fits, place
from netops.provision.quota import check_quota
from netops.provision.render import DomainPlan, render_plan
from netops.store import audit
from netops.store import vps_register as reg
from netops.store.db import Store

Clock = Callable[[], datetime]
T = TypeVar("T")
DEFAULT_GRACE = timedelta(days=30)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class VpsRequest:
    """What `netops vps create` asks for; sizes already parsed (MiB, GiB)."""

    pd: str
    purpose: str
    vcpu: int
    memory_mib: int
    disk_gib: int
    os_template: str
    owner: str = ""
    replica: int = 1
    request_id: str | None = None
    backup_policy: str | None = None

    @property
    def size(self) -> Resources:
        return Resources(self.vcpu, self.memory_mib, self.disk_gib)


@dataclass(frozen=True)
class CreateResult:
    vps: Vps
    created: bool
    applied: bool
    plan: DomainPlan


class _Rollback(Exception):
    """Carries a dry run's result out of a transaction that must not commit."""

    def __init__(self, value: Any):
        self.value = value


class VpsService:
    def __init__(self, store: Store, pusat: PusatData, known_pds: Collection[str], backend: Backend, *,
                 clock: Clock = system_clock, grace: timedelta = DEFAULT_GRACE):
        self.store, self.pusat, self.known_pds, self.backend = store, pusat, set(known_pds), backend
        self.clock, self.grace = clock, grace

    # -- transactions -------------------------------------------------------------------------
    def transact(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction, again from the start when a concurrent writer won."""
        def unit(conn: Connection) -> T:
            reg.release_addresses(conn, iso(self.clock() - self.grace))
            return work(conn)
        return self.store.atomic(unit)

    def _live(self, conn: Connection, name: str) -> Vps:
        vps = reg.get(conn, name)
        if vps is None:
            raise NotFoundError(f"no VPS named {name} in the register")
        self._live_check(vps)
        return vps

    def _host(self, vps: Vps) -> Any:
        host = self.pusat.host(vps.host)
        if host is None:
            raise NotFoundError(f"VPS {vps.name} is on host {vps.host}, which pusat_data.yaml no longer declares")
        return host

    # -- create ---------------------------------------------------------------------------------
    def check_request(self, req: VpsRequest) -> str:
        """Refuse what no transaction could fix (unknown PD, template, policy); returns the purpose slug."""
        if req.pd not in self.known_pds:
            raise NotFoundError(f"unknown PD {req.pd!r} (not a pd_<code> group of the inventory)")
        if self.pusat.template(req.os_template) is None:
            known = ", ".join(t.name for t in self.pusat.templates) or "none declared"
            raise NotFoundError(f"unknown OS template {req.os_template!r} (known: {known})")
        policy = req.backup_policy or self.pusat.default_backup_policy
        if policy is None or self.pusat.backup_policy(policy) is None:
            raise NotFoundError(f"unknown backup policy {policy!r}: every VPS needs one (Art. 17)")
        if min(req.vcpu, req.memory_mib, req.disk_gib) <= 0:
            raise InputError.at("create", None, "size", "vCPU, memory and disk must be positive")
        return purpose_slug(req.purpose)

    def create(self, req: VpsRequest, dry_run: bool = False) -> CreateResult:
        slug = self.check_request(req)
        key = request_key(req.pd, slug, req.vcpu, req.memory_mib, req.disk_gib, req.os_template, req.replica,
                          req.request_id)

        def allocate(conn: Connection) -> tuple[Vps, bool]:
            existing = reg.get_live_by_request(conn, key)
            if existing is not None:
                return existing, False
            used, count = reg.used_by_pd(conn, req.pd)
            check_quota(req.pd, self.pusat.quota_for(req.pd), used, count, req.size)
            host = place(self.pusat.hosts, reg.used_by_host(conn), req.size, reg.replicas_by_host(conn, req.pd, slug))
            pools = self.pusat.pools_for(req.pd)
            pool, ip = ipam.allocate(req.pd, pools, reg.held_addresses(conn, [p.name for p in pools]))
            vps_id = reg.next_id(conn)
            name = vps_name(req.pd, slug, next_seq(reg.names_like(conn, name_prefix(req.pd, slug)), req.pd, slug))
            now, actor = self.clock(), audit.current_actor()
            record = VpsRecord(id=vps_id, name=name, request_key=key, pd=req.pd, purpose=req.purpose,
                               purpose_slug=slug, owner=req.owner, vcpu=req.vcpu, memory_mib=req.memory_mib,
                               disk_gib=req.disk_gib, os_template=req.os_template, host=host.name,
                               mac=mac_for(vps_id), state=VpsState.requested,
                               backup_policy=req.backup_policy or self.pusat.default_backup_policy,
                               created_at=now, created_by=actor, changed_at=now, changed_by=actor)
            reg.insert(conn, record, pool.name, ip, pool.vlan)
            audit.record(conn, "vps.create", name, {**record.columns(), "ip": str(ip), "pool": pool.name})
            vps = reg.get(conn, name)
            assert vps is not None
            if dry_run:
                raise _Rollback((vps, True))
            return vps, True

        try:
            vps, created = self.transact(allocate)
        except _Rollback as rollback:
            vps, created = rollback.value
            return CreateResult(vps, created, applied=False, plan=self.plan(vps))
        if dry_run or vps.state != VpsState.requested:
            return CreateResult(vps, created, applied=False, plan=self.plan(vps))
        plan = self.plan(vps)
        host = self._host(vps)
        self.backend.define(host, plan)
        self.backend.start(host, vps.name)
        vps = self._set_state(vps.name, VpsState.running, "vps.apply", {"backend": self.backend.name})
        return CreateResult(vps, created, applied=True, plan=plan)

    def plan(self, vps: Vps) -> DomainPlan:
        try:
            return render_plan(vps, self.pusat)
        except LookupError as exc:
            raise NotFoundError(str(exc)) from exc

    # -- lifecycle --------------------------------------------------------------------------------
    def _set_state(self, name: str, state: VpsState, action: str, detail: dict[str, Any] | None = None) -> Vps:
        def work(conn: Connection) -> Vps:
            vps = self._live(conn, name)
            reg.set_state(conn, vps.id, state, iso(self.clock()), audit.current_actor())
            audit.record(conn, action, name, {"state": state.value, **(detail or {})})
            return _reread(conn, name)
        return self.transact(work)

    def get(self, name: str) -> Vps:
        vps = self.transact(lambda conn: reg.get(conn, name))
        if vps is None:
            raise NotFoundError(f"no VPS named {name} in the register")
        return vps

    def list(self, pd: str | None = None, include_decommissioned: bool = True) -> list[Vps]:
        return self.transact(lambda conn: reg.list_vps(conn, pd, include_decommissioned))

    def stop(self, name: str) -> Vps:
        vps = self.get(name)
        self._live_check(vps)
        self.backend.stop(self._host(vps), name)
        return self._set_state(name, VpsState.stopped, "vps.stop")

    def start(self, name: str) -> Vps:
        vps = self.get(name)
        self._live_check(vps)
        self.backend.start(self._host(vps), name)
        return self._set_state(name, VpsState.running, "vps.start")

    def _live_check(self, vps: Vps) -> None:
        if not vps.live:
            raise ProvisionError(f"VPS {vps.name} was decommissioned on {vps.decommissioned_at:%Y-%m-%d}")

    def decommission(self, name: str) -> Vps:
        """Remove the domain, keep the record; the address stays held for the grace period."""
        vps = self.get(name)
        self._live_check(vps)
        self.backend.undefine(self._host(vps), name)

        def work(conn: Connection) -> Vps:
            now = iso(self.clock())
            live = self._live(conn, name)
            reg.update(conn, live.id, now, audit.current_actor(), state=VpsState.decommissioned.value,
                       decommissioned_at=now)
            audit.record(conn, "vps.decommission", name, {"ip": str(live.ip), "ip_held_days": self.grace.days})
            return _reread(conn, name)
        return self.transact(work)

    def resize(self, name: str, vcpu: int | None = None, memory_mib: int | None = None,
               disk_gib: int | None = None) -> Vps:
        """Grow or shrink vCPU/memory, grow disk, within the PD's quota and the host's room."""
        def work(conn: Connection) -> Vps:
            vps = self._live(conn, name)
            new = Resources(vcpu or vps.vcpu, memory_mib or vps.memory_mib, disk_gib or vps.disk_gib)
            if new.disk_gib < vps.disk_gib:
                raise ProvisionError(f"disk of {name} can only grow ({vps.disk_gib}G -> {new.disk_gib}G refused)")
            used, count = reg.used_by_pd(conn, vps.pd)
            check_quota(vps.pd, self.pusat.quota_for(vps.pd), used - vps.size, count, new, extra_count=0)
            host_used = reg.used_by_host(conn).get(vps.host, Resources())
            check_fits(self._host(vps), host_used - vps.size, new)
            reg.update(conn, vps.id, iso(self.clock()), audit.current_actor(), vcpu=new.vcpu,
                       memory_mib=new.memory_mib, disk_gib=new.disk_gib)
            audit.record(conn, "vps.resize", name, {"from": str(vps.size), "to": str(new)})
            return _reread(conn, name)

        vps = self.transact(work)
        self.backend.define(self._host(vps), self.plan(vps))
        return vps


def _reread(conn: Connection, name: str) -> Vps:
    """The row as this transaction just wrote it."""
    vps = reg.get(conn, name)
    if vps is None:
        raise NotFoundError(f"no VPS named {name} in the register")
    return vps
