"""The VPS register and provisioning as use cases (Perwali Art. 15(7)-(9), 17), typed results out.

`vps_service` is the one way to build the service (CLI, audit, web); every other function here is one
thing a person does with `netops vps ...` and returns a pydantic model that serialises itself.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel

from netops.app.session import Session
from netops.config import Config
from netops.errors import InputError
from netops.files import write_private
from netops.models.vps import Quota, Resources, Vps
from netops.provision import backups as backup_ops
from netops.provision.backends import BACKENDS as BACKENDS  # --backend choices
from netops.provision.backends import get_backend
from netops.provision.backups import BackupStatus
from netops.provision.capacity_svg import capacity_svg
from netops.provision.reconcile import Drift, compare
from netops.provision.service import DEFAULT_GRACE, VpsService
from netops.provision.service import VpsRequest as VpsRequest  # what `vps create` asks for
from netops.provision.usage import HostUsage, host_usage, quota_usage
from netops.sources.inventory import Inventory
from netops.store.db import Store

LIFECYCLE = ("stop", "start", "decommission")
BACKUP_STATUSES = backup_ops.STATUSES   # what a backup run may report


def vps_service(config: Config, inventory: Inventory, store: Store, backend: str | None = None) -> VpsService:
    """The register over the store, the Pusat Data of the inventory, and the chosen backend (dry-run by default)."""
    grace = os.environ.get("NETOPS_VPS_IP_GRACE_DAYS")
    return VpsService(store, inventory.pusat_data, inventory.pds.keys(), get_backend(backend, config.root),
                      grace=timedelta(days=int(grace)) if grace else DEFAULT_GRACE)


def _service(session: Session, backend: str | None = None) -> VpsService:
    return vps_service(session.config, session.inventory, session.store, backend)


class PlanReport(BaseModel):
    domain_xml: str
    user_data: str
    network_config: str


class CreateReport(BaseModel):
    vps: Vps
    created: bool
    applied: bool
    dry_run: bool
    backend: str
    plan: PlanReport | None = None


def create_vps(session: Session, request: VpsRequest, dry_run: bool = False, backend: str | None = None) -> CreateReport:
    """Register a VPS (quota, host, IP, name in one transaction) and provision it; `dry_run` writes nothing."""
    service = _service(session, backend)
    result = service.create(request, dry_run=dry_run)
    plan = PlanReport(domain_xml=result.plan.domain_xml, user_data=result.plan.user_data,
                      network_config=result.plan.network_config) if dry_run else None
    return CreateReport(vps=result.vps, created=result.created, applied=result.applied, dry_run=dry_run,
                        backend=service.backend.name, plan=plan)


def list_vps(session: Session, pd: str | None = None, include_decommissioned: bool = False) -> list[Vps]:
    return _service(session).list(pd.upper() if pd else None, include_decommissioned=include_decommissioned)


def get_vps(session: Session, name: str) -> Vps:
    return _service(session).get(name)


def resize_vps(session: Session, name: str, vcpu: int | None, memory_mib: int | None, disk_gib: int | None,
               backend: str | None = None) -> Vps:
    if not (vcpu or memory_mib or disk_gib):
        raise InputError.at("resize", None, "size", "give at least one of vCPU, memory, disk")
    return _service(session, backend).resize(name, vcpu, memory_mib, disk_gib)


def change_state(session: Session, verb: str, name: str, backend: str | None = None) -> Vps:
    """stop, start or decommission one VPS."""
    service = _service(session, backend)
    actions = {"stop": service.stop, "start": service.start, "decommission": service.decommission}
    return actions[verb](name)


class QuotaReport(BaseModel):
    pd: str
    quota: Quota | None
    used: Resources
    vps: int


def vps_quota(session: Session, pd: str) -> QuotaReport:
    service = _service(session)
    usage = quota_usage(service.pusat, pd.upper(), service.list(pd.upper(), include_decommissioned=False))
    return QuotaReport(pd=usage.pd, quota=usage.quota, used=usage.used, vps=usage.vps)


class HostReport(BaseModel):
    host: str
    site: str
    vps: int
    capacity: Resources
    used: Resources
    free: Resources

    @classmethod
    def of(cls, u: HostUsage) -> HostReport:
        return cls(host=u.host, site=u.site, vps=u.vps, capacity=u.capacity, used=u.used, free=u.free)


def vps_capacity(session: Session, svg_out: Path | None = None) -> list[HostReport]:
    """Per hypervisor host: used and free after overcommit; optionally a picture written to `svg_out`."""
    service = _service(session)
    usage = host_usage(service.pusat, service.list(include_decommissioned=False))
    if svg_out:
        write_private(svg_out, capacity_svg(usage))
    return [HostReport.of(u) for u in usage]


class ReconcileReport(BaseModel):
    backend: str
    drift: list[Drift]


def reconcile(session: Session, backend: str | None = None) -> ReconcileReport:
    """The register against what the hypervisors really run."""
    service = _service(session, backend)
    return ReconcileReport(backend=service.backend.name,
                           drift=compare(service.list(include_decommissioned=True), service.pusat.hosts,
                                         service.backend))


class BackupsReport(BaseModel):
    as_of: datetime | None
    vps: list[BackupStatus]
    overdue: int
    total: int


def backups(session: Session, as_of: datetime | None = None, pd: str | None = None,
            include_all: bool = False) -> BackupsReport:
    """VPS whose last backup is older than their policy allows (every VPS with `include_all`)."""
    when = (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)) if as_of else None
    report = backup_ops.backup_report(_service(session), when, pd.upper() if pd else None)
    lines = [s for s in report if include_all or s.overdue]
    return BackupsReport(as_of=when, vps=lines, overdue=sum(s.overdue for s in report), total=len(report))


class BackupRecorded(BaseModel):
    vps: str
    at: datetime
    status: str
    recorded: int


def record_backup(session: Session, name: str, at: str, status: str, snapshot: str | None = None) -> BackupRecorded:
    """One backup run of a VPS, as the backup job reports it when it finishes."""
    try:
        when = backup_ops.parse_time(at)
    except ValueError as exc:
        raise InputError.at("backup", None, "at", str(exc)) from exc
    added = backup_ops.record(_service(session), [backup_ops.BackupEvent(name, when, status, snapshot)], "cli")
    return BackupRecorded(vps=name, at=when, status=status, recorded=added)


class BackupsImported(BaseModel):
    file: str
    events: int
    new: int


def import_backups(session: Session, logfile: Path) -> BackupsImported:
    """A backup agent's log (restic --json lines + time/hostname); all or nothing."""
    events = backup_ops.parse_log(logfile)
    added = backup_ops.record(_service(session), events, str(logfile))
    return BackupsImported(file=str(logfile), events=len(events), new=added)
