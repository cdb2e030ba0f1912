"""Pusat Data resources that VPS provisioning allocates from, and the VPS record (Art. 15(7)-(9), 17).

Shapes only, no I/O. Example of inventory/pusat_data.yaml (abridged)::

    hosts:
      - {name: hv-01, site: pusat-data, vcpu: 64, memory_mib: 262144, disk_gib: 8000,
         libvirt_uri: "qemu+ssh://hv-01.pd.batam.go.id/system", storage_pool: vm-images}
    storage_pools: [{name: vm-images, path: /var/lib/libvirt/images}]
    ip_pools: [{name: srv-shared, network: 10.20.0.0/24, gateway: 10.20.0.1, vlan: 200,
                first: 10.20.0.10, last: 10.20.0.250}]
    quotas: [{pd: DISDUKCAPIL, vcpu: 16, memory_mib: 65536, disk_gib: 1000, vps: 6}]
    templates: [{name: debian-12, image: debian-12-genericcloud-amd64.qcow2, default_user: debian,
                 os_variant: debian12}]
    backup_targets: [{name: bk-01, url: "rest:https://backup.pd.batam.go.id/"}]
    backup_policies: [{name: daily, schedule: "0 1 * * *", max_age_hours: 26, keep_daily: 7,
                       keep_weekly: 4, keep_monthly: 6, target: bk-01}]
    default_backup_policy: daily
    admin_ssh_keys: ["ssh-ed25519 AAAA... dinas-admin"]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from ipaddress import IPv4Address, IPv4Network

from pydantic import BaseModel, Field, model_validator

from netops.models.inventory import Strict
from netops.models.names import FileName, HostLabel

_SIZE = re.compile(r"^\s*(\d+)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)
_UNIT_MIB = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}


def parse_size(text: str | int, unit: str) -> int:
    """'4G' -> 4096 for unit 'M'; '40G' -> 40 for unit 'G'. A bare number is already in `unit`.

    Raises ValueError with a message a user can act on (sizes must be whole units).
    """
    if isinstance(text, int):
        return text
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"size {text!r} is not a number with an optional K/M/G/T suffix (e.g. 4G, 512M)")
    number, suffix = int(match.group(1)), (match.group(2) or unit).upper()
    mib = number * _UNIT_MIB[suffix]
    value = mib / _UNIT_MIB[unit.upper()]
    if value != int(value) or value <= 0:
        raise ValueError(f"size {text!r} is not a positive whole number of {unit.upper()}iB")
    return int(value)


def format_mib(mib: int) -> str:
    return f"{mib // 1024}G" if mib % 1024 == 0 else f"{mib}M"


@dataclass(frozen=True)
class Resources:
    """vCPU, memory (MiB) and disk (GiB): what quotas limit and hosts offer."""

    vcpu: int = 0
    memory_mib: int = 0
    disk_gib: int = 0

    def __add__(self, other: Resources) -> Resources:
        return Resources(self.vcpu + other.vcpu, self.memory_mib + other.memory_mib, self.disk_gib + other.disk_gib)

    def __sub__(self, other: Resources) -> Resources:
        return Resources(self.vcpu - other.vcpu, self.memory_mib - other.memory_mib, self.disk_gib - other.disk_gib)

    def fits_in(self, limit: Resources) -> bool:
        return self.vcpu <= limit.vcpu and self.memory_mib <= limit.memory_mib and self.disk_gib <= limit.disk_gib

    def __str__(self) -> str:
        return f"{self.vcpu} vCPU, {format_mib(self.memory_mib)} memory, {self.disk_gib}G disk"


class HypervisorHost(Strict):
    name: HostLabel = Field(description="also the folder of its dry-run plans: one RFC 1123 label")
    site: str
    vcpu: int = Field(gt=0)
    memory_mib: int = Field(gt=0)
    disk_gib: int = Field(gt=0)
    cpu_overcommit: float = Field(default=4.0, ge=1.0)
    memory_overcommit: float = Field(default=1.0, ge=1.0)
    libvirt_uri: str
    storage_pool: str = "default"

    def capacity(self) -> Resources:
        """What may be allocated after overcommit; disk is never overcommitted."""
        return Resources(int(self.vcpu * self.cpu_overcommit), int(self.memory_mib * self.memory_overcommit),
                         self.disk_gib)


class StoragePool(Strict):
    """A libvirt storage pool on the hypervisors where VPS disks are created."""

    name: FileName
    path: str
    kind: str = "dir"


class IpPool(Strict):
    """Addresses VPS get on one server VLAN; `pd` null means shared by every PD."""

    name: str
    network: IPv4Network
    gateway: IPv4Address
    vlan: int = Field(ge=1, le=4094)
    first: IPv4Address
    last: IPv4Address
    pd: str | None = None

    @model_validator(mode="after")
    def _range_inside_network(self) -> IpPool:
        for addr in (self.gateway, self.first, self.last):
            if addr not in self.network:
                raise ValueError(f"{addr} is outside {self.network}")
        if int(self.first) > int(self.last):
            raise ValueError("first address is after last address")
        return self

    def addresses(self) -> list[IPv4Address]:
        """Allocatable addresses in order (the gateway is never handed out)."""
        return [IPv4Address(i) for i in range(int(self.first), int(self.last) + 1) if IPv4Address(i) != self.gateway]


class Quota(Strict):
    pd: str
    vcpu: int = Field(ge=0)
    memory_mib: int = Field(ge=0)
    disk_gib: int = Field(ge=0)
    vps: int = Field(ge=0)

    def limit(self) -> Resources:
        return Resources(self.vcpu, self.memory_mib, self.disk_gib)


class OsTemplate(Strict):
    name: str
    image: FileName = Field(description="a file in the storage pool, never a path")
    default_user: str
    os_variant: str


class BackupTarget(Strict):
    """Where backups land inside the Pusat Data (Art. 17), e.g. a restic REST server."""

    name: str
    url: str


class BackupPolicy(Strict):
    """How often a VPS is backed up and how long copies are kept; `max_age_hours` is the alarm line."""

    name: str
    schedule: str = Field(description="cron expression the backup agent runs on")
    max_age_hours: int = Field(gt=0)
    keep_daily: int = Field(default=7, ge=0)
    keep_weekly: int = Field(default=4, ge=0)
    keep_monthly: int = Field(default=6, ge=0)
    target: str


class PusatData(Strict):
    hosts: list[HypervisorHost] = Field(default_factory=list)
    storage_pools: list[StoragePool] = Field(default_factory=list)
    ip_pools: list[IpPool] = Field(default_factory=list)
    quotas: list[Quota] = Field(default_factory=list)
    templates: list[OsTemplate] = Field(default_factory=list)
    default_quota: Quota | None = None
    backup_targets: list[BackupTarget] = Field(default_factory=list)
    backup_policies: list[BackupPolicy] = Field(default_factory=list)
    default_backup_policy: str | None = None
    admin_ssh_keys: list[str] = Field(default_factory=list, description="public keys only")
    dns_servers: list[IPv4Address] = Field(default_factory=list)
    domain: str = "pusatdata.local"

    def host(self, name: str) -> HypervisorHost | None:
        return next((h for h in self.hosts if h.name == name), None)

    def template(self, name: str) -> OsTemplate | None:
        return next((t for t in self.templates if t.name == name), None)

    def pool(self, name: str) -> IpPool | None:
        return next((p for p in self.ip_pools if p.name == name), None)

    def storage_pool(self, name: str) -> StoragePool | None:
        return next((p for p in self.storage_pools if p.name == name), None)

    def backup_policy(self, name: str) -> BackupPolicy | None:
        return next((p for p in self.backup_policies if p.name == name), None)

    def quota_for(self, pd: str) -> Quota | None:
        """The PD's own quota, else the default quota (re-labelled), else None: no VPS allowed."""
        own = next((q for q in self.quotas if q.pd == pd), None)
        if own is not None or self.default_quota is None:
            return own
        return self.default_quota.model_copy(update={"pd": pd})

    def pools_for(self, pd: str) -> list[IpPool]:
        """The PD's own server VLAN pools first, then the shared ones."""
        return [p for p in self.ip_pools if p.pd == pd] + [p for p in self.ip_pools if p.pd is None]


