"""A PD's declared LAN (its diagram) judged against what that PD's devices really see.

Pure: a `LanDiagram`, the inventory's devices and a sweep `Snapshot` in, `Finding`s out.
Names are compared the way engineers read them: devices by short case-insensitive host
name (`SW-01.batam.go.id` == `sw-01`) or by management IP; interfaces by NAPALM's canonical
name, any case (`Gi0/1` == `GigabitEthernet0/1`, `eth1` == `Ethernet1`).

Per declared link, the first rule that applies:
  wrong far end   an end's port has LLDP neighbours and none is the declared far end
  interface down  an end reports the port down (operationally or administratively)
  (matches)       either end sees the declared far end over LLDP
  link missing    a reporting end has no such port, or nothing on it over LLDP
Links touching a device that is missing are not judged again (the device finding says it).
LLDP adjacencies the diagram does not explain become *link not in diagram* (peer in the
inventory or drawn) or *unmanaged peer* (peer nobody declared); uplinks to managed devices
of other PDs (the Dinas' WAN) are out of the PD's scope.

Cost: O(devices + links + LLDP entries): every lookup by name goes through a dict built once
(declared devices, inventory hosts by name and IP, who is seen over LLDP, each device's lines),
so a diagram at the size limit is checked in well under a second.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from netops.models.diagram import (
    DeclaredDevice,
    DeclaredEnd,
    DeclaredLink,
    Finding,
    FindingKind,
    LanDiagram,
    Severity,
    device_key,
)
from netops.models.inventory import Device
from netops.models.names import canonical_interface
from netops.models.observation import DeviceObservation, Snapshot

_WARNINGS = {FindingKind.speed_mismatch, FindingKind.ip_mismatch, FindingKind.serial_mismatch,
             FindingKind.unmanaged_peer}


def if_key(name: str | None) -> str:
    """`Gi0/1`, `gigabitethernet0/1`, `GigabitEthernet0/1` -> one key."""
    return canonical_interface((name or "").strip().lower()).lower()


def finding(kind: FindingKind, subject: str, reason: str, *, devices: list[str] | None = None,
            link: tuple[str, str] | None = None, **params: Any) -> Finding:
    return Finding(severity=Severity.warning if kind in _WARNINGS else Severity.error, kind=kind, subject=subject,
                   reason=reason, devices=devices or [], link=link,
                   params={k: str(v) for k, v in params.items() if v is not None})


def link_subject(link: DeclaredLink) -> str:
    def end(e: DeclaredEnd) -> str:
        return f"{e.device} {e.interface}" if e.interface else e.device
    return f"{end(link.a)} — {end(link.b)}"


@dataclass
class _Neighbour:
    port: str          # local canonical port
    name: str          # remote system name as reported
    remote_port: str
    remote_desc: str

    def is_(self, device: str, interface: str | None) -> bool:
        if device_key(self.name) != device_key(device):
            return False
        return interface is None or if_key(interface) in (if_key(self.remote_port), if_key(self.remote_desc))

    def show(self) -> str:
        return f"{self.name} {self.remote_port}".strip()


@dataclass
class _EndView:
    """One end of a declared link as its device reported it."""

    host: str
    device: str
    interface: str | None
    port: str
    far: str
    status: str          # up | down | absent | unknown
    sees_far: bool
    others: list[str]
    speed: float | None


@dataclass
class DiagramCheck:
    """Findings, plus what could not be verified and which declared box is which inventory device."""

    findings: list[Finding] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    hosts: dict[str, str] = field(default_factory=dict)


class _Checker:
    def __init__(self, diagram: LanDiagram, pd: str, devices: Mapping[str, Device], snapshot: Snapshot):
        self.diagram, self.pd, self.snapshot = diagram, pd, snapshot
        self.devices = {device_key(n): d for n, d in devices.items()}
        self.by_ip = {str(d.mgmt_ip): d.hostname for d in devices.values()}
        self.obs = {device_key(h): o for h, o in snapshot.observations.items()}
        self.failed = {device_key(h): f for h, f in snapshot.failures.items()}
        self.out = DiagramCheck()
        self.missing: set[str] = set()
        self.explained: set[frozenset[tuple[str, str]]] = set()
        self.reported_ports: set[tuple[str, str]] = set()
        self.neighbours = {key: self._neighbours(o) for key, o in self.obs.items()}
        self.declared = {device_key(d.name): d for d in diagram.devices}
        self.seen_over_lldp = {device_key(n.name) for ns in self.neighbours.values() for n in ns}
        self.lines_of: dict[str, list[DeclaredLink]] = {}
        for link in diagram.links:
            for end in {device_key(link.a.device), device_key(link.b.device)}:
                self.lines_of.setdefault(end, []).append(link)
        self._hosts: dict[str, str] = {}
        self.ports = {key: {if_key(p): p for p in o.interfaces} for key, o in self.obs.items()}
        self.on_port: dict[str, dict[str, list[_Neighbour]]] = {}
        for key, ns in self.neighbours.items():
            for n in ns:
                self.on_port.setdefault(key, {}).setdefault(if_key(n.port), []).append(n)

    @staticmethod
    def _neighbours(obs: DeviceObservation) -> list[_Neighbour]:
        return [_Neighbour(port, str(n.get("remote_system_name") or n.get("remote_chassis_id") or ""),
                           str(n.get("remote_port") or ""), str(n.get("remote_port_description") or ""))
                for port, entries in obs.lldp_neighbors_detail.items() for n in entries]

    def host_of(self, name: str) -> str:
        """Inventory key of a declared device: by host name, else by management IP; else its own key."""
        key = device_key(name)
        if key not in self._hosts:
            declared = self.declared.get(key)
            if key not in self.devices and declared and declared.mgmt_ip and str(declared.mgmt_ip) in self.by_ip:
                self._hosts[key] = device_key(self.by_ip[str(declared.mgmt_ip)])
            else:
                self._hosts[key] = key
        return self._hosts[key]

    def add(self, item: Finding) -> None:
        self.out.findings.append(item)

    def run(self) -> DiagramCheck:
        for device in self.diagram.devices:
            self.check_device(device)
        declared_hosts = {self.host_of(d.name) for d in self.diagram.devices}
        for key, known in sorted(self.devices.items()):
            if known.pd == self.pd and key not in declared_hosts:
                seen = "answered the sweep" if key in self.obs else "is in the inventory"
                self.add(finding(FindingKind.device_not_in_diagram, known.hostname,
                                 f"{known.hostname} ({known.role.value}) {seen} but is not drawn",
                                 devices=[known.hostname], device=known.hostname, role=known.role.value))
        for link in self.diagram.links:
            self.check_link(link)
        self.undeclared_adjacencies()
        return self.out

    # devices -----------------------------------------------------------------------------------------------
    def seen_by_neighbour(self, key: str) -> bool:
        return key in self.seen_over_lldp

    def check_device(self, declared: DeclaredDevice) -> None:
        key = self.host_of(declared.name)
        inventory = self.devices.get(key)
        if inventory is not None:
            self.out.hosts[declared.name] = inventory.hostname
        obs = self.obs.get(key)
        if obs is None:
            reason = self._absence(key, inventory)
            if reason:
                self.missing.add(device_key(declared.name))
                links = [link_subject(k) for k in self.lines_of.get(device_key(declared.name), [])]
                self.add(finding(FindingKind.device_missing, declared.name,
                                 reason + (f"; its lines: {', '.join(links)}" if links else ""),
                                 devices=[declared.name], device=declared.name, why=reason))
            return
        self._check_serial(declared, obs, inventory)
        self._check_ip(declared, obs, inventory)

    def _absence(self, key: str, inventory: Device | None) -> str | None:
        """Why a declared device counts as missing, or None when something shows it exists."""
        if self.seen_by_neighbour(key):
            return None
        if key in self.failed:
            f = self.failed[key]
            return f"in the inventory but did not answer the sweep ({f.reason.value}) and no neighbour sees it"
        if inventory is not None:
            return "in the inventory but not in this sweep, and no neighbour sees it"
        return "not in the inventory, and no device of the PD sees it over LLDP"

    def _check_serial(self, declared: DeclaredDevice, obs: DeviceObservation, inventory: Device | None) -> None:
        actual = str(obs.facts.get("serial_number") or "").strip() or (inventory.serial if inventory else None)
        if declared.serial and actual and declared.serial.strip().lower() != actual.strip().lower():
            self.add(finding(FindingKind.serial_mismatch, declared.name,
                             f"diagram says serial {declared.serial}, the device reports {actual}",
                             devices=[declared.name], declared=declared.serial, actual=actual))

    def _check_ip(self, declared: DeclaredDevice, obs: DeviceObservation, inventory: Device | None) -> None:
        if declared.mgmt_ip is None:
            return
        actual = {addr for fams in obs.interfaces_ip.values() for addr in (fams.get("ipv4") or {})}
        if inventory is not None:
            actual.add(str(inventory.mgmt_ip))
        if actual and str(declared.mgmt_ip) not in actual:
            main = str(inventory.mgmt_ip) if inventory else min(actual)
            self.add(finding(FindingKind.ip_mismatch, declared.name,
                             f"diagram says {declared.mgmt_ip}, the device's management address is {main}",
                             devices=[declared.name], declared=declared.mgmt_ip, actual=main))

    # links -------------------------------------------------------------------------------------------------
    def check_link(self, link: DeclaredLink) -> None:
        if device_key(link.a.device) in self.missing or device_key(link.b.device) in self.missing:
            return
        subject, pair = link_subject(link), (link.a.device, link.b.device)
        views = [self._end(end, far) for end, far in ((link.a, link.b), (link.b, link.a))]
        reporting = [v for v in views if v is not None]
        if not reporting:
            self.out.unverified.append(f"{subject}: neither end is a swept device")
            return
        wrong = [v for v in reporting if v.others]
        if wrong:
            for v in wrong:
                self.reported_ports.add((v.host, if_key(v.port)))
            said = "; ".join(f"{v.device} {v.interface or ''} connects to {', '.join(v.others)}, "
                             f"the diagram says {v.far}" for v in wrong)
            self.add(finding(FindingKind.wrong_far_end, subject, said, link=pair,
                             seen=", ".join(o for v in wrong for o in v.others), declared=wrong[0].far))
            return
        down = [v for v in reporting if v.status == "down"]
        if down:
            self.add(finding(FindingKind.interface_down, subject,
                             "; ".join(f"{v.device} {v.interface} is down" for v in down), link=pair,
                             interfaces=", ".join(f"{v.device} {v.interface}" for v in down)))
            return
        if any(v.sees_far for v in reporting):
            self._explain(link)
            self._check_speed(link, subject, pair, reporting)
            return
        absent = [v for v in reporting if v.status == "absent"]
        why = ("; ".join(f"{v.device} has no interface {v.interface}" for v in absent) if absent else
               f"no LLDP adjacency between {link.a.device} and {link.b.device}")
        self.add(finding(FindingKind.link_missing, subject, why, link=pair, why=why))

    def _end(self, end: DeclaredEnd, far: DeclaredEnd) -> _EndView | None:
        host = self.host_of(end.device)
        obs = self.obs.get(host)
        if obs is None:
            return None
        far_host = self.devices.get(self.host_of(far.device))
        far_name = far_host.hostname if far_host else far.device
        far_text = f"{far.device} {far.interface}" if far.interface else far.device
        if end.interface is None:
            sees = any(n.is_(far_name, far.interface) or n.is_(far.device, far.interface)
                       for n in self.neighbours[host])
            return _EndView(host, end.device, None, "", far_text, "unknown", sees, [], None)
        port = self.ports[host].get(if_key(end.interface), canonical_interface(end.interface))
        on_port = self.on_port.get(host, {}).get(if_key(end.interface), [])
        sees = any(n.is_(far_name, far.interface) or n.is_(far.device, far.interface) for n in on_port)
        others = [] if sees else [n.show() for n in on_port]
        state = obs.interfaces.get(port)
        if state is None:
            status = "absent" if obs.interfaces and not on_port else "unknown"
            return _EndView(host, end.device, end.interface, port, far_text, status, sees, others, None)
        down = state.get("is_up") is False or state.get("is_enabled") is False
        speed = state.get("speed")
        speed = float(speed) if isinstance(speed, (int, float)) and speed > 0 else None
        return _EndView(host, end.device, end.interface, port, far_text, "down" if down else "up", sees, others,
                         speed)

    def _check_speed(self, link: DeclaredLink, subject: str, pair: tuple[str, str],
                     views: list[_EndView]) -> None:
        speeds = {v.device: v.speed for v in views if v.speed is not None}
        if link.speed_mbps and any(s != link.speed_mbps for s in speeds.values()):
            seen = ", ".join(f"{d} {s:g} Mb/s" for d, s in speeds.items())
            self.add(finding(FindingKind.speed_mismatch, subject, f"diagram says {link.speed_mbps} Mb/s, seen: {seen}",
                             link=pair, declared=link.speed_mbps, seen=seen))
        elif len(set(speeds.values())) > 1:
            seen = ", ".join(f"{d} {s:g} Mb/s" for d, s in speeds.items())
            self.add(finding(FindingKind.speed_mismatch, subject, f"the two ends run at different speeds: {seen}",
                             link=pair, declared="", seen=seen))

    def _explain(self, link: DeclaredLink) -> None:
        a, b = self.host_of(link.a.device), self.host_of(link.b.device)
        if link.a.interface and link.b.interface:
            self.explained.add(frozenset({(a, if_key(link.a.interface)), (b, if_key(link.b.interface))}))
        else:
            self.explained.add(frozenset({(a, ""), (b, "")}))

    # what the network has and the diagram does not -------------------------------------------------------
    def undeclared_adjacencies(self) -> None:
        drawn = {self.host_of(d.name) for d in self.diagram.devices}
        reported: set[frozenset[tuple[str, str]]] = set()
        for host, neighbours in sorted(self.neighbours.items()):
            device = self.devices.get(host)
            if device is None or device.pd != self.pd:
                continue
            for n in neighbours:
                peer = self.host_of(n.name)
                pair = frozenset({(host, if_key(n.port)), (peer, if_key(n.remote_port))})
                if (pair in self.explained or frozenset({(host, ""), (peer, "")}) in self.explained
                        or (host, if_key(n.port)) in self.reported_ports or pair in reported):
                    continue
                reported.add(pair)
                peer_device = self.devices.get(peer)
                if peer_device is not None and peer_device.pd != self.pd and peer not in drawn:
                    continue  # the Dinas' WAN uplink
                subject = f"{device.hostname} {n.port} — {n.show()}"
                pair_names = (device.hostname, n.name)
                if peer_device is None and peer not in drawn:
                    self.add(finding(FindingKind.unmanaged_peer, subject,
                                     f"{device.hostname} {n.port} sees {n.show()}, which is neither in the "
                                     "inventory nor in the diagram", devices=[device.hostname], link=pair_names,
                                     peer=n.show(), local=f"{device.hostname} {n.port}"))
                else:
                    self.add(finding(FindingKind.link_not_in_diagram, subject,
                                     f"LLDP shows {device.hostname} {n.port} connected to {n.show()}; "
                                     "the diagram has no such line", link=pair_names,
                                     local=f"{device.hostname} {n.port}", peer=n.show()))


def check_diagram(diagram: LanDiagram, pd: str, devices: Mapping[str, Device], snapshot: Snapshot) -> DiagramCheck:
    """Compare one PD's diagram with a sweep of its devices (the inventory says which devices are the PD's)."""
    return _Checker(diagram, pd, devices, snapshot).run()


@dataclass
class DiagramChanges:
    """Art. 21(2) change report between two submissions of one PD."""

    devices_added: list[str] = field(default_factory=list)
    devices_removed: list[str] = field(default_factory=list)
    links_added: list[str] = field(default_factory=list)
    links_removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.devices_added, self.devices_removed, self.links_added, self.links_removed))


def _link_ident(link: DeclaredLink) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((device_key(e.device), if_key(e.interface)) for e in (link.a, link.b)))


def diagram_changes(old: LanDiagram, new: LanDiagram) -> DiagramChanges:
    """Devices and links added or removed, names compared the same way the check compares them."""
    old_devices = {device_key(d.name): d.name for d in old.devices}
    new_devices = {device_key(d.name): d.name for d in new.devices}
    old_links = {_link_ident(k): link_subject(k) for k in old.links}
    new_links = {_link_ident(k): link_subject(k) for k in new.links}
    return DiagramChanges(
        devices_added=sorted(new_devices[k] for k in new_devices.keys() - old_devices.keys()),
        devices_removed=sorted(old_devices[k] for k in old_devices.keys() - new_devices.keys()),
        links_added=sorted(new_links[k] for k in new_links.keys() - old_links.keys()),
        links_removed=sorted(old_links[k] for k in old_links.keys() - new_links.keys()),
    )
