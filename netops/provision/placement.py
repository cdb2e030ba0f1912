"""Which hypervisor a new VPS goes to.

Policy (documented in netops/provision/README.md):
1. Only hosts where the VPS fits on every resource after overcommit (vCPU x cpu_overcommit,
   memory x memory_overcommit, disk never overcommitted).
2. Anti-affinity: prefer the hosts holding the fewest live VPS of the same PD and purpose, so a
   PD's replicas land on different hosts whenever there is a host without one (spread, never refuse).
3. Least loaded: among those, the host whose scarcest resource would be least used after placing
   the VPS (the maximum of the three utilisation ratios); ties by host name, so placement is
   deterministic.
"""
from __future__ import annotations

from netops.models.vps import HypervisorHost, Resources
from netops.provision.errors import CapacityError


def utilisation(host: HypervisorHost, used: Resources) -> float:
    """The scarcest resource's used fraction of what the host may give."""
    cap = host.capacity()
    return max(used.vcpu / cap.vcpu, used.memory_mib / cap.memory_mib, used.disk_gib / cap.disk_gib)


def place(hosts: list[HypervisorHost], used: dict[str, Resources], need: Resources,
          replicas_on: dict[str, int]) -> HypervisorHost:
    """Choose the host for `need`; raise CapacityError when none fits."""
    fitting = [h for h in hosts if (used.get(h.name, Resources()) + need).fits_in(h.capacity())]
    if not fitting:
        raise CapacityError(f"no hypervisor host has room for {need}: " + _shortest_fall(hosts, used, need))
    return min(fitting, key=lambda h: (replicas_on.get(h.name, 0),
                                       utilisation(h, used.get(h.name, Resources()) + need), h.name))


def check_fits(host: HypervisorHost, used: Resources, extra: Resources) -> None:
    """For a resize in place: the host must take the growth."""
    if not (used + extra).fits_in(host.capacity()):
        free = host.capacity() - used
        raise CapacityError(f"host {host.name} cannot take +{extra}: free {free}")


def _shortest_fall(hosts: list[HypervisorHost], used: dict[str, Resources], need: Resources) -> str:
    if not hosts:
        return "the Pusat Data declares no hosts"
    frees = [(h.capacity() - used.get(h.name, Resources()), h.name) for h in hosts]
    best = max(frees, key=lambda fh: min(fh[0].vcpu / max(need.vcpu, 1), fh[0].memory_mib / max(need.memory_mib, 1),
                                         fh[0].disk_gib / max(need.disk_gib, 1)))
    return f"the roomiest host {best[1]} has {best[0]} free ({len(hosts)} hosts)"
