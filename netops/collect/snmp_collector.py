"""SNMP collector: inventory hosts + credentials -> the snmp package's `poll_many`.

All devices are polled from ONE asyncio loop (no thread per device), at most
`options.concurrency` at a time, so a dead device costs one timeout window in parallel with
the others. Credentials come from the secrets (environment / secrets file) or, for lab
devices, from the lab; they live only in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import cast

from nornir.core import Nornir

from netops.collect.base import CollectOptions, CollectResult, OnResult
from netops.collect.normalize import canonicalise
from netops.collect.snmp.credentials import AuthProto, PrivProto, SnmpCredentials, SnmpTarget
from netops.collect.snmp.normalize import to_observation
from netops.collect.snmp.poll import DeviceSnmpData, poll_many
from netops.models.observation import DeviceFailure, FailureReason
from netops.models.settings import SWEEP_DEFAULTS
from netops.sources.secrets import SnmpSecrets

CredentialsFor = Callable[[str], "SnmpCredentials | None"]
DEFAULT_PORT = SWEEP_DEFAULTS.snmp_port


def credentials_from_secrets(secrets: SnmpSecrets, *, prefer: str = "v3") -> SnmpCredentials | None:
    """netops' secrets shape as the SNMP client's credentials: v3 authPriv or v2c, `prefer` when both."""
    v3 = None
    if secrets.user and secrets.auth_key and secrets.priv_key:
        v3 = SnmpCredentials.v3(
            secrets.user,
            auth_protocol=cast(AuthProto, secrets.auth_proto.lower()),   # SnmpSecrets validated it
            auth_key=secrets.auth_key.get_secret_value(),
            priv_protocol=cast(PrivProto, secrets.priv_proto.lower()),
            priv_key=secrets.priv_key.get_secret_value(),
        )
    v2c = SnmpCredentials.v2c(secrets.community.get_secret_value()) if secrets.community is not None else None
    return (v2c or v3) if prefer == "v2c" else (v3 or v2c)


class SnmpCollector:
    name = "snmp"

    def __init__(self, credentials_for: CredentialsFor, *, port: int = DEFAULT_PORT, workload: str = "full"):
        self.credentials_for = credentials_for
        self.port = port
        self.workload = workload

    def collect(self, nr: Nornir, options: CollectOptions, on_result: OnResult) -> dict[str, CollectResult]:
        """The poll on a loop of its own (must not be called from a running loop)."""
        return asyncio.run(self.collect_async(nr, options, on_result))

    async def collect_async(self, nr: Nornir, options: CollectOptions, on_result: OnResult
                            ) -> dict[str, CollectResult]:
        """Every host polled on the running loop, at most `options.concurrency` at a time."""
        out: dict[str, CollectResult] = {}
        targets: list[SnmpTarget] = []
        for name, host in nr.inventory.hosts.items():
            creds = self.credentials_for(name)
            if creds is None or not host.hostname:
                missing = "SNMP credentials (NETOPS_SNMP_* or the secrets file)" if creds is None else "address"
                out[name] = DeviceFailure(
                    host=name, via=self.name, reason=FailureReason.unconfigured, message=f"no {missing} for {name}"
                )
                on_result(out[name])
                continue
            targets.append(SnmpTarget(name=name, host=host.hostname, port=self.port, credentials=creds))

        def convert(result: DeviceSnmpData | DeviceFailure) -> CollectResult:
            if isinstance(result, DeviceFailure):
                return result
            return canonicalise(to_observation(result))

        def progress(name: str, result: DeviceSnmpData | DeviceFailure) -> None:
            out[name] = convert(result)
            on_result(out[name])

        if targets:
            polled = await poll_many(
                targets, self.workload, options.concurrency, options.timeout, options.retries, progress
            )
            out.update({name: convert(result) for name, result in polled.items() if name not in out})
        return out
