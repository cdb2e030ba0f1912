"""What a sweep saw: per device either an observation or a failure, never both.

The interchange format is NAPALM's getter structures, so every collector (SNMP, NAPALM,
CLI) and every analysis speaks one language. Interface names are canonical
(napalm.base.helpers.canonical_interface_name), so `Gi0/1` and `GigabitEthernet0/1` match.

Example::

    DeviceObservation(host="edge-disdukcapil-01", via="snmp",
        facts={"hostname": "edge-disdukcapil-01", "vendor": "MikroTik", "serial_number": "...", ...},
        interfaces={"sfp-sfpplus1": {"is_up": True, "is_enabled": True, "speed": 10000.0, ...}},
        interfaces_ip={"sfp-sfpplus1": {"ipv4": {"198.18.0.7": {"prefix_length": 31}}}},
        lldp_neighbors_detail={"sfp-sfpplus1": [{"remote_system_name": "dist-batamcentre",
                                                 "remote_port": "GigabitEthernet0/0/3", ...}]})
"""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FailureReason(str, Enum):
    timeout = "timeout"
    auth = "auth"
    refused = "refused"
    parse = "parse"
    unsupported = "unsupported"
    unconfigured = "unconfigured"      # netops has no address or no credentials for it: nothing was sent
    error = "error"


class DeviceFailure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str
    via: str
    reason: FailureReason
    message: str


class DeviceObservation(BaseModel):
    """One device as one collector saw it, in NAPALM getter shapes."""

    model_config = ConfigDict(extra="forbid")
    host: str
    via: str
    facts: dict[str, Any] = Field(default_factory=dict)
    interfaces: dict[str, dict[str, Any]] = Field(default_factory=dict)
    interfaces_ip: dict[str, dict[str, Any]] = Field(default_factory=dict)
    lldp_neighbors_detail: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    interfaces_counters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # NAPALM get_route_to shape: prefix -> [{next_hop, outgoing_interface, protocol, current_active}]
    routes: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)


class LinkState(str, Enum):
    up = "up"
    down = "down"
    mismatched = "mismatched"
    unseen = "unseen"


class LinkObservation(BaseModel):
    """A declared fibre link judged against what both ends saw."""

    model_config = ConfigDict(extra="forbid")
    link_id: str
    state: LinkState
    reason: str
    speed_mbps: float | None = None


class NewAdjacency(BaseModel):
    """An LLDP adjacency that no declared link explains."""

    model_config = ConfigDict(extra="forbid")
    a_device: str
    a_interface: str
    b_device: str
    b_interface: str


class Snapshot(BaseModel):
    """A stored sweep: who ran it, when, what was asked, and every device's answer."""

    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    started_at: datetime
    finished_at: datetime
    actor: str
    request: dict[str, Any]
    observations: dict[str, DeviceObservation] = Field(default_factory=dict)
    failures: dict[str, DeviceFailure] = Field(default_factory=dict)
    links: dict[str, LinkObservation] = Field(default_factory=dict)
    new_adjacencies: list[NewAdjacency] = Field(default_factory=list)
