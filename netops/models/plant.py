"""The fibre plant: cables between device interfaces and the ducts they are pulled through.

A duct is a shared-risk group: one backhoe in one trench cuts every fibre inside it.
"""
from __future__ import annotations

from enum import Enum

from pydantic import Field

from netops.models.inventory import Strict
from netops.models.names import HostName, InterfaceName


class LinkStatus(str, Enum):
    active = "active"
    planned = "planned"
    down = "down"
    decommissioned = "decommissioned"


class LinkEnd(Strict):
    device: HostName
    interface: InterfaceName


class FibreLink(Strict):
    """One cable, identified by its cable id, with its ordered route of ducts."""

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]+$")
    a: LinkEnd
    b: LinkEnd
    length_m: int = Field(gt=0)
    capacity_mbps: int = Field(gt=0)
    status: LinkStatus = LinkStatus.active
    cores: int | None = Field(default=None, gt=0)
    ducts: list[str] = Field(default_factory=list)

    def ends(self) -> tuple[LinkEnd, LinkEnd]:
        return (self.a, self.b)


class Duct(Strict):
    """A trench or conduit section; `shared_with` names the operators whose cables share it."""

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]+$")
    route: str
    length_m: int | None = Field(default=None, gt=0)
    owner: str = "Diskominfo"
    shared_with: list[str] = Field(default_factory=list)
