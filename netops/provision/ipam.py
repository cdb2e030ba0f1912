"""IP address management: the lowest free address of the first pool of the PD that has one."""
from __future__ import annotations

from ipaddress import IPv4Address

from netops.models.vps import IpPool
from netops.provision.errors import PoolExhaustedError


def next_free(pool: IpPool, held: set[IPv4Address]) -> IPv4Address | None:
    return next((addr for addr in pool.addresses() if addr not in held), None)


def allocate(pd: str, pools: list[IpPool], held: dict[str, set[IPv4Address]]) -> tuple[IpPool, IPv4Address]:
    """Pick (pool, address); `pools` is already in preference order (the PD's own VLAN first)."""
    if not pools:
        raise PoolExhaustedError(f"no IP pool serves PD {pd} (add one with pd: {pd} or a shared pool)")
    for pool in pools:
        addr = next_free(pool, held.get(pool.name, set()))
        if addr is not None:
            return pool, addr
    names = ", ".join(f"{p.name} ({p.first}-{p.last})" for p in pools)
    raise PoolExhaustedError(f"IP pools exhausted for PD {pd}: every address of {names} is held")
