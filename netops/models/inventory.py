"""Who owns what, and where: PDs, sites, devices and their interfaces.

Shapes only, no I/O. Example device as it sits under `data:` in inventory/hosts.yaml::

    role: pd-edge
    site: kantor-disdukcapil
    model: CCR2004-16G-2S+
    interfaces:
      - {name: sfp-sfpplus1, ipv4: 198.18.0.7/31, speed_mbps: 10000}
"""
from __future__ import annotations

import re
from enum import Enum
from ipaddress import IPv4Address, IPv4Interface

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netops.models.names import HostName, InterfaceName

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


class Strict(BaseModel):
    """Unknown keys are typos in hand-written files: refuse them. No text field holds a control
    character (a newline in a description would become a new line in some daemon's config)."""

    model_config = ConfigDict(extra="forbid", frozen=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        for text in (value if isinstance(value, list) else [value]):
            if isinstance(text, str) and _CONTROL.search(text):
                raise ValueError(f"{text!r} contains a control character (newline, escape...)")
        return value


class PDKind(str, Enum):
    dinas = "dinas"
    badan = "badan"
    sekretariat = "sekretariat"
    inspektorat = "inspektorat"
    satpol = "satpol"
    kecamatan = "kecamatan"
    rsud = "rsud"
    mpp = "mpp"
    upt = "upt"


class Role(str, Enum):
    core = "core"
    distribution = "distribution"
    pd_edge = "pd-edge"
    access_switch = "access-switch"
    ap = "ap"
    special = "special"


ROUTER_ROLES = frozenset({Role.core, Role.distribution, Role.pd_edge})


class Contact(Strict):
    """The PD's Service Desk Tingkat 1 (Art. 40(7)): who Tier 2 calls back."""

    name: str
    phone: str
    email: str


class PD(Strict):
    """A Perangkat Daerah: a government agency of the city."""

    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,31}$")
    name: str
    kind: PDKind
    service_desk: Contact


class GPS(Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Site(Strict):
    id: str
    name: str
    address: str
    gps: GPS | None = None


class Interface(Strict):
    name: InterfaceName
    description: str = ""
    ipv4: IPv4Interface | None = None
    speed_mbps: int | None = Field(default=None, gt=0)
    enabled: bool = True


class Device(Strict):
    """A managed device. `hostname` is the inventory name; `mgmt_ip` is what tools connect to."""

    hostname: HostName
    description: str = ""
    mgmt_ip: IPv4Address
    platform: str
    lab_platform: str | None = None
    role: Role
    pd: str
    site: str
    vendor: str | None = None
    model: str | None = None
    serial: str | None = None
    os_version: str | None = None  # the software release the device runs, as it reports it
    # carries other PDs' traffic in the routed lab (OSPF transit); None: core/distribution yes, pd-edge no
    transit: bool | None = None
    loopback: IPv4Interface | None = None
    interfaces: list[Interface] = Field(default_factory=list)

    def interface(self, name: str) -> Interface | None:
        return next((i for i in self.interfaces if i.name == name), None)

    @property
    def is_router(self) -> bool:
        return self.role in ROUTER_ROLES

    @property
    def is_transit(self) -> bool:
        """A PD's edge router does not carry other PDs' traffic unless declared `transit: true`."""
        return self.transit if self.transit is not None else self.role in (Role.core, Role.distribution)
