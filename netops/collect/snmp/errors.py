"""SNMP failures as netops sees them: one FailureReason per failure, whatever the SNMP version.

Socket errors, malformed messages, USM reports and timeouts are raised as these inside this package
(the type-to-reason table of the SNMP boundary is the class hierarchy below), so callers (the sweep)
only ever read `reason`, the same FailureReason every collector reports.
"""
from __future__ import annotations

from typing import ClassVar

from netops.collect.snmp.values import VarBind
from netops.errors import NetopsError
from netops.models.observation import FailureReason


class SnmpError(NetopsError):
    """A request or walk failed; `partial` holds varbinds a walk got before failing."""

    reason: ClassVar[FailureReason] = FailureReason.error

    def __init__(self, message: str, partial: list[VarBind] | None = None) -> None:
        super().__init__(message)
        self.partial = partial or []


class SnmpTimeout(SnmpError):
    reason = FailureReason.timeout


class SnmpAuthError(SnmpError):
    """The agent refused our credentials (a USM report: unknown user, wrong digest, ...)."""

    reason = FailureReason.auth


class SnmpRefused(SnmpError):
    """ICMP port unreachable: nothing listens on the agent's port."""

    reason = FailureReason.refused


class SnmpParseError(SnmpError):
    reason = FailureReason.parse
