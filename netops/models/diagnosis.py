"""A Service Desk diagnosis (Perwali Art. 40): what is broken, where in the city, why, who else is hit."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Place(BaseModel):
    """Where a field team goes: the fibre's ends (device, port, site, address), its length and ducts."""

    cable: str
    length_m: int | None
    ducts: list[dict[str, str]]                      # id, route
    ends: list[dict[str, str]]                       # device, port, site, address


class CandidateCause(BaseModel):
    cause: str                                       # "duct:DCT-EP-01", "fibre:X + device-down:Y"
    contradictions: int
    explained: int
    unexplained: list[str] = Field(default_factory=list)
    wrong: list[str] = Field(default_factory=list)


class Diagnosis(BaseModel):
    target: str
    target_pd: str | None
    target_devices: list[str]
    at: dt.datetime
    seconds: float
    verdict: str                                     # healthy | outage | degraded | unknown
    cause: str | None
    confidence: str                                  # high | medium | low
    tied_with: list[str] = Field(default_factory=list)   # causes no observation can tell apart
    evidence: list[str] = Field(default_factory=list)
    not_seen: list[str] = Field(default_factory=list)    # what could not be observed
    candidates: list[CandidateCause] = Field(default_factory=list)
    pds_cut_off: list[str] = Field(default_factory=list)
    pds_on_last_path: list[str] = Field(default_factory=list)
    vps_unreachable: list[str] = Field(default_factory=list)
    place: list[Place] = Field(default_factory=list)
    still_reachable_via: list[str] = Field(default_factory=list)   # cables of the surviving route
    message_tier1: str = ""
    field_action: str = ""
    snapshot_id: int | None = None
    lab: str | None = None                           # said when the devices were asked through the lab
