"""SNMP failures as netops sees them: one `reason` per failure, whatever the SNMP version.

pysnmp error indications and socket errors are translated into these inside this package,
so callers (the sweep) only ever branch on `reason`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from netops.collect.snmp.ber import VarBind

Reason = Literal["timeout", "auth", "refused", "parse", "error"]


class SnmpError(Exception):
    """A request or walk failed; `partial` holds varbinds a walk got before failing."""

    reason: Reason = "error"

    def __init__(self, message: str, partial: list[VarBind] | None = None) -> None:
        super().__init__(message)
        self.partial = partial or []


class SnmpTimeout(SnmpError):
    reason: Reason = "timeout"


class SnmpAuthError(SnmpError):
    reason: Reason = "auth"


class SnmpRefused(SnmpError):
    reason: Reason = "refused"


class SnmpParseError(SnmpError):
    reason: Reason = "parse"