class VpsState(str, Enum):
    requested = "requested"
    provisioned = "provisioned"
    running = "running"
    stopped = "stopped"
    decommissioned = "decommissioned"


def iso(at: datetime) -> str:
    """How the register stores a time: UTC ISO 8601 to the second, so stored times compare as strings."""
    return at.astimezone(UTC).isoformat(timespec="seconds")


class VpsRecord(BaseModel):
    """One row of the `vps` table, exactly its columns: what the service writes and the register reads."""

    id: int
    name: str
    request_key: str
    pd: str
    purpose: str
    purpose_slug: str
    owner: str = ""
    vcpu: int
    memory_mib: int
    disk_gib: int
    os_template: str
    host: str
    mac: str
    state: VpsState
    backup_policy: str
    created_at: datetime
    created_by: str
    changed_at: datetime
    changed_by: str
    decommissioned_at: datetime | None = None

    def columns(self) -> dict[str, object]:
        """The row as stored: timestamps as UTC ISO 8601 text to the second (comparable as strings)."""
        row = self.model_dump(mode="python")
        for key, value in row.items():
            if isinstance(value, datetime):
                row[key] = iso(value)
        row["state"] = self.state.value
        return row


class Vps(VpsRecord):
    """One VPS as every interface sees it: its register row and its current address."""

    ip: IPv4Address | None
    ip_pool: str
    vlan: int
    ip_freed_at: datetime | None = None

    @property
    def size(self) -> Resources:
        return Resources(self.vcpu, self.memory_mib, self.disk_gib)

    @property
    def live(self) -> bool:
        return self.state != VpsState.decommissioned
