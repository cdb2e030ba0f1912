"""Pusat Data resources that VPS provisioning allocates from (Art. 15(7)-(9), 17)."""
from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from pydantic import Field, model_validator

from netops.models.inventory import Strict


class HypervisorHost(Strict):
    name: str
    site: str
    vcpu: int = Field(gt=0)
    memory_mib: int = Field(gt=0)
    disk_gib: int = Field(gt=0)
    cpu_overcommit: float = Field(default=4.0, ge=1.0)
    memory_overcommit: float = Field(default=1.0, ge=1.0)
    libvirt_uri: str
    storage_pool: str = "default"


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
    def _range_inside_network(self) -> "IpPool":
        for addr in (self.gateway, self.first, self.last):
            if addr not in self.network:
                raise ValueError(f"{addr} is outside {self.network}")
        if int(self.first) > int(self.last):
            raise ValueError("first address is after last address")
        return self


class Quota(Strict):
    pd: str
    vcpu: int = Field(ge=0)
    memory_mib: int = Field(ge=0)
    disk_gib: int = Field(ge=0)
    vps: int = Field(ge=0)


class OsTemplate(Strict):
    name: str
    image: str
    default_user: str
    os_variant: str


class PusatData(Strict):
    hosts: list[HypervisorHost] = Field(default_factory=list)
    ip_pools: list[IpPool] = Field(default_factory=list)
    quotas: list[Quota] = Field(default_factory=list)
    templates: list[OsTemplate] = Field(default_factory=list)
    default_quota: Quota | None = None
