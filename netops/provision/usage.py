"""How full the Pusat Data is: per host (capacity after overcommit) and per PD (against its quota)."""
from __future__ import annotations

from dataclasses import dataclass

from netops.models.vps import PusatData, Quota, Resources, Vps


@dataclass(frozen=True)
class HostUsage:
    host: str
    site: str
    capacity: Resources
    used: Resources
    vps: int

    @property
    def free(self) -> Resources:
        return self.capacity - self.used

    def as_dict(self) -> dict[str, object]:
        return {"host": self.host, "site": self.site, "vps": self.vps, "capacity": vars(self.capacity),
                "used": vars(self.used), "free": vars(self.free)}


@dataclass(frozen=True)
class QuotaUsage:
    pd: str
    quota: Quota | None
    used: Resources
    vps: int


def _live(vps_list: list[Vps]) -> list[Vps]:
    return [v for v in vps_list if v.live]


def host_usage(pusat: PusatData, vps_list: list[Vps]) -> list[HostUsage]:
    out = []
    for host in pusat.hosts:
        mine = [v for v in _live(vps_list) if v.host == host.name]
        used = sum((v.size for v in mine), Resources())
        out.append(HostUsage(host.name, host.site, host.capacity(), used, len(mine)))
    return out


def quota_usage(pusat: PusatData, pd: str, vps_list: list[Vps]) -> QuotaUsage:
    mine = [v for v in _live(vps_list) if v.pd == pd]
    return QuotaUsage(pd, pusat.quota_for(pd), sum((v.size for v in mine), Resources()), len(mine))
