"""What a lab holds: its devices, its cables and the Linux name of every declared port.

Pure (no I/O): the plan is computed from the inventory, checked for address safety, and
written into the lab state before anything is created, so that `lab down` can undo a
bring-up that crashed half-way.

Management is in-band by default: every device's management address sits on its loopback
(routers) or its LAN interface (switches, APs), the routers route it with OSPF, and the NOC
reaches it from the root namespace through the Pusat Data core routers. A cut duct then
makes the PDs behind it time out, as in the city. `mgmt="oob"` keeps the old out-of-band
bridge (every device one hop from the root namespace, whatever the plant does).

A device with an addressed interface that has no cable (MikroTik `bridge-lan`, Cisco
`Vlan1`) and ports without an address (switchports) is a switch on those ports: the
addressed interface becomes a Linux bridge over them, so a PD's switches and APs sit on
their edge router's LAN and are reached through it.

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
from collections import deque
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Literal

from pydantic import BaseModel, ConfigDict

from netops.analysis.graph import routing_cost
from netops.errors import NetopsError
from netops.models.inventory import Device, Interface
from netops.models.plant import FibreLink, LinkStatus
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
# a namespace, file and daemon name is made of the hostname: only what Linux and config files take as is
_SAFE_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$")
NOC_NETWORK = IPv4Network("198.18.254.0/24")
NOC_ADDRESS = IPv4Interface("198.18.254.1/24")  # the NOC's own address: sweeps, SSH, trap receiver
NOC_BRIDGE = "netops-noc"
NOC_PORT = "noc0"
NOC_FIRST_HOST = 10  # core routers' NOC ports: .10, .11, ...
MgmtMode = Literal["inband", "oob"]
ROUTER_ROLES = ("core", "distribution", "pd-edge")


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
    kind: Literal["port", "bridge"] = "port"  # bridge: an addressed LAN interface over the switchports
    bridge: str | None = None  # the Linux name of the bridge this switchport belongs to
    ospf_cost: int | None = None  # set on a cable between two routers: OSPF point-to-point runs on it

    @property
    def altname(self) -> str | None:
        """The declared name as a Linux altname, when the kernel accepts it (no '/')."""
        return self.declared if _ALTNAME.match(self.declared) and self.declared != self.linux else None


class HostRoute(_Frozen):
    """A LAN device's address routed by its edge router onto its LAN (and announced into OSPF).

    No next hop on purpose: the device answers ARP for its management address on the LAN, and an
    OSPF external route without a next hop carries no forwarding address (which would be routed
    to whichever edge announces the shared LAN subnet).
    """

    prefix: str
    dev: str


class DevicePlan(_Frozen):
    hostname: str
    namespace: str
    mgmt_ip: str  # with its prefix: /16 on the out-of-band port, /32 in-band
    mgmt_veth: str  # root-namespace end of the out-of-band (or, for a core router, the NOC) veth
    loopback: str | None = None
    role: str
    pd: str
    platform: str
    ports: tuple[PortPlan, ...] = ()
    vendor: str = ""
    model: str = ""
    serial: str = ""
    os_version: str = ""
    transit: bool = True
    gateway: str | None = None  # a LAN device's gateway into the lab (its edge router's LAN address)
    # in-band: where a LAN device without an addressed interface (a PD's special device) keeps its address
    mgmt_port: str | None = None
    host_routes: tuple[HostRoute, ...] = ()
    noc_ip: str | None = None  # a core router's address on the NOC attachment

    @property
    def is_router(self) -> bool:
        return self.role in ROUTER_ROLES

    @property
    def bridges(self) -> list[PortPlan]:
        return [p for p in self.ports if p.kind == "bridge"]

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
    mgmt: MgmtMode = "inband"

    @property
    def noc_gateway(self) -> str | None:
        """The core router address the root namespace routes 198.18.0.0/15 through (in-band)."""
        return next((d.noc_ip.split("/")[0] for d in self.devices.values() if d.noc_ip), None)

    @property
    def routers(self) -> list[DevicePlan]:
        return [d for d in self.devices.values() if d.is_router]

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


def build_plan(inv: Inventory, hostnames: list[str], left_out_pds: tuple[str, ...] = (),
               mgmt: MgmtMode = "inband") -> LabPlan:
    """Plan the given devices; raise NetopsError when an address would leave 198.18.0.0/15."""
    chosen = set(hostnames)
    links = [link for link in inv.links.values()
             if link.status in (LinkStatus.active, LinkStatus.down) and link.a.device in chosen
             and link.b.device in chosen]
    cabled_anywhere = {(e.device, e.interface) for link in inv.links.values() for e in link.ends()}
    costs = {(e.device, e.interface): routing_cost(link.capacity_mbps, link.length_m)
             for link in links if inv.devices[link.a.device].is_router and inv.devices[link.b.device].is_router
             for e in link.ends()}
    gateways, host_routes, mgmt_ports = _lan_routes(inv, hostnames, links, cabled_anywhere, mgmt)
    cores = [n for n in hostnames if inv.devices[n].role.value == "core"]
    devices: dict[str, DevicePlan] = {}
    for n, name in enumerate(hostnames, start=1):
        dev = inv.devices[name]
        if not _SAFE_HOSTNAME.match(name):
            raise NetopsError(f"device {name!r}: name not usable in the lab (letters, digits, '.', '_', '-'; "
                              "at most 48 characters)")
        _check_addresses(name, dev.mgmt_ip, dev.loopback, [i.ipv4 for i in dev.interfaces])
        svi = _svi(dev, cabled_anywhere)
        linux = {i.name: f"eth{k}" for k, i in enumerate(dev.interfaces, start=1)}
        ports = tuple(
            PortPlan(declared=i.name, linux=linux[i.name], ifindex=FIRST_PORT_INDEX + k,
                     ipv4=str(i.ipv4) if i.ipv4 else None, description=i.description, enabled=i.enabled,
                     speed_mbps=i.speed_mbps, kind="bridge" if svi and i.name == svi.name else "port",
                     bridge=linux[svi.name] if svi and i.ipv4 is None else None,
                     ospf_cost=costs.get((name, i.name)))
            for k, i in enumerate(dev.interfaces, start=1))
        in_band_prefix = 32 if mgmt == "inband" else MGMT_NETWORK.prefixlen
        noc_ip = (f"{NOC_NETWORK[NOC_FIRST_HOST + cores.index(name)]}/{NOC_NETWORK.prefixlen}"
                  if mgmt == "inband" and name in cores else None)
        devices[name] = DevicePlan(
            hostname=name, namespace=NAMESPACE_PREFIX + name,
            mgmt_ip=f"{dev.mgmt_ip}/{in_band_prefix}", mgmt_veth=f"nlm{n}",
            loopback=str(dev.loopback) if dev.loopback else None, role=dev.role.value, pd=dev.pd,
            platform=dev.lab_platform or "netops_lab", ports=ports, vendor=dev.vendor or "", model=dev.model or "",
            serial=dev.serial or "", os_version=dev.os_version or "", transit=dev.is_transit,
            gateway=gateways.get(name), host_routes=tuple(host_routes.get(name, [])), noc_ip=noc_ip,
            mgmt_port=mgmt_ports.get(name))
    cables = {
        link.id: CablePlan(id=link.id, a=CableEnd(device=link.a.device, interface=link.a.interface),
                           b=CableEnd(device=link.b.device, interface=link.b.interface), ducts=tuple(link.ducts))
        for link in links
    }
    return LabPlan(devices=devices, cables=cables, left_out_pds=left_out_pds, mgmt=mgmt)


def _svi(dev: Device, cabled: set[tuple[str, str]]) -> Interface | None:
    """The addressed, uncabled interface of a device that also has switchports (no address)."""
    if not any(i.ipv4 is None for i in dev.interfaces):
        return None
    return next((i for i in dev.interfaces if i.ipv4 is not None and (dev.hostname, i.name) not in cabled), None)


def _lan_routes(inv: Inventory, hostnames: list[str], links: list[FibreLink], cabled: set[tuple[str, str]],
                mgmt: MgmtMode) -> tuple[dict[str, str], dict[str, list[HostRoute]], dict[str, str]]:
    """Each LAN device's gateway, the host routes its edge router announces for it, and where
    a LAN device with no addressed interface keeps its management address (its uplink port).

    From a switch or AP, walk the LAN cables through other non-routers to the first router
    whose LAN (bridge) subnet holds the device's address: that router is its gateway and
    routes the device's LAN and management addresses to it (two edges of one PD may share a
    LAN subnet with separate switches: host routes keep each device behind its own edge).
    A device with no address of its own (an ATCS gateway on a bare port) takes the first
    router's LAN it reaches, and its management address sits on its first cabled port.
    """
    neighbours: dict[str, list[str]] = {}
    for link in links:
        neighbours.setdefault(link.a.device, []).append(link.b.device)
        neighbours.setdefault(link.b.device, []).append(link.a.device)
    gateways: dict[str, str] = {}
    routes: dict[str, list[HostRoute]] = {}
    mgmt_ports: dict[str, str] = {}
    lab_cabled = {(e.device, e.interface) for link in links for e in link.ends()}
    for name in hostnames:
        dev = inv.devices[name]
        svi = _svi(dev, cabled)
        if dev.is_router:
            continue
        if svi is None:
            uplink = next((k for k, i in enumerate(dev.interfaces, start=1) if (name, i.name) in lab_cabled), None)
            if uplink is None or any(i.ipv4 for i in dev.interfaces):
                continue
            mgmt_ports[name] = f"eth{uplink}"
        seen, queue = {name}, deque([name])
        while queue:
            here = queue.popleft()
            for nxt in neighbours.get(here, []):
                if nxt in seen:
                    continue
                seen.add(nxt)
                other = inv.devices[nxt]
                if not other.is_router:
                    queue.append(nxt)
                    continue
                their = _svi(other, cabled)
                if their is None or their.ipv4 is None or (svi and svi.ipv4 and svi.ipv4.ip not in their.ipv4.network):
                    continue
                gateways.setdefault(name, str(their.ipv4.ip))
                if gateways[name] == str(their.ipv4.ip):
                    bridge = f"eth{other.interfaces.index(their) + 1}"
                    if svi and svi.ipv4:
                        routes.setdefault(nxt, []).append(HostRoute(prefix=f"{svi.ipv4.ip}/32", dev=bridge))
                    if mgmt == "inband":
                        routes.setdefault(nxt, []).append(HostRoute(prefix=f"{dev.mgmt_ip}/32", dev=bridge))
    return gateways, routes, mgmt_ports


def _check_addresses(name: str, mgmt: IPv4Address, loopback: IPv4Interface | None,
                     ports: list[IPv4Interface | None]) -> None:
    if mgmt not in MGMT_NETWORK or mgmt == MGMT_GATEWAY.ip:
        raise NetopsError(f"device {name}: management address {mgmt} is not usable in the lab "
                          f"(it must be in {MGMT_NETWORK} and not {MGMT_GATEWAY.ip})")
    for addr in [loopback, *ports]:
        if addr is not None and addr.ip not in LAB_NETWORK:
            raise NetopsError(f"device {name}: address {addr} is outside {LAB_NETWORK}; the lab only "
                              "uses documentation addresses so nothing can leak to a real network")
        if addr is not None and addr.network.overlaps(NOC_NETWORK):
            raise NetopsError(f"device {name}: address {addr} overlaps the lab's NOC attachment {NOC_NETWORK}")


def stub_peers(plan: LabPlan) -> list[tuple[DevicePlan, PortPlan]]:
    """Ports with no cable in the lab: their veth peer waits, down, in the plant namespace."""
    cabled = plan.cabled_ports()
    return [(d, p) for d in plan.devices.values() for p in d.ports
            if (d.hostname, p.declared) not in cabled and p.kind == "port"]
