"""The emulated city as use cases: bring it up from the inventory, its status, take it down, faults.

Every command that changes the lab checks first that this machine can run one (root, the daemons);
results are typed so `netops lab ... --json` and a web page emit the same thing.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from netops.app.session import Session
from netops.errors import NetopsError
from netops.lab import faults
from netops.lab.build import lab_down, lab_up, quiet
from netops.lab.plan import build_plan
from netops.lab.select import select_devices
from netops.lab.state import Fault as Fault  # what a fault command returns
from netops.lab.state import load_state
from netops.lab.status import lab_status
from netops.lab.system import missing_prerequisites

StepProgress = Callable[[str, int, int], None]
ROUTER_ROLES = ("core", "distribution", "pd-edge")
# fault name -> (what it does, what it targets); every one takes (state file, target)
FAULTS: dict[str, tuple[Callable[[Path, str], Fault], str, str]] = {
    "cut": (faults.cut, "LINK_ID", "Cut a fibre link: both ends down."),
    "cut-duct": (faults.cut_duct, "DUCT_ID", "Cut a duct: every lab link in it goes down."),
    "kill": (faults.kill, "DEVICE", "Kill a router: every process gone, no light on its ports."),
    "power-off": (faults.kill, "DEVICE", "Power a device off (as kill): every process gone, ports dark."),
    "hang": (faults.hang, "DEVICE", "Freeze the management plane (snmpd, sshd): it still forwards."),
    "ospf-down": (faults.ospf_down, "DEVICE", "Stop a router's OSPF: ports up, traffic rerouted or lost."),
    "silent": (faults.silent, "LINK_ID", "Drop LLDP on a link while it stays up."),
}


def require_lab_host() -> None:
    reason = missing_prerequisites()
    if reason:
        raise NetopsError(reason)


class LabUpReport(BaseModel):
    state_file: str
    devices: int
    routers: int
    links: int
    ducts: int
    left_out_pds: list[str]
    mgmt: str
    bringup_seconds: float | None


def bring_up(session: Session, pds: tuple[str, ...] = (), max_routers: int | None = None,
             mgmt: Literal["inband", "oob"] = "inband", progress: StepProgress = quiet) -> LabUpReport:
    """The lab from the inventory (every address as declared, 198.18.0.0/15 only), routed by OSPF."""
    require_lab_host()
    names, left_out = select_devices(session.inventory, list(pds) or None, max_routers)
    plan = build_plan(session.inventory, names, tuple(left_out), mgmt)
    state = lab_up(session.config.lab_state, plan, progress)
    return LabUpReport(state_file=str(session.config.lab_state), devices=len(plan.devices),
                       routers=sum(d.role in ROUTER_ROLES for d in plan.devices.values()), links=len(plan.cables),
                       ducts=len(plan.ducts), left_out_pds=list(left_out), mgmt=plan.mgmt,
                       bringup_seconds=state.bringup_seconds)


class LabDevice(BaseModel):
    hostname: str
    pd: str | None
    role: str
    namespace: str
    mgmt_ip: str
    platform: str
    daemons: dict[str, bool]


class LabLink(BaseModel):
    id: str
    a: str
    b: str
    ducts: list[str]
    lldp: str
    fault: str | None


class LabSummary(BaseModel):
    devices: int
    devices_all_daemons_alive: int
    links_declared: int
    links_seen_lldp: int
    ducts: int
    left_out_pds: list[str]


class LabStatusReport(BaseModel):
    state_file: str
    phase: str
    started_at: str | None = None
    mgmt: str | None = None
    noc_address: str | None = None
    noc_gateway: str | None = None
    bringup_seconds: float | None = None
    run_dir: str | None = None
    summary: LabSummary | None = None
    credentials: dict[str, str] = {}       # which credentials exist, never their values
    faults: list[Fault] = []
    devices: list[LabDevice] = []
    links: list[LabLink] = []

    @property
    def up(self) -> bool:
        return self.summary is not None


def status(session: Session) -> LabStatusReport:
    """Every lab device with its daemons, LLDP seen vs declared; phase `none` when no lab is recorded."""
    state = load_state(session.config.lab_state)
    if state is None:
        return LabStatusReport(state_file=str(session.config.lab_state), phase="none")
    return LabStatusReport.model_validate(lab_status(state, str(session.config.lab_state)))


def bring_down(session: Session, force: bool = False) -> dict[str, int]:
    """Kill every lab process by PID and delete every namespace, veth and the bridge (idempotent)."""
    require_lab_host()
    return lab_down(session.config.lab_state, force=force)


def inject(session: Session, kind: str, target: str) -> Fault:
    require_lab_host()
    return FAULTS[kind][0](session.config.lab_state, target)


def degrade(session: Session, target: str, loss: float | None, rate: float | None) -> Fault:
    require_lab_host()
    return faults.degrade(session.config.lab_state, target, loss, rate)


def flap(session: Session, target: str, period: float, count: int) -> Fault:
    require_lab_host()
    return faults.flap(session.config.lab_state, target, period, count)


def restore(session: Session, target: str | None) -> list[Fault]:
    """Undo the faults on a link, duct or device (every fault when `target` is None)."""
    require_lab_host()
    return faults.restore(session.config.lab_state, target)
