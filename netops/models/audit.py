"""The infrastructure audit (Perwali Art. 42) as data: sections of figures, each naming its evidence.

A section that has no evidence yet (config backups before the first `config-backup` playbook run,
tickets before the Service Desk opens any) carries `collected=False` and the reason, so the report says
"not yet collected" instead of showing zeros that look like a clean bill of health.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, Field


class Evidence(BaseModel):
    """What every figure can be re-checked against."""

    snapshot_id: int | None = None
    snapshot_at: dt.datetime | None = None
    inventory_sha256: str
    inventory_files: int
    submissions: list[dict[str, str | int]] = Field(default_factory=list)   # pd, id, sha256, received
    vps_register_rows: int = 0
    backup_events: int = 0
    config_backup_commit: str | None = None
    ticket_range: str | None = None


class Mismatch(BaseModel):
    device: str
    field: str
    declared: str
    observed: str


class InventorySection(BaseModel):
    declared: int
    answering: int | None                 # None: no sweep in the store yet
    failed: list[dict[str, str]]          # device, pd, reason
    not_swept: list[str]
    undeclared_neighbours: list[dict[str, str]]    # device, port, neighbour
    mismatches: list[Mismatch]
    by_vendor: dict[str, int]
    by_role: dict[str, int]
    by_model: dict[str, int]
    fibre_links: int
    fibre_km: float
    ducts: int
    shared_ducts: int
    links_by_state: dict[str, int]


class PdRedundancy(BaseModel):
    code: str
    name: str
    kind: str
    verdict: str
    min_ducts: int | None
    cut_by: list[str]


class DuctRisk(BaseModel):
    duct: str
    route: str
    pds: list[str]
    links: list[str]


class Fix(BaseModel):
    pd: str
    a: str
    b: str
    length_m: int
    cost_idr: int
    source: str


class WanSection(BaseModel):
    verdicts: dict[str, int]
    pds: list[PdRedundancy]
    duct_spofs: list[DuctRisk]
    fixes: list[Fix]
    fibre_cost_idr_per_m: int
    violations: list[str]
    changed_since: list[dict[str, str]] | None = None     # pd, before, after (with --since)


class LanRow(BaseModel):
    pd: str
    name: str
    last_submission: dt.date | None
    last_verdict: str | None
    findings: int | None
    overdue: bool


class LanSection(BaseModel):
    as_of: dt.date
    rows: list[LanRow]
    overdue: int
    on_time: int
    with_findings: int


class PusatDataSection(BaseModel):
    vps_by_pd: dict[str, int]
    hosts: list[dict[str, object]]            # host, vps, vcpu/memory/disk used and capacity
    backups_overdue: list[dict[str, object]]  # vps, pd, policy, age_hours
    pds_without_backup: list[str]             # PDs with VPS and no successful backup at all


class ConfigSection(BaseModel):
    """Configuration backups (git) and the latest compliance run; `collected=False` with the reason when
    neither exists yet."""

    collected: bool
    reason: str = ""
    commit: str | None = None
    commit_at: str | None = None
    backed_up: int = 0
    never_backed_up: list[str] = Field(default_factory=list)
    compliance_run: int | None = None
    compliance_failures: list[dict[str, str]] = Field(default_factory=list)   # device, rule, evidence


class ServiceDeskSection(BaseModel):
    collected: bool
    reason: str = ""
    tickets: int = 0
    open: int = 0
    incidents: int = 0
    breaches: int = 0
    per_pd: list[dict[str, object]] = Field(default_factory=list)   # pd, opened, resolved, mean hours, breaches
    ticket_range: str | None = None


class Severity(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


class Finding(BaseModel):
    """`key` names the finding's title and recommendation in the message catalogue, filled with `values`."""

    severity: Severity
    article: str
    key: str
    values: dict[str, str] = Field(default_factory=dict)
    evidence: str


class AuditReport(BaseModel):
    id: int | None = None
    generated_at: dt.datetime
    actor: str
    lang: str
    since: int | None = None
    evidence: Evidence
    inventory: InventorySection
    wan: WanSection
    lans: LanSection
    pusat_data: PusatDataSection
    config_security: ConfigSection
    service_desk: ServiceDeskSection
    findings: list[Finding]
