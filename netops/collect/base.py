"""The collector contract: one small Protocol that SNMP, NAPALM and CLI collectors all satisfy.

A collector is handed a (filtered) Nornir object and returns, for every host in it, either a
`DeviceObservation` or a `DeviceFailure`: a dead device is data, never an exception. Third-party
errors (netmiko, paramiko, NAPALM, TextFSM, sockets) are translated into a `FailureReason` here
and nowhere else.
"""

from __future__ import annotations

import errno
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from nornir.core import Nornir
from nornir.core.exceptions import NornirSubTaskError
from nornir.core.inventory import ConnectionOptions, Host
from nornir.core.task import Result, Task

from netops.errors import NetopsError
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason
from netops.models.settings import SWEEP_DEFAULTS, SweepSettings

# A failed device is returned as data with a one-line message; the libraries' own tracebacks
# (Nornir logs every failed task at ERROR) must not reach the terminal through logging's
# last-resort handler. Applications that configure logging still receive them.
for _library in ("nornir", "paramiko", "netmiko", "napalm"):
    logging.getLogger(_library).addHandler(logging.NullHandler())

CollectResult = DeviceObservation | DeviceFailure
OnResult = Callable[[CollectResult], None]


@dataclass(frozen=True)
class CollectOptions:
    """Per-device timeout (seconds) and retries, and how many devices are talked to at once."""

    timeout: float = SWEEP_DEFAULTS.timeout
    retries: int = SWEEP_DEFAULTS.retries
    concurrency: int = SWEEP_DEFAULTS.concurrency

    @classmethod
    def from_settings(cls, settings: SweepSettings, *, timeout: float | None = None, retries: int | None = None,
                      concurrency: int | None = None) -> CollectOptions:
        """The project's `sweep:` settings, each overridden where a value is given (a command-line option)."""
        return cls(timeout=settings.timeout if timeout is None else timeout,
                   retries=settings.retries if retries is None else retries,
                   concurrency=settings.concurrency if concurrency is None else concurrency)

    @property
    def worst_case_seconds(self) -> float:
        """How long one dead device can hold a sweep: every try times out."""
        return self.timeout * (self.retries + 1)


@runtime_checkable
class Collector(Protocol):
    """`name` is what `--via` selects; `collect` answers for every host of `nr`, never raises."""

    name: str

    def collect(
        self, nr: Nornir, options: CollectOptions, on_result: OnResult
    ) -> dict[str, CollectResult]: ...


@runtime_checkable
class AsyncCollector(Collector, Protocol):
    """A collector whose work is an asyncio coroutine: it can also run on a loop that is already
    running (a Dask worker's own loop), so a shard needs no thread of its own to contend for the GIL
    with the worker's machinery. `collect` is the same work on a loop of its own."""

    async def collect_async(
        self, nr: Nornir, options: CollectOptions, on_result: OnResult
    ) -> dict[str, CollectResult]: ...


# The boundary's vocabulary, as httpx maps httpcore's errors: each library error type -> one reason.
# Checked from the root cause outwards (NAPALM and Nornir wrap the real error; netmiko reports a
# refused connection as a "timeout" wrapping the truth); the first type in this order that matches wins.
# Messages are never read: a library that only says it in words is an `error` until it raises a type.
@functools.cache
def reason_table() -> tuple[tuple[type[BaseException], FailureReason], ...]:
    """(exception type, reason), most specific first; imported lazily (NAPALM and netmiko are slow to load)."""
    from jnpr.junos import exception as junos  # NAPALM's junos driver (PyEZ over NETCONF)
    from napalm.base.exceptions import ConnectAuthError, ConnectTimeoutError, ModuleImportError
    from ncclient.transport import errors as netconf
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
    from paramiko.ssh_exception import AuthenticationException
    from textfsm import TextFSMError
    from textfsm.clitable import CliTableError

    return (
        (ConnectionRefusedError, FailureReason.refused),
        (NetmikoAuthenticationException, FailureReason.auth),
        (AuthenticationException, FailureReason.auth),            # paramiko: bad password, no usable method
        (ConnectAuthError, FailureReason.auth),
        (junos.ConnectAuthError, FailureReason.auth),
        (netconf.AuthenticationError, FailureReason.auth),
        (junos.ConnectRefusedError, FailureReason.refused),
        (junos.ConnectTimeoutError, FailureReason.timeout),
        (NetmikoTimeoutException, FailureReason.timeout),
        (ReadTimeout, FailureReason.timeout),
        (ConnectTimeoutError, FailureReason.timeout),
        (TimeoutError, FailureReason.timeout),                    # socket.timeout is TimeoutError
        (TextFSMError, FailureReason.parse),
        (CliTableError, FailureReason.parse),
        (ModuleImportError, FailureReason.unsupported),           # no NAPALM driver for this platform
    )


