"""`LabHandle`: a running lab as tests, benchmarks and demos use it.

One object over one state file: what is in the lab, faults, LLDP as each device sees it,
and a netops Config that points every other part of netops at this lab.
"""
from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from netops.config import Config, load_config
from netops.lab import faults
from netops.lab.build import Progress, lab_down, lab_up, quiet
from netops.lab.overlay import LabOverlay, overlay_of
from netops.lab.plan import LabPlan, MgmtMode, build_plan
from netops.lab.select import select_devices
from netops.lab.state import LabState, load_state
from netops.lab.status import Neighbors, lldp_neighbors
from netops.models.inventory import Role
from netops.sources.inventory import Inventory

PREFERRED_SMALL_LAB = ("DISDUKCAPIL", "DPMPTSP")
MAX_SMALL_LAB_PDS = 6


class LabHandle:
    def __init__(self, state_path: Path, config_file: Path | None = None):
        self.state_path = Path(state_path)
        self.config_file = config_file

    @property
    def config(self) -> Config:
        """The project config with lab_state pointing here, read afresh (NETOPS_STORE of the moment applies)."""
        return load_config(self.config_file).model_copy(update={"lab_state": self.state_path})

    @property
    def overlay(self) -> LabOverlay:
        """The lab's drivers and credentials, for `build_nornir(..., lab=)` and `sweep(..., lab=)`."""
        return overlay_of(self.state, str(self.state_path))

    @property
    def state(self) -> LabState:
        state = load_state(self.state_path)
        if state is None:
            raise RuntimeError(f"no lab in {self.state_path}")
        return state

    @property
    def plan(self) -> LabPlan:
        return self.state.plan

    @property
    def devices(self) -> list[str]:
        return list(self.plan.devices)

    @property
    def links(self) -> list[str]:
        return list(self.plan.cables)

    @property
    def ducts(self) -> list[str]:
        return self.plan.ducts

    def cut(self, link_id: str) -> None:
        faults.cut(self.state_path, link_id)

    def cut_duct(self, duct_id: str) -> None:
        faults.cut_duct(self.state_path, duct_id)

    def kill(self, device: str) -> None:
        faults.kill(self.state_path, device)

    def hang(self, device: str) -> None:
        faults.hang(self.state_path, device)

    def ospf_down(self, device: str) -> None:
        faults.ospf_down(self.state_path, device)

    def degrade(self, link_id: str, loss_pct: float | None = None, rate_mbit: float | None = None) -> None:
        faults.degrade(self.state_path, link_id, loss_pct, rate_mbit)

    def silent(self, link_id: str) -> None:
        faults.silent(self.state_path, link_id)

    def restore(self, target: str | None = None) -> None:
        faults.restore(self.state_path, target)

    def lldp_neighbors(self, host: str) -> Neighbors:
        return lldp_neighbors(self.state, host)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 15.0, interval: float = 0.5) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def lldp_converged(self) -> bool:
        """Every cable of the lab seen by LLDP from both ends, with its declared names."""
        state = self.state
        seen = {h: lldp_neighbors(state, h) for h in state.plan.devices}
        return all((c.b.device, c.b.interface) in seen[c.a.device].get(c.a.interface, [])
                   and (c.a.device, c.a.interface) in seen[c.b.device].get(c.b.interface, [])
                   for c in state.plan.cables.values())

    def mgmt_address(self, host: str) -> str:
        return self.plan.devices[host].mgmt_ip.split("/")[0]

    def reachable(self, hosts: list[str] | None = None, wait_s: float = 1.0) -> dict[str, bool]:
        """Which devices answer one ping from the NOC (the root namespace), all probed at once."""
        names = list(self.plan.devices) if hosts is None else hosts
        procs = {h: subprocess.Popen(["ping", "-n", "-q", "-c", "1", "-W", str(wait_s), self.mgmt_address(h)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for h in names}
        return {h: p.wait() == 0 for h, p in procs.items()}

    def converged(self) -> bool:
        """Every device's management address answers from the NOC (in-band: OSPF has converged)."""
        return all(self.reachable().values())

    def down(self) -> dict[str, int]:
        return lab_down(self.state_path)


def small_lab_pds(inv: Inventory) -> list[str]:
    """PDs giving a small lab that still has a ring, a duct shared by two links and a PD LAN."""
    with_lan = [code for code in inv.pds
                if {Role.access_switch, Role.ap} <= {d.role for d in inv.devices_of(code)}]
    order = [c for c in PREFERRED_SMALL_LAB if c in inv.pds] + with_lan + list(inv.pds)
    chosen: list[str] = []
    for code in dict.fromkeys(order):
        chosen.append(code)
        plan = build_plan(inv, select_devices(inv, chosen)[0])
        if _has_ring_and_shared_duct(plan) and any(c in with_lan for c in chosen):
            return chosen
        if len(chosen) >= MAX_SMALL_LAB_PDS:
            break
    raise ValueError("the inventory has no small part with a ring, a shared duct and a PD LAN")


def _has_ring_and_shared_duct(plan: LabPlan) -> bool:
    g: nx.Graph[str] = nx.Graph((c.a.device, c.b.device) for c in plan.cables.values())
    return bool(nx.cycle_basis(g)) and any(len(plan.cables_in_duct(d)) >= 2 for d in plan.ducts)


def start_lab(state_path: Path, inv: Inventory, pds: list[str] | None = None,
              max_routers: int | None = None, progress: Progress = quiet,
              config_file: Path | None = None, mgmt: MgmtMode = "inband") -> LabHandle:
    names, left_out = select_devices(inv, pds, max_routers)
    lab_up(state_path, build_plan(inv, names, tuple(left_out), mgmt), progress)
    return LabHandle(state_path, config_file)
