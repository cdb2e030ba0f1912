"""Declared fibre links judged against what both ends saw; LLDP adjacencies nobody declared.

Pure: declared links and observations in, `LinkObservation`s and `NewAdjacency`s out.
Interfaces are compared by canonical name (`Gi0/1` == `GigabitEthernet0/1`), devices by short
case-insensitive host name (`CORE-01.batam.go.id` == `core-01`).

Verdict for one link, first rule that applies:
  mismatched  an end's LLDP shows neighbours on that port and none is the declared far end
  down        an end reports the port operationally or administratively down
  up          at least one end sees the declared far end over LLDP
  unseen      nothing confirms or refutes the link (no answer, no LLDP, port not reported)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from netops.models.names import canonical_interface, short_host
from netops.models.observation import (
    DeviceFailure,
    DeviceObservation,
    LinkObservation,
    LinkState,
    NewAdjacency,
)
from netops.models.plant import FibreLink, LinkEnd, LinkStatus


class HostResolver:
    """LLDP system names to inventory device names (short name, any case); unknown names kept."""

    def __init__(self, device_names: Iterable[str]):
        self._by_short = {short_host(n): n for n in device_names}

    def __call__(self, remote_name: str) -> str:
        return self._by_short.get(short_host(remote_name), remote_name.strip())


@dataclass(frozen=True)
class _EndView:
    """What one end of a link reported about its port."""

    status: str  # up | down | admin-down | missing | unknown | no-answer | not-swept
    detail: str  # for the reason text
    sees_far: bool  # LLDP shows the declared far device and port
    others: list[str]  # LLDP neighbours on this port that are not the declared far end
    speed: float | None


def _neighbour_matches(entry: Mapping[str, Any], far: LinkEnd, resolve: HostResolver) -> bool:
    name = str(entry.get("remote_system_name") or "")
    if short_host(resolve(name)) != short_host(far.device):
        return False
    want = canonical_interface(far.interface)
    ports = (entry.get("remote_port"), entry.get("remote_port_description"))
    return any(p and canonical_interface(str(p)) == want for p in ports)


def _describe(entry: Mapping[str, Any], resolve: HostResolver) -> str:
    name = resolve(str(entry.get("remote_system_name") or entry.get("remote_chassis_id") or "?"))
    return f"{name} {entry.get('remote_port') or '?'}".strip()


def _end_view(
    end: LinkEnd,
    far: LinkEnd,
    obs: DeviceObservation | None,
    failure: DeviceFailure | None,
    resolve: HostResolver,
) -> _EndView:
    if obs is None:
        if failure is not None:
            return _EndView(
                "no-answer", f"{end.device} did not answer ({failure.reason.value})", False, [], None
            )
        return _EndView("not-swept", f"{end.device} was not swept", False, [], None)
    port = canonical_interface(end.interface)
    neighbours = obs.lldp_neighbors_detail.get(port, [])
    sees_far = any(_neighbour_matches(n, far, resolve) for n in neighbours)
    others = [] if sees_far else [_describe(n, resolve) for n in neighbours]
    iface = obs.interfaces.get(port)
    if iface is None:
        status = "missing" if obs.interfaces else "unknown"
        detail = (
            f"{end.device} reports no interface {end.interface}"
            if obs.interfaces
            else f"{end.device} gave no interface table"
        )
        return _EndView(status, detail, sees_far, others, None)
    speed = iface.get("speed")
    speed = float(speed) if isinstance(speed, (int, float)) and speed > 0 else None
    if iface.get("is_enabled") is False:
        return _EndView("admin-down", f"{end.device} {end.interface} admin down", sees_far, others, speed)
    if iface.get("is_up") is False:
        return _EndView("down", f"{end.device} {end.interface} oper down", sees_far, others, speed)
    return _EndView("up", f"{end.device} {end.interface} up", sees_far, others, speed)


def judge_link(
    link: FibreLink,
    observations: Mapping[str, DeviceObservation],
    failures: Mapping[str, DeviceFailure],
    resolve: HostResolver,
) -> LinkObservation:
    """One declared link's state and the reason, from both ends' observations."""
    a = _end_view(link.a, link.b, observations.get(link.a.device), failures.get(link.a.device), resolve)
    b = _end_view(link.b, link.a, observations.get(link.b.device), failures.get(link.b.device), resolve)
    speeds = [v.speed for v in (a, b) if v.speed is not None]
    speed = min(speeds) if speeds else None
    note = "" if link.status == LinkStatus.active else f" (declared {link.status.value})"

    def verdict(state: LinkState, reason: str) -> LinkObservation:
        return LinkObservation(link_id=link.id, state=state, reason=reason + note, speed_mbps=speed)

    wrong = [(end, far, view) for end, far, view in ((link.a, link.b, a), (link.b, link.a, b)) if view.others]
    if wrong:
        return verdict(
            LinkState.mismatched,
            "; ".join(
                f"{end.device} {end.interface} sees {', '.join(view.others)}, "
                f"declared {far.device} {far.interface}"
                for end, far, view in wrong
            ),
        )
    down = [v for v in (a, b) if v.status in ("down", "admin-down")]
    if down:
        return verdict(LinkState.down, "; ".join(v.detail for v in down))
    if a.sees_far or b.sees_far:
        if a.sees_far and b.sees_far:
            how = "LLDP both ways"
        else:
            seer, blind = (link.a, b) if a.sees_far else (link.b, a)
            how = f"LLDP from {seer.device} only; {blind.detail}"
        slow = (
            f"; speed {speed:g} Mb/s below capacity {link.capacity_mbps}"
            if speed and speed < link.capacity_mbps
            else ""
        )
        return verdict(LinkState.up, how + slow)
    if {a.status, b.status} <= {"no-answer", "not-swept"}:
        return verdict(LinkState.unseen, f"neither end answered: {a.detail}; {b.detail}")
    return verdict(LinkState.unseen, f"no LLDP adjacency seen: {a.detail}; {b.detail}")


def judge_links(
    links: Mapping[str, FibreLink],
    observations: Mapping[str, DeviceObservation],
    failures: Mapping[str, DeviceFailure],
    device_names: Iterable[str],
) -> dict[str, LinkObservation]:
    """Every declared link whose ends were both in the sweep (or at least one end was)."""
    swept = set(observations) | set(failures)
    resolve = HostResolver(device_names)
    return {
        lid: judge_link(link, observations, failures, resolve)
        for lid, link in links.items()
        if link.a.device in swept or link.b.device in swept
    }


def new_adjacencies(
    links: Mapping[str, FibreLink], observations: Mapping[str, DeviceObservation], device_names: Iterable[str]
) -> list[NewAdjacency]:
    """LLDP adjacencies that no declared link explains, each once, from the first device that saw it."""
    resolve = HostResolver(device_names)

    def end(device: str, port: str) -> tuple[str, str]:
        return (short_host(device), canonical_interface(port))

    declared = {
        frozenset((end(lk.a.device, lk.a.interface), end(lk.b.device, lk.b.interface)))
        for lk in links.values()
    }
    found: dict[frozenset[tuple[str, str]], NewAdjacency] = {}
    for host, obs in observations.items():
        for port, entries in obs.lldp_neighbors_detail.items():
            for entry in entries:
                remote = resolve(str(entry.get("remote_system_name") or entry.get("remote_chassis_id") or ""))
                if not remote:
                    continue
                remote_ports = [
                    str(p) for p in (entry.get("remote_port"), entry.get("remote_port_description")) if p
                ]
                keys = [frozenset((end(host, port), end(remote, p))) for p in remote_ports or [""]]
                if any(k in declared or k in found for k in keys):
                    continue
                found[keys[0]] = NewAdjacency(
                    a_device=host,
                    a_interface=port,
                    b_device=remote,
                    b_interface=remote_ports[0] if remote_ports else "",
                )
    return sorted(found.values(), key=lambda n: (n.a_device, n.a_interface, n.b_device, n.b_interface))
