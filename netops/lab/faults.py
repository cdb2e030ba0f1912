"""Fault injection: fibre and duct cuts, dead, hung and unrouted routers, silent, lossy, slow and flapping links.

Faults are recorded in the lab state with their time. Restoring one fault recomputes what
must stay down from the faults that remain (a link inside a cut duct stays down when only
its own cut is restored). Every target is checked before anything is touched: an unknown
link, duct or device changes nothing.

| fault | what happens | what a sweep sees |
|---|---|---|
| cut, cut-duct | plant side of the cable down: ports lose carrier | ports oper down, reroute |
| power-off (kill) | every process gone, every port dark | device times out |
| hang | snmpd and sshd stopped (SIGSTOP); FRR and lldpd run, it still forwards | device times out, PDs behind it answer |
| ospf-down | ospfd killed: ports up, neighbours drop it after the dead interval | traffic through it is rerouted or blackholed |
| silent | nft egress drop of LLDP on both ends | link up, LLDP ages out |
| degrade --loss / --rate | nft `numgen random` drop / tc tbf on both ends | loss / throughput limit |
| flap | a helper toggles the cable every period/2, count times | ports go down and up |
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from netops.errors import InputError, NetopsError, NotFoundError
from netops.lab import daemons
from netops.lab.build import device_routes
from netops.lab.plan import MGMT_PORT, NOC_PORT, PLANT_NAMESPACE, CablePlan, DevicePlan
from netops.lab.state import Fault as Fault  # re-exported: callers type their actions with faults.Fault
from netops.lab.state import LabState, load_state, save_state
from netops.lab.status import lldp_neighbors
from netops.lab.system import alive, ip_batch, kill_pids, namespace_pids, run

SILENT_TABLE = "netops_silent"
DEGRADE_TABLE = "netops_degrade"
LLDP_ETHERTYPE = "0x88cc"
MGMT_PLANE = ("snmpd", "sshd")
LLDP_REVIVE_S = 5.0        # a revived device hears an LLDP neighbour within this (tx-interval 1 s)


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


def _device(state: LabState, device: str, router: bool = False) -> DevicePlan:
    dev = state.plan.devices.get(device)
    if dev is None:
        raise NotFoundError(f"device {device} is not in the lab")
    if router and not dev.is_router:
        raise NotFoundError(f"device {device} ({dev.role}) runs no routing daemon")
    return dev


def _record(state_path: Path, state: LabState, kind: str, target: str, **extra: object) -> Fault:
    fault = Fault(kind=kind, target=target, at=datetime.now(UTC).isoformat(timespec="milliseconds"),
                  at_monotonic=time.monotonic(), **extra)
    state.faults = [f for f in state.faults if not f.same(fault)] + [fault]
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


def _outside_ports(state: LabState, dev: DevicePlan) -> list[str]:
    extra = [MGMT_PORT] if state.plan.mgmt == "oob" else [NOC_PORT] if dev.noc_ip else []
    return [p.linux for p in dev.ports] + extra


def kill(state_path: Path, device: str) -> Fault:
    """Power off: every process gone, every port (and its management or NOC port) without light."""
    state = _state(state_path)
    dev = _device(state, device)
    pids = set(namespace_pids([dev.namespace]).get(dev.namespace, [])) | set(state.pids.get(device, {}).values())
    kill_pids(pids)
    ip_batch([f"link set dev {name} down" for name in _outside_ports(state, dev)], namespace=dev.namespace)
    _set_cables(state, [c for c in state.plan.cables.values() if device in (c.a.device, c.b.device)], up=False)
    return _record(state_path, state, "kill", device)


def hang(state_path: Path, device: str) -> Fault:
    """The management plane freezes (snmpd, sshd stopped): no answer, yet the device still forwards."""
    state = _state(state_path)
    dev = _device(state, device)
    _signal_daemons(state, dev, MGMT_PLANE, signal.SIGSTOP)
    return _record(state_path, state, "hang", device)


def ospf_down(state_path: Path, device: str) -> Fault:
    """The routing daemon dies: ports stay up, neighbours drop it after the dead interval."""
    state = _state(state_path)
    _device(state, device, router=True)  # refuses an unknown device or one without FRR
    pid = state.pids.get(device, {}).get("ospfd", 0)
    if alive(pid):
        kill_pids([pid])
    return _record(state_path, state, "ospf-down", device)


def silent(state_path: Path, link_id: str) -> Fault:
    """LLDP frames dropped at both senders (nft egress): the link stays up, the adjacency ages out."""
    state = _state(state_path)
    cable = _cable(state, link_id)
    _nft_on_ends(state, cable, SILENT_TABLE, f"ether type {LLDP_ETHERTYPE} drop")
    return _record(state_path, state, "silent", link_id)


def degrade(state_path: Path, link_id: str, loss_pct: float | None = None, rate_mbit: float | None = None) -> Fault:
    """A poor fibre: random loss (nft numgen) and/or a rate limit (tc tbf), both directions."""
    state = _state(state_path)
    cable = _cable(state, link_id)
    if loss_pct is None and rate_mbit is None:
        raise NetopsError("degrade needs --loss PCT and/or --rate MBIT")
    if loss_pct is not None and not 0 < loss_pct <= 100:
        raise InputError.of_field("loss", f"{loss_pct}: give a percentage above 0 and at most 100")
    if rate_mbit is not None and rate_mbit <= 0:
        raise InputError.of_field("rate", f"{rate_mbit}: give a rate above 0 Mbit/s")
    _undegrade(state, cable)
    detail: dict[str, float | int | str] = {}
    if loss_pct is not None:
        _nft_on_ends(state, cable, DEGRADE_TABLE, f"numgen random mod 100 < {round(loss_pct)} drop")
        detail["loss_pct"] = round(loss_pct)
    if rate_mbit is not None:
        for dev, linux in _ends(state, cable):
            run(["tc", "-n", dev.namespace, "qdisc", "replace", "dev", linux, "root", "tbf",
                 "rate", f"{rate_mbit}mbit", "burst", "32kbit", "latency", "50ms"])
        detail["rate_mbit"] = rate_mbit
    return _record(state_path, state, "degrade", link_id, detail=detail)


def flap(state_path: Path, link_id: str, period_s: float = 2.0, count: int = 3) -> Fault:
    """The cable goes dark and back `count` times, period_s per cycle, from a helper process."""
    state = _state(state_path)
    cable = _cable(state, link_id)
    if not 0.2 <= period_s <= 3600 or not 1 <= count <= 1000:
        raise NetopsError("flap needs --period between 0.2 and 3600 s and --count between 1 and 1000")
    _, a_side, b_side = state.plan.plant_ports(cable.id)
    half = period_s / 2
    script = (f'i=0; while [ "$i" -lt {count} ]; do ip -n {PLANT_NAMESPACE} link set {a_side} down; '
              f"ip -n {PLANT_NAMESPACE} link set {b_side} down; sleep {half}; "
              f"ip -n {PLANT_NAMESPACE} link set {a_side} up; ip -n {PLANT_NAMESPACE} link set {b_side} up; "
              f'sleep {half}; i=$((i+1)); done')
    proc = subprocess.Popen(["sh", "-c", script], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    return _record(state_path, state, "flap", link_id, pid=proc.pid,
                   detail={"period_s": period_s, "count": count})


def restore(state_path: Path, target: str | None = None) -> list[Fault]:
    """Undo the faults on `target` (a link, duct or device), or every fault when None."""
    state = _state(state_path)
    undone = [f for f in state.faults if target is None or f.target == target]
    if target is not None and not undone:
        raise NotFoundError(f"no fault on {target} (faults: {', '.join(f.target for f in state.faults) or 'none'})")
    state.faults = [f for f in state.faults if f not in undone]
    kill_pids([f.pid for f in undone if f.kind == "flap" and f.pid])  # before the light goes back on
    # light first: a revived device's routes need their gateway's link to have carrier
    touched = {c.id: c for f in undone for c in _cables_of(state, f)}
    still_down = {c.id for f in state.faults if f.kind in ("cut", "cut-duct", "kill") for c in _cables_of(state, f)}
    _set_cables(state, [c for cid, c in touched.items() if cid not in still_down], up=True)
    for fault in undone:
        if fault.kind == "kill":
            _revive(state, fault.target)
        elif fault.kind == "hang":
            _signal_daemons(state, state.plan.devices[fault.target], MGMT_PLANE, signal.SIGCONT)
        elif fault.kind == "ospf-down":
            _restart(state, state.plan.devices[fault.target], ("ospfd",))
        elif fault.kind == "silent":
            _nft_off_ends(state, _cable(state, fault.target), SILENT_TABLE)
        elif fault.kind == "degrade":
            _undegrade(state, _cable(state, fault.target))
    save_state(state_path, state)
    return undone


def _cables_of(state: LabState, fault: Fault) -> list[CablePlan]:
    if fault.kind in ("cut", "silent", "degrade", "flap"):
        return [state.plan.cables[fault.target]]
    if fault.kind == "cut-duct":
        return state.plan.cables_in_duct(fault.target)
    if fault.kind == "kill":
        return [c for c in state.plan.cables.values() if fault.target in (c.a.device, c.b.device)]
    return []


def _ends(state: LabState, cable: CablePlan) -> list[tuple[DevicePlan, str]]:
    return [(state.plan.devices[e.device], state.plan.devices[e.device].port(e.interface).linux)
            for e in cable.ends()]


def _nft_on_ends(state: LabState, cable: CablePlan, table: str, rule: str) -> None:
    for dev, linux in _ends(state, cable):
        rules = (f"add table netdev {table}\n"
                 f"add chain netdev {table} {linux} {{ type filter hook egress device \"{linux}\" priority 0; }}\n"
                 f"add rule netdev {table} {linux} {rule}\n")
        run(["ip", "netns", "exec", dev.namespace, "nft", "-f", "-"], stdin=rules)


def _nft_off_ends(state: LabState, cable: CablePlan, table: str) -> None:
    for dev, linux in _ends(state, cable):
        run(["ip", "netns", "exec", dev.namespace, "nft", "-f", "-"], check=False,
            stdin=f"flush chain netdev {table} {linux}\ndelete chain netdev {table} {linux}\n")


def _undegrade(state: LabState, cable: CablePlan) -> None:
    _nft_off_ends(state, cable, DEGRADE_TABLE)
    for dev, linux in _ends(state, cable):
        run(["tc", "-n", dev.namespace, "qdisc", "del", "dev", linux, "root"], check=False)


def _signal_daemons(state: LabState, dev: DevicePlan, names: tuple[str, ...], sig: signal.Signals) -> None:
    for name in names:
        pid = state.pids.get(dev.hostname, {}).get(name, 0)
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)


def _restart(state: LabState, dev: DevicePlan, names: tuple[str, ...]) -> None:
    for name in names:
        state.pids.setdefault(dev.hostname, {})[name] = daemons.start_daemon(state, dev, name)
        daemons.wait_ready(state, [dev.hostname], name)
    if "ospfd" in names:
        daemons.apply_frr(state, [dev.hostname])
    if "snmpd" in names:
        daemons.tune_snmpd(state, [dev.hostname])


def _revive(state: LabState, device: str) -> None:
    dev = state.plan.devices[device]
    ip_batch([f"link set dev {name} up" for name in _outside_ports(state, dev)
              if name not in {p.linux for p in dev.ports if not p.enabled}], namespace=dev.namespace)
    ip_batch(device_routes(dev), namespace=dev.namespace, force=True)
    daemons.write_identity(state, dev)
    _restart(state, dev, daemons.daemons_of(dev))
    # again, now that its ports have had time to get carrier (a route via a gateway needs it)
    ip_batch(device_routes(dev), namespace=dev.namespace, force=True)
    daemons.lldp_update(state, [device])
    lit = [c for c in state.plan.cables.values() if device in (c.a.device, c.b.device)
           and not any(c in _cables_of(state, f) for f in state.faults)]
    if lit and not _hears_lldp(state, device):
        # seen on the whole city under load: an lldpd started right after power-on neither sends nor hears
        # on its fibres (the neighbours never see it again); one more start always fixed it
        _signal_daemons(state, dev, ("lldpd",), signal.SIGTERM)
        _restart(state, dev, ("lldpd",))
        daemons.lldp_update(state, [device])


def _hears_lldp(state: LabState, device: str, within_s: float = LLDP_REVIVE_S) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if lldp_neighbors(state, device):
            return True
        time.sleep(0.5)
    return False
