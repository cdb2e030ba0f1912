"""Per-PD quotas: what the Dinas has granted each PD in the Pusat Data."""
from __future__ import annotations

from netops.models.vps import Quota, Resources, format_mib
from netops.provision.errors import QuotaError


def check_quota(pd: str, quota: Quota | None, used: Resources, used_count: int, extra: Resources,
                extra_count: int = 1) -> None:
    """Raise QuotaError naming every limit the request would cross (used + extra > quota)."""
    if quota is None:
        raise QuotaError(f"PD {pd} has no VPS quota in the Pusat Data (add one to pusat_data.yaml quotas)")
    after = used + extra
    over = []
    if after.vcpu > quota.vcpu:
        over.append(f"vCPU {used.vcpu}+{extra.vcpu} > {quota.vcpu}")
    if after.memory_mib > quota.memory_mib:
        over.append(f"memory {format_mib(used.memory_mib)}+{format_mib(extra.memory_mib)} > "
                    f"{format_mib(quota.memory_mib)}")
    if after.disk_gib > quota.disk_gib:
        over.append(f"disk {used.disk_gib}G+{extra.disk_gib}G > {quota.disk_gib}G")
    if used_count + extra_count > quota.vps:
        over.append(f"VPS count {used_count}+{extra_count} > {quota.vps}")
    if over:
        raise QuotaError(f"quota of PD {pd} exceeded: {'; '.join(over)}")
