"""The declared city network as use cases: validate the files, list devices, one device with its links."""
from __future__ import annotations

from pydantic import BaseModel

from netops.app.session import Session
from netops.errors import InputError, Issue
from netops.models.inventory import PD, Device, Site
from netops.models.plant import FibreLink
from netops.sources.inventory import check_inventory
from netops.text import visible


class IssueLine(BaseModel):
    file: str
    line: int | None
    field: str
    message: str

    @classmethod
    def of(cls, issue: Issue) -> IssueLine:
        return cls(file=issue.file, line=issue.line, field=issue.field, message=issue.message)

    def __str__(self) -> str:
        return str(Issue(self.file, self.line, self.field, self.message))


class InventoryCheck(BaseModel):
    pds: int
    sites: int
    devices: int
    links: int
    ducts: int
    errors: list[IssueLine]
    warnings: list[IssueLine]

    @property
    def counts(self) -> dict[str, int]:
        return {"pds": self.pds, "sites": self.sites, "devices": self.devices, "links": self.links,
                "ducts": self.ducts}


def validate_inventory(session: Session) -> InventoryCheck:
    """Every file and cross-reference checked; the issues are data, not an exception."""
    inv, issues = check_inventory(session.config.inventory_dir, session.config.topology_dir)
    return InventoryCheck(**inv.counts(), errors=[IssueLine.of(i) for i in issues],
                          warnings=[IssueLine.of(w) for w in inv.warnings])


class DeviceLine(BaseModel):
    hostname: str
    mgmt_ip: str
    platform: str
    role: str
    pd: str
    pd_name: str
    site: str
    model: str | None


def list_devices(session: Session, pd: str | None = None, role: str | None = None) -> list[DeviceLine]:
    inv = session.inventory
    if pd and pd.upper() not in inv.pds:
        raise InputError.at("--pd", None, "pd", f"unknown PD {visible(pd)}")
    return [DeviceLine(hostname=d.hostname, mgmt_ip=str(d.mgmt_ip), platform=d.platform, role=d.role.value, pd=d.pd,
                       pd_name=inv.pds[d.pd].name if d.pd in inv.pds else "", site=d.site, model=d.model)
            for d in inv.devices.values() if (not pd or d.pd == pd.upper()) and (not role or d.role.value == role)]


class DeviceReport(BaseModel):
    device: Device
    pd: PD | None
    site: Site | None
    links: list[FibreLink]


def show_device(session: Session, host: str) -> DeviceReport:
    inv = session.inventory
    device = inv.devices.get(host)
    if device is None:
        raise InputError.at("HOST", None, "host", f"unknown device {visible(host)}")
    return DeviceReport(device=device, pd=inv.pds.get(device.pd), site=inv.sites.get(device.site),
                        links=[link for link in inv.links.values() if host in (link.a.device, link.b.device)])
