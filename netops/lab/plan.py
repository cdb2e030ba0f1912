"""What a lab holds: its devices, its cables and the Linux name of every declared port.

Pure (no I/O): the plan is computed from the inventory, checked for address safety, and
written into the lab state before anything is created, so that `lab down` can undo a
bring-up that crashed half-way.

A cable is not one veth pair but two, joined by a bridge of its own in the plant namespace
(forwarding LLDP): cutting it downs the plant side, so both device ports stay admin up and
lose carrier (oper down), as with a real fibre cut.

Port naming: Linux interface names cannot hold '/' and stop at 15 characters, so the
k-th declared interface of a device is `eth<k>` with ifindex 10+k inside its namespace.
The declared name travels with it (ifalias, altname when Linux accepts it, LLDP port id,
SNMP ifName/ifDescr): see netops/lab/README.md.
"""
from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from pydantic import BaseModel, ConfigDict

from netops.errors import NetopsError
from netops.models.plant import LinkStatus
from netops.sources.inventory import Inventory

LAB_NETWORK = IPv4Network("198.18.0.0/15")
MGMT_NETWORK = IPv4Network("198.19.0.0/16")
MGMT_GATEWAY = IPv4Interface("198.19.0.1/16")
MGMT_BRIDGE = "netops-mgmt"
MGMT_PORT = "mgmt0"
NAMESPACE_PREFIX = "netops-"
PLANT_NAMESPACE = "netops-plant"  # the fibre plant: one bridge per cable, and empty ports
FIRST_PORT_INDEX = 10
_ALTNAME = re.compile(r"^[^/:\s]{1,127}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PortPlan(_Frozen):
    declared: str
    linux: str
    ifindex: int
    ipv4: str | None = None
    description: str = ""
    enabled: bool = True
    speed_mbps: int | None = None

    @property
    def altname(self) -> str | None:
        """The declared name as a Linux altname, when the kernel accepts it (no '/')."""
        return self.declared if _ALTNAME.match(self.declared) and self.declared != self.linux else None


class DevicePlan(_Frozen):
    hostname: str
    namespace: str
    mgmt_ip: str
    mgmt_veth: str
    loopback: str | None = None
    role: str
    pd: str
    platform: str
    ports: tuple[PortPlan, ...] = ()

    def port(self, declared: str) -> PortPlan:
        return next(p for p in self.ports if p.declared == declared)

    def declared_name(self, linux: str) -> str:
        return next((p.declared for p in self.ports if p.linux == linux), linux)


class CableEnd(_Frozen):
    device: str
    interface: str


class CablePlan(_Frozen):
    id: str
    a: CableEnd
    b: CableEnd
    ducts: tuple[str, ...] = ()

    def ends(self) -> tuple[CableEnd, CableEnd]:
        return (self.a, self.b)


class LabPlan(_Frozen):
    devices: dict[str, DevicePlan]
    cables: dict[str, CablePlan]
    left_out_pds: tuple[str, ...] = ()

    @property
    def namespaces(self) -> list[str]:
        return [d.namespace for d in self.devices.values()] + [PLANT_NAMESPACE]

    @property
    def ducts(self) -> list[str]:
        return sorted({d for c in self.cables.values() for d in c.ducts})

    def cables_in_duct(self, duct_id: str) -> list[CablePlan]:
        return [c for c in self.cables.values() if duct_id in c.ducts]

    def plant_ports(self, cable_id: str) -> tuple[str, str, str]:
        """(bridge, a-side port, b-side port) of a cable in the plant namespace."""
        n = list(self.cables).index(cable_id) + 1
        return f"c{n}", f"c{n}a", f"c{n}b"

    def cabled_ports(self) -> set[tuple[str, str]]:
        """(device, declared interface) of every port with a cable in the lab."""
        return {(e.device, e.interface) for c in self.cables.values() for e in c.ends()}


def build_plan(inv: Inventory, hostnames: list[str], left_out_pds: tuple[str, ...] = ()) -> LabPlan:
    """Plan the given devices; raise NetopsError when an address would leave 198.18.0.0/15."""
    chosen = set(hostnames)
    devices: dict[str, DevicePlan] = {}
    for n, name in enumerate(hostnames, start=1):
        dev = inv.devices[name]
        _check_addresses(name, dev.mgmt_ip, dev.loopback, [i.ipv4 for i in dev.interfaces])
        ports = tuple(
            PortPlan(declared=i.name, linux=f"eth{k}", ifindex=FIRST_PORT_INDEX + k,
                     ipv4=str(i.ipv4) if i.ipv4 else None, description=i.description, enabled=i.enabled,
                     speed_mbps=i.speed_mbps)
            for k, i in enumerate(dev.interfaces, start=1))
        devices[name] = DevicePlan(
            hostname=name, namespace=NAMESPACE_PREFIX + name,
            mgmt_ip=f"{dev.mgmt_ip}/{MGMT_NETWORK.prefixlen}", mgmt_veth=f"nlm{n}",
            loopback=str(dev.loopback) if dev.loopback else None, role=dev.role.value, pd=dev.pd,
            platform=dev.lab_platform or "netops_lab", ports=ports)
    cables = {
        link.id: CablePlan(id=link.id, a=CableEnd(device=link.a.device, interface=link.a.interface),
                           b=CableEnd(device=link.b.device, interface=link.b.interface), ducts=tuple(link.ducts))
        for link in inv.links.values()
        if link.status in (LinkStatus.active, LinkStatus.down) and link.a.device in chosen and link.b.device in chosen
    }
    return LabPlan(devices=devices, cables=cables, left_out_pds=left_out_pds)


def _check_addresses(name: str, mgmt: IPv4Address, loopback: IPv4Interface | None,
                     ports: list[IPv4Interface | None]) -> None:
    if mgmt not in MGMT_NETWORK or mgmt == MGMT_GATEWAY.ip:
        raise NetopsError(f"device {name}: management address {mgmt} is not usable in the lab "
                          f"(it must be in {MGMT_NETWORK} and not {MGMT_GATEWAY.ip})")
    for addr in [loopback, *ports]:
        if addr is not None and addr.ip not in LAB_NETWORK:
            raise NetopsError(f"device {name}: address {addr} is outside {LAB_NETWORK}; the lab only "
                              "uses documentation addresses so nothing can leak to a real network")


def stub_peers(plan: LabPlan) -> list[tuple[DevicePlan, PortPlan]]:
    """Ports with no cable in the lab: their veth peer waits, down, in the plant namespace."""
    cabled = plan.cabled_ports()
    return [(d, p) for d in plan.devices.values() for p in d.ports if (d.hostname, p.declared) not in cabled]
