"""Third-party errors become one FailureReason each, also when wrapped by NAPALM or Nornir."""

from __future__ import annotations

import pytest
from napalm.base.exceptions import ConnectionException
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException
from paramiko.ssh_exception import AuthenticationException
from textfsm import TextFSMError

from netops.collect.base import failure_from
from netops.models.observation import FailureReason


def wrapped(inner: BaseException) -> BaseException:
    """How NAPALM reports a netmiko error: raise ConnectionException(...) from the real one."""
    try:
        try:
            raise inner
        except BaseException as exc:
            raise ConnectionException("Cannot connect to 198.19.0.11") from exc
    except ConnectionException as outer:
        return outer


@pytest.mark.parametrize(
    "exc,reason",
    [
        (NetmikoAuthenticationException("Authentication to device failed."), FailureReason.auth),
        (AuthenticationException("Authentication failed."), FailureReason.auth),
        (NetmikoTimeoutException("TCP connection to device failed."), FailureReason.timeout),
        (TimeoutError("timed out"), FailureReason.timeout),
        (ConnectionRefusedError(111, "Connection refused"), FailureReason.refused),
        (TextFSMError("State Error raised. Rule Line: 70."), FailureReason.parse),
        (RuntimeError("something else"), FailureReason.error),
    ],
)
def test_reason_direct_and_wrapped(exc: BaseException, reason: FailureReason) -> None:
    assert failure_from("edge-01", "napalm", exc).reason == reason
    assert failure_from("edge-01", "napalm", wrapped(exc)).reason == reason


def test_message_is_one_line_naming_the_root_error() -> None:
    failure = failure_from(
        "edge-01", "cli", wrapped(NetmikoTimeoutException("TCP connection failed.\nCommon causes..."))
    )
    assert failure.message == "NetmikoTimeoutException: TCP connection failed."
