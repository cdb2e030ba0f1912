"""The sections of netops.yaml as models: each key declared once, with its type, bounds and default.

The config loader validates the file against these (an unknown key such as `sweep: {timout: 5}` is an
error naming its file and line), the collectors take their defaults from them, and the CLI's options
are checked against them by a test, so a default lives in exactly one place.
"""
from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

Via = Literal["snmp", "napalm", "cli"]
VIAS: tuple[str, ...] = get_args(Via)


class Policy(BaseModel):
    """A redundancy rule: every PD of these kinds must reach the Pusat Data duct-diverse."""

    model_config = ConfigDict(extra="forbid")
    name: str
    pd_kinds: list[str] = Field(default_factory=list)
    pds: list[str] = Field(default_factory=list)
    require: str = "diverse"


class AuditSettings(BaseModel):
    """Figures the audit report needs that no device knows: the planning price of new fibre."""

    model_config = ConfigDict(extra="forbid")
    fibre_cost_idr_per_m: int = Field(default=150_000, gt=0)


class SweepSettings(BaseModel):
    """`sweep:` in netops.yaml: which collectors, how patient per device, how many devices at once.

    Example: `sweep: {via: snmp,cli, timeout: 5, retries: 2, concurrency: 100, lab_snmp: v3,
    pollers: {poller-north: [kantor-bapenda, gedung-dprd]}}`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    via: tuple[Via, ...] = Field(default=("snmp",), min_length=1)
    timeout: float = Field(default=3.0, ge=0.1, description="per-request timeout, seconds")
    retries: int = Field(default=1, ge=0, description="retries per request")
    concurrency: int = Field(default=200, ge=1, description="devices talked to at once")
    lab_snmp: Literal["v2c", "v3"] = Field(default="v2c", description="what a running lab is asked with")
    snmp_port: int = Field(default=161, ge=1, le=65535, description="UDP port of the devices' agents")
    pollers: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Dask pollers: worker name -> the sites only its workers poll")

    @field_validator("via", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """`via: snmp,cli` (as on the command line) or a YAML list; each collector once, in order."""
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            return tuple(dict.fromkeys(value))
        return value

    @field_validator("pollers", mode="before")
    @classmethod
    def _one_site_or_a_list(cls, value: object) -> object:
        """`poller-north: pusat-data` (one site) or a list of sites."""
        if isinstance(value, dict):
            return {name: [sites] if isinstance(sites, str) else sites for name, sites in value.items()}
        return value


SWEEP_DEFAULTS = SweepSettings()
