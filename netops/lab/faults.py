"""Fault injection: fibre cut, duct cut, dead router, silent link; and restore.

Faults are recorded in the lab state. Restoring one fault recomputes what must stay
down from the faults that remain (a link inside a cut duct stays down when only its
own cut is restored).
"""
from __future__ import annotations

from pathlib import Path

from netops.errors import NetopsError, NotFoundError
from netops.lab import daemons
from netops.lab.plan import MGMT_PORT, PLANT_NAMESPACE, CablePlan
from netops.lab.state import Fault, LabState, load_state, save_state
from netops.lab.system import ip_batch, kill_pids, namespace_pids, run

SILENT_TABLE = "netops_silent"
LLDP_ETHERTYPE = "0x88cc"


def _state(state_path: Path) -> LabState:
    state = load_state(state_path)
    if state is None or state.phase != "up":
        raise NetopsError(f"no lab is up (state {state_path}): run `netops lab up` first")
    return state


def _cable(state: LabState, link_id: str) -> CablePlan:
    cable = state.plan.cables.get(link_id)
    if cable is None:
        raise NotFoundError(f"link {link_id} is not in the lab ({len(state.plan.cables)} links are)")
    return cable


def _record(state_path: Path, state: LabState, kind: str, target: str) -> Fault:
    fault = Fault(kind=kind, target=target)
    if fault not in state.faults:
        state.faults.append(fault)
    save_state(state_path, state)
    return fault


def _set_cables(state: LabState, cables: list[CablePlan], up: bool) -> None:
    """Light on or off in the plant: device ports stay admin up and follow the carrier."""
    lines = []
    for cable in cables:
        _, a_side, b_side = state.plan.plant_ports(cable.id)
        lines += [f"link set dev {side} {'up' if up else 'down'}" for side in (a_side, b_side)]
    ip_batch(lines, namespace=PLANT_NAMESPACE)


def cut(state_path: Path, link_id: str) -> Fault:
    """Both ends lose the light (oper down, admin up), as when a backhoe cuts the fibre."""
    state = _state(state_path)
    _set_cables(state, [_cable(state, link_id)], up=False)
    return _record(state_path, state, "cut", link_id)


def cut_duct(state_path: Path, duct_id: str) -> Fault:
    """Every lab link pulled through the duct goes down at once."""
    state = _state(state_path)
    cables = state.plan.cables_in_duct(duct_id)
    if not cables:
        raise NotFoundError(f"duct {duct_id} holds no link of the lab")
    _set_cables(state, cables, up=False)
    return _record(state_path, state, "cut-duct", duct_id)


def kill(state_path: Path, device: str) -> Fault:
    """The router dies: every process gone, every port (and management) without light."""
    state = _state(state_path)
    dev = state.plan.devices.get(device)
    if dev is None:
        raise NotFoundError(f"device {device} is not in the lab")
    pids = set(namespace_pids([dev.namespace]).get(dev.namespace, [])) | set(state.pids.get(device, {}).values())
    kill_pids(pids)
    ip_batch([f"link set dev {p.linux} down" for p in dev.ports] + [f"link set dev {MGMT_PORT} down"],
             namespace=dev.namespace)
    _set_cables(state, [c for c in state.plan.cables.values() if device in (c.a.device, c.b.device)], up=False)
    return _record(state_path, state, "kill", device)


def silent(state_path: Path, link_id: str) -> Fault:
    """LLDP frames dropped at both senders (nft egress): the link stays up, the adjacency ages out."""
    state = _state(state_path)
    cable = _cable(state, link_id)
    for end in cable.ends():
        dev = state.plan.devices[end.device]
        linux = dev.port(end.interface).linux
        rules = (f"add table netdev {SILENT_TABLE}\n"
                 f"add chain netdev {SILENT_TABLE} {linux} "
                 f"{{ type filter hook egress device \"{linux}\" priority 0; }}\n"
                 f"add rule netdev {SILENT_TABLE} {linux} ether type {LLDP_ETHERTYPE} drop\n")
        run(["ip", "netns", "exec", dev.namespace, "nft", "-f", "-"], stdin=rules)
    return _record(state_path, state, "silent", link_id)


def restore(state_path: Path, target: str | None = None) -> list[Fault]:
    """Undo the faults on `target` (a link, duct or device), or every fault when None."""
    state = _state(state_path)
    undone = [f for f in state.faults if target is None or f.target == target]
    if target is not None and not undone:
        raise NotFoundError(f"no fault on {target} (faults: {', '.join(f.target for f in state.faults) or 'none'})")
    state.faults = [f for f in state.faults if f not in undone]
    for fault in undone:
        if fault.kind == "kill":
            _revive(state, fault.target)
        elif fault.kind == "silent":
            _unsilence(state, _cable(state, fault.target))
    touched = {c.id: c for f in undone for c in _cables_of(state, f)}
    still_down = {c.id for f in state.faults if f.kind != "silent" for c in _cables_of(state, f)}
    _set_cables(state, [c for cid, c in touched.items() if cid not in still_down], up=True)
    save_state(state_path, state)
    return undone


def _cables_of(state: LabState, fault: Fault) -> list[CablePlan]:
    if fault.kind in ("cut", "silent"):
        return [state.plan.cables[fault.target]]
    if fault.kind == "cut-duct":
        return state.plan.cables_in_duct(fault.target)
    return [c for c in state.plan.cables.values() if fault.target in (c.a.device, c.b.device)]


def _unsilence(state: LabState, cable: CablePlan) -> None:
    for end in cable.ends():
        dev = state.plan.devices[end.device]
        linux = dev.port(end.interface).linux
        run(["ip", "netns", "exec", dev.namespace, "nft", "-f", "-"], check=False,
            stdin=f"flush chain netdev {SILENT_TABLE} {linux}\ndelete chain netdev {SILENT_TABLE} {linux}\n")


def _revive(state: LabState, device: str) -> None:
    dev = state.plan.devices[device]
    ip_batch([f"link set dev {MGMT_PORT} up"] + [f"link set dev {p.linux} up" for p in dev.ports if p.enabled],
             namespace=dev.namespace)
    for daemon in daemons.DAEMONS:
        state.pids.setdefault(device, {})[daemon] = daemons.start_daemon(state, dev, daemon)
        daemons.wait_ready(state, [device], daemon)
    daemons.lldp_update(state, [device])
