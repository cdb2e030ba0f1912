"""Third-party errors become one FailureReason each, also when wrapped by NAPALM or Nornir."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from jnpr.junos import Device as JunosDevice
from jnpr.junos.exception import ConnectRefusedError as JunosConnectRefusedError
from napalm.base.exceptions import (
    ConnectAuthError,
    ConnectionException,
    ConnectTimeoutError,
    ModuleImportError,
)
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException
from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.plugins.runners import ThreadedRunner
from paramiko.ssh_exception import AuthenticationException, NoValidConnectionsError
from textfsm import TextFSMError

from netops.collect.base import CollectOptions, failure_from
from netops.collect.cli_collector import CliCollector
from netops.collect.napalm_collector import NapalmCollector
from netops.collect.snmp.ber import BerError
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp.errors import SnmpAuthError, SnmpError, SnmpParseError, SnmpRefused, SnmpTimeout
from netops.collect.snmp_collector import SnmpCollector
from netops.errors import NetopsError
from netops.models.observation import DeviceFailure, FailureReason

COLLECT = Path(__file__).resolve().parents[2] / "netops" / "collect"


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


@pytest.mark.parametrize(
    "exc,reason",
    [
        (ConnectAuthError("login refused"), FailureReason.auth),
        (ConnectTimeoutError("slow"), FailureReason.timeout),
        (ModuleImportError("no driver"), FailureReason.unsupported),
        (OSError(errno.EHOSTUNREACH, "No route to host"), FailureReason.timeout),
        (OSError(errno.ECONNREFUSED, "Connection refused"), FailureReason.refused),
        (NoValidConnectionsError({("127.0.0.1", 22): ConnectionRefusedError(111, "refused")}), FailureReason.refused),
        (SnmpAuthError("usmStatsWrongDigests"), FailureReason.auth),
        (SnmpRefused("port unreachable"), FailureReason.refused),
        (BerError("truncated OID"), FailureReason.parse),
        (JunosConnectRefusedError(JunosDevice(host="127.0.0.1", user="u", password="p", gather_facts=False)),
         FailureReason.refused),
    ],
)
def test_reason_by_type_at_the_boundary(exc: BaseException, reason: FailureReason) -> None:
    assert failure_from("edge-01", "napalm", exc).reason == reason
    assert failure_from("edge-01", "napalm", wrapped(exc)).reason == reason


@pytest.mark.parametrize("words", ["Authentication failed", "connection refused", "timed out", "unreachable"])
def test_words_in_a_message_decide_nothing(words: str) -> None:
    """A reason comes from a type; an untyped error that merely says the words is an `error`."""
    assert failure_from("edge-01", "cli", RuntimeError(words)).reason == FailureReason.error
    assert failure_from("edge-01", "cli", ConnectionException(words)).reason == FailureReason.error


def test_every_snmp_error_is_a_netops_error_with_a_failure_reason() -> None:
    for kind in (SnmpError, SnmpTimeout, SnmpAuthError, SnmpRefused, SnmpParseError, BerError):
        assert issubclass(kind, NetopsError)
        assert isinstance(kind.reason, FailureReason)


def test_no_message_word_matching_in_the_collectors() -> None:
    """Failures are classified by type; nothing in collect/ looks for words in an exception's text."""
    pattern = re.compile(r"in\s+str\((exc|e|err|error|item|root)\)|str\((exc|e|err|error|item|root)\)\.lower\(\)")
    hits = [f"{path.relative_to(COLLECT)}:{n}" for path in sorted(COLLECT.rglob("*.py"))
            for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert hits == []


def test_a_device_without_address_is_unconfigured_not_auth() -> None:
    ConnectionPluginRegister.auto_register()
    host = Host(name="edge-01", hostname="", platform="ios", username="u", password="p")
    nr = Nornir(inventory=Inventory(hosts=Hosts({"edge-01": host}), groups=Groups(), defaults=Defaults()),
                runner=ThreadedRunner(num_workers=1))
    options = CollectOptions(timeout=1.0, retries=0)
    collectors = (NapalmCollector(), CliCollector(), SnmpCollector(lambda _h: SnmpCredentials.v2c("public")))
    for collector in collectors:
        failure = collector.collect(nr, options, lambda _r: None)["edge-01"]
        assert isinstance(failure, DeviceFailure), (collector.name, failure)
        assert (failure.reason, failure.message) == (FailureReason.unconfigured, "no address for edge-01"), \
            collector.name
