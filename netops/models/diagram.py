"""A PD's LAN as its diagram declares it, and what checking it against the network found.

Every diagram reader (YAML/JSON, draw.io, GraphML, CSV) produces a `LanDiagram`; the
canonical YAML form is exactly this model (schemas/lan-diagram.schema.json is generated
from it). Example::

    pd: DISDUKCAPIL
    title: LAN Kantor Disdukcapil
    devices:
      - {name: edge-disdukcapil-01, role: pd-edge, model: CCR2004-16G-2S+, mgmt_ip: 198.19.0.12}
      - {name: sw-disdukcapil-01, role: access-switch, serial: FOC1234X0AB}
    links:
      - a: {device: edge-disdukcapil-01, interface: ether2}
        b: {device: sw-disdukcapil-01, interface: Gi0/1}
    vlans:
      - {id: 10, name: pelayanan, subnet: 10.10.10.0/24}
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from ipaddress import IPv4Address, IPv4Network

from pydantic import Field, field_validator, model_validator

from netops.models.inventory import Role, Strict

# Words PD staff write for a role, mapped to the inventory's roles.
ROLE_SYNONYMS: dict[str, Role] = {
    "router": Role.pd_edge, "edge": Role.pd_edge, "gateway": Role.pd_edge, "pd-edge": Role.pd_edge,
    "switch": Role.access_switch, "access-switch": Role.access_switch, "sw": Role.access_switch,
    "ap": Role.ap, "access-point": Role.ap, "access point": Role.ap, "wifi": Role.ap, "wireless": Role.ap,
    "core": Role.core, "distribution": Role.distribution, "special": Role.special, "perangkat-khusus": Role.special,
}


def device_key(name: str) -> str:
    """FQDN or short name, any case -> one key (`SW-01.batam.go.id` == `sw-01`)."""
    return name.strip().split(".")[0].lower() if not _looks_like_ip(name) else name.strip()


def _looks_like_ip(name: str) -> bool:
    parts = name.strip().split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)


class DeclaredDevice(Strict):
    """A box on the diagram. `name` is the hostname the device reports (sysName / LLDP)."""

    name: str = Field(min_length=1, max_length=253)
    role: Role | None = None
    model: str | None = None
    serial: str | None = None
    mgmt_ip: IPv4Address | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _role_synonym(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ROLE_SYNONYMS:
            return ROLE_SYNONYMS[value.strip().lower()]
        return value


class DeclaredEnd(Strict):
    """One end of a cable: the device, and its port when the diagram names it."""

    device: str = Field(min_length=1)
    interface: str | None = None


class DeclaredLink(Strict):
    """A line between two boxes. Without interface names only the two devices are checked."""

    a: DeclaredEnd
    b: DeclaredEnd
    speed_mbps: int | None = Field(default=None, gt=0)
    label: str | None = None


class Vlan(Strict):
    id: int = Field(ge=1, le=4094)
    name: str | None = None
    subnet: IPv4Network | None = None


class LanDiagram(Strict):
    """The canonical declared LAN of one PD (Perwali Art. 21(1))."""

    pd: str | None = Field(default=None, description="PD code, e.g. DISDUKCAPIL; checked against --pd")
    title: str | None = None
    drawn_by: str | None = None
    date: dt.date | None = None
    devices: list[DeclaredDevice] = Field(default_factory=list)
    links: list[DeclaredLink] = Field(default_factory=list)
    vlans: list[Vlan] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> LanDiagram:
        seen: set[str] = set()
        for device in self.devices:
            key = device_key(device.name)
            if key in seen:
                raise ValueError(f"device {device.name!r} is listed twice")
            seen.add(key)
        for i, link in enumerate(self.links):
            for side in (link.a, link.b):
                if device_key(side.device) not in seen:
                    raise ValueError(f"links[{i}] names device {side.device!r}, which is not in devices")
            if device_key(link.a.device) == device_key(link.b.device):
                raise ValueError(f"links[{i}] connects {link.a.device!r} to itself")
        return self

    def device(self, name: str) -> DeclaredDevice | None:
        key = device_key(name)
        return next((d for d in self.devices if device_key(d.name) == key), None)


class Severity(str, Enum):
    error = "error"
    warning = "warning"


class FindingKind(str, Enum):
    """SuzieQ-style vocabulary, as engineers say it."""

    device_missing = "device missing"
    device_not_in_diagram = "device not in diagram"
    link_missing = "link missing"
    link_not_in_diagram = "link not in diagram"
    wrong_far_end = "wrong far end"
    interface_down = "interface down"
    speed_mismatch = "speed mismatch"
    ip_mismatch = "IP mismatch"
    serial_mismatch = "serial mismatch"
    unmanaged_peer = "unmanaged peer"


class Finding(Strict):
    """One difference between the diagram and the network.

    `devices` and `link` point into the picture (which boxes or line to mark); `params`
    carries the values the reason was built from, so reports can phrase it in Indonesian.
    """

    severity: Severity
    kind: FindingKind
    subject: str
    reason: str
    devices: list[str] = Field(default_factory=list)
    link: tuple[str, str] | None = None
    params: dict[str, str] = Field(default_factory=dict)


class Verdict(str, Enum):
    """The outcome recorded with a submission."""

    matches = "matches"
    findings = "findings"
    not_checked = "not-checked"
