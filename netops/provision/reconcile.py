"""Drift between the VPS register and what the backends really run (issue: `netops vps reconcile`)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from netops.models.vps import HypervisorHost, Vps, VpsState
from netops.provision.backends import Backend
from netops.provision.errors import BackendError
from netops.provision.render import DomainInfo

KINDS = ("unregistered-domain", "missing-domain", "size-differs", "state-differs", "wrong-host",
         "decommissioned-but-defined", "host-unreachable")


@dataclass(frozen=True)
class Drift:
    kind: str
    name: str
    host: str
    detail: str


def survey(hosts: list[HypervisorHost], backend: Backend) -> tuple[dict[str, list[tuple[str, DomainInfo]]], list[Drift]]:
    """Every domain on every endpoint: name -> [(endpoint, info)]; unreachable endpoints as drift."""
    by_endpoint: dict[str, list[HypervisorHost]] = defaultdict(list)
    for host in hosts:
        by_endpoint[backend.endpoint(host)].append(host)
    found: dict[str, list[tuple[str, DomainInfo]]] = defaultdict(list)
    problems: list[Drift] = []
    for endpoint, group in by_endpoint.items():
        try:
            for info in backend.list_domains(group[0]):
                found[info.name].append((endpoint, info))
        except BackendError as exc:
            problems.extend(Drift("host-unreachable", "", h.name, str(exc)) for h in group)
    return found, problems


def compare(register: list[Vps], hosts: list[HypervisorHost], backend: Backend) -> list[Drift]:
    """Pure comparison once the survey is done; the register is the truth being checked."""
    found, drift = survey(hosts, backend)
    unreachable = {d.host for d in drift}
    endpoint_of = {h.name: backend.endpoint(h) for h in hosts}
    by_name = {v.name: v for v in register}
    for vps in register:
        if not vps.live or vps.host in unreachable:
            continue
        seen = found.get(vps.name, [])
        home = [info for endpoint, info in seen if endpoint == endpoint_of.get(vps.host)]
        for endpoint, _ in seen:
            if endpoint != endpoint_of.get(vps.host):
                drift.append(Drift("wrong-host", vps.name, vps.host, f"registered on {vps.host}, also on {endpoint}"))
        if not home:
            drift.append(Drift("missing-domain", vps.name, vps.host, "in the register, no domain on its host"))
            continue
        info = home[0]
        diffs = [f"{label} register {want} vs domain {got}" for label, want, got in
                 (("vCPU", vps.vcpu, info.vcpu), ("memory MiB", vps.memory_mib, info.memory_mib),
                  ("disk GiB", vps.disk_gib, info.disk_gib)) if got is not None and want != got]
        if diffs:
            drift.append(Drift("size-differs", vps.name, vps.host, "; ".join(diffs)))
        should_run = vps.state == VpsState.running
        if vps.state in (VpsState.running, VpsState.stopped) and should_run != info.running:
            drift.append(Drift("state-differs", vps.name, vps.host,
                               f"register {vps.state.value}, domain {'running' if info.running else 'shut off'}"))
    hosts_at = defaultdict(list)
    for name, endpoint in endpoint_of.items():
        hosts_at[endpoint].append(name)
    for name, endpoint in sorted((n, e) for n, seen in found.items() for e, _ in seen):
        registered = by_name.get(name)
        where = ",".join(sorted(hosts_at[endpoint]))
        if registered is None:
            drift.append(Drift("unregistered-domain", name, where, "domain exists on the host, not in the register"))
        elif not registered.live:
            drift.append(Drift("decommissioned-but-defined", name, where, "decommissioned in the register"))
    return drift