# OSError numbers that say what happened on the wire (a socket error with no more specific type).
_REASON_OF_ERRNO = {
    errno.ECONNREFUSED: FailureReason.refused,
    errno.ETIMEDOUT: FailureReason.timeout,
    errno.EHOSTUNREACH: FailureReason.timeout,
    errno.ENETUNREACH: FailureReason.timeout,
    errno.EHOSTDOWN: FailureReason.timeout,
}


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it: NAPALM and Nornir wrap the real error."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _reason_of(item: BaseException) -> FailureReason | None:
    reason = getattr(item, "reason", None)
    if isinstance(item, NetopsError) and isinstance(reason, FailureReason):
        return reason                  # netops' own errors carry their reason (SnmpError and its kin)
    if isinstance(item, OSError) and item.errno in _REASON_OF_ERRNO:
        return _REASON_OF_ERRNO[item.errno]
    for kind, reason_of_kind in reason_table():
        if isinstance(item, kind):
            return reason_of_kind
    return None


def classify(exc: BaseException) -> FailureReason:
    """Map any collector exception onto a FailureReason by its type (and its causes' types)."""
    for item in _chain(exc)[::-1]:
        errors = getattr(item, "errors", None)   # paramiko NoValidConnectionsError: {address: OSError}
        for cause in (*(errors.values() if isinstance(errors, dict) else ()), item):
            if isinstance(cause, BaseException) and (reason := _reason_of(cause)) is not None:
                return reason
    return FailureReason.error


def failure_from(host: str, via: str, exc: BaseException) -> DeviceFailure:
    """A DeviceFailure with a one-line message a person can act on (no traceback, no secrets)."""
    root = _chain(exc)[-1]
    message = (
        f"{type(root).__name__}: {str(root).strip().splitlines()[0] if str(root).strip() else ''}".rstrip(
            ": "
        )
    )
    return DeviceFailure(host=host, via=via, reason=classify(exc), message=message[:300])


def override_connection(
    host: Host, connection: str, *, extras: dict[str, Any], platform: str | None = None
) -> None:
    """Set this host's options for one connection plugin: inherited values plus ours on top."""
    inherited = host.get_connection_parameters(connection)
    host.connection_options[connection] = ConnectionOptions(
        hostname=inherited.hostname,
        port=inherited.port,
        username=inherited.username,
        password=inherited.password,
        platform=platform or inherited.platform,
        extras={**(inherited.extras or {}), **extras},
    )


def observe_guarded(task: Task, via: str, on_result: OnResult, work: Callable[[], CollectResult]) -> Result:
    """Run one host's collection as a Nornir task that never raises: every failure becomes data."""
    result: CollectResult
    try:
        if not task.host.hostname:     # nothing to connect to: not the device's fault, and nothing is sent
            result = DeviceFailure(host=task.host.name, via=via, reason=FailureReason.unconfigured,
                                   message=f"no address for {task.host.name}")
        else:
            result = work()
    except NornirSubTaskError as exc:
        result = failure_from(task.host.name, via, exc.result[0].exception or exc)
    except Exception as exc:
        result = failure_from(task.host.name, via, exc)
    on_result(result)
    return Result(host=task.host, result=result)
