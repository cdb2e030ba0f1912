"""Diagram tests: the sample city's inventory, and sweeps built from it in NAPALM shapes.

`observe()` builds the Snapshot a sweep of one PD would return if the network were exactly
as the inventory declares, with faults applied: `cut` (both ports down, no LLDP), `silent`
(ports up, LLDP lost), `extra` (an LLDP neighbour nobody declared).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from netops.models.diagram import DeclaredDevice, DeclaredLink, LanDiagram
from netops.models.names import canonical_interface
from netops.models.observation import DeviceObservation, Snapshot
from netops.sources.inventory import Inventory, load_inventory

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
SAMPLES = REPO / "topology" / "diagrams"
PD = "DISDUKCAPIL"


@lru_cache(maxsize=1)
def sample_inventory() -> Inventory:
    return load_inventory(REPO / "inventory", REPO / "topology")


def declared_lan(inv: Inventory, pd: str) -> LanDiagram:
    """The PD's LAN exactly as the inventory has it: what a correct diagram says."""
    devices = inv.devices_of(pd)
    names = {d.hostname for d in devices}
    return LanDiagram(
        pd=pd, title=f"LAN {inv.pds[pd].name}",
        devices=[DeclaredDevice(name=d.hostname, role=d.role, model=d.model, serial=d.serial, mgmt_ip=d.mgmt_ip)
                 for d in devices],
        links=[DeclaredLink(a=link.a.model_dump(), b=link.b.model_dump()) for link in inv.links.values()
               if link.a.device in names and link.b.device in names])


def _neighbour(name: str, port: str) -> dict[str, Any]:
    return {"parent_interface": "", "remote_port": port, "remote_port_description": port,
            "remote_chassis_id": "00:00:5e:00:53:01", "remote_system_name": name,
            "remote_system_description": "", "remote_system_capab": ["bridge", "router"],
            "remote_system_enable_capab": ["bridge", "router"]}


def observe(inv: Inventory, pd: str, *, cut: Iterable[str] = (), silent: Iterable[str] = (),
            extra: Iterable[tuple[str, str, str, str]] = ()) -> Snapshot:
    """A sweep of the PD's devices; `extra` = (host, port, remote name, remote port) LLDP entries."""
    cut, silent = set(cut), set(silent)
    observations = {}
    for device in inv.devices_of(pd):
        down = {link_end.interface for link in inv.links.values() if link.id in cut
                for link_end in link.ends() if link_end.device == device.hostname}
        interfaces = {canonical_interface(i.name): {"is_up": i.name not in down, "is_enabled": True,
                                                   "description": i.description, "last_flapped": -1.0,
                                                   "speed": float(i.speed_mbps or 1000), "mtu": 1500,
                                                   "mac_address": "00:00:5e:00:53:01"} for i in device.interfaces}
        interfaces_ip = {canonical_interface(i.name): {"ipv4": {str(i.ipv4.ip): {"prefix_length": i.ipv4.network.prefixlen}}}
                         for i in device.interfaces if i.ipv4}
        lldp: dict[str, list[dict[str, Any]]] = {}
        for link in inv.links.values():
            if link.id in cut or link.id in silent:
                continue
            for near, far in ((link.a, link.b), (link.b, link.a)):
                if near.device == device.hostname:
                    lldp.setdefault(canonical_interface(near.interface), []).append(
                        _neighbour(far.device, far.interface))
        for host, port, name, remote in extra:
            if host == device.hostname:
                lldp.setdefault(canonical_interface(port), []).append(_neighbour(name, remote))
                interfaces.setdefault(canonical_interface(port), {"is_up": True, "is_enabled": True, "speed": 1000.0})
        facts = {"hostname": device.hostname, "fqdn": f"{device.hostname}.batam.go.id", "vendor": device.vendor or "",
                 "model": device.model or "", "serial_number": device.serial or "", "os_version": "",
                 "uptime": 1000.0, "interface_list": list(interfaces)}
        observations[device.hostname] = DeviceObservation(host=device.hostname, via="snmp", facts=facts,
                                                          interfaces=interfaces, interfaces_ip=interfaces_ip,
                                                          lldp_neighbors_detail=lldp)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    return Snapshot(id=1, started_at=now, finished_at=now, actor="test", request={"pds": [pd]},
                    observations=observations)
