"""The path packets really take: hop by hop through the routing tables a sweep read.

Pure: observations in (each with `routes` and `interfaces_ip`), a list of devices out.
Where the declared graph says which paths could exist, this says which one the routers
use now: after a cut and an OSPF reroute the answer changes while the declared graph doesn't.
"""
from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Address, IPv4Network, ip_address, ip_network

from netops.models.observation import DeviceObservation

MAX_HOPS = 64


def owners(observations: Mapping[str, DeviceObservation]) -> dict[IPv4Address, str]:
    """Every interface address seen, to the device holding it."""
    out: dict[IPv4Address, str] = {}
    for host, obs in observations.items():
        for families in obs.interfaces_ip.values():
            for addr in families.get("ipv4", {}):
                out[IPv4Address(addr)] = host
    return out


def _lookup(obs: DeviceObservation, dest: IPv4Address) -> list[dict[str, object]]:
    """Longest-prefix match in one device's table: its next hops, or [] when it has no route."""
    best: tuple[int, list[dict[str, object]]] = (-1, [])
    for prefix, entries in obs.routes.items():
        net = ip_network(prefix, strict=False)
        if isinstance(net, IPv4Network) and dest in net and net.prefixlen > best[0]:
            best = (net.prefixlen, [dict(e) for e in entries])
    return best[1]


def forwarding_path(observations: Mapping[str, DeviceObservation], source: str, destination: str) -> list[str]:
    """Devices a packet from `source` to the address `destination` crosses, source first.

    Follows the first next hop of each longest-prefix match (one of equal-cost paths). Ends
    at the device owning the address, or where a table has no route, a next hop nobody
    observed owns, or a loop (the last element then repeats a device).
    """
    dest = ip_address(destination)
    if not isinstance(dest, IPv4Address):
        raise ValueError(f"{destination}: only IPv4 routes are read")
    by_address = owners(observations)
    path = [source]
    here = source
    for _ in range(MAX_HOPS):
        if by_address.get(dest) == here or here not in observations:
            return path
        hops = [e for e in _lookup(observations[here], dest) if e.get("next_hop")]
        if not hops:  # connected (the owner is on this LAN) or no route
            owner = by_address.get(dest)
            connected = any(not e.get("next_hop") for e in _lookup(observations[here], dest))
            return path + [owner] if connected and owner and owner != here else path
        nxt = by_address.get(IPv4Address(str(hops[0]["next_hop"])))
        if nxt is None:
            return path
        path.append(nxt)
        if path.count(nxt) > 1:
            return path
        here = nxt
    return path
