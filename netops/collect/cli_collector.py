"""CLI collector: neighbours from `show lldp/cdp neighbors detail` and friends, for devices
where SNMP and NAPALM give none.

netmiko runs the command (via nornir_netmiko), ntc-templates' TextFSM parses it, and
`neighbours_from_rows` turns each vendor's parse into NAPALM's `lldp_neighbors_detail`.
The parse step is a pure function so recorded outputs can be fed to it directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task
from nornir.plugins.runners import ThreadedRunner
from nornir_netmiko.tasks import netmiko_send_command
from ntc_templates.parse import parse_output

from netops.collect.base import CollectOptions, CollectResult, OnResult, observe_guarded, override_connection
from netops.collect.normalize import observation
from netops.models.observation import DeviceFailure, FailureReason

CONNECTION = "netmiko"


@dataclass(frozen=True)
class CliDialect:
    """How to ask one kind of device for its neighbours: netmiko type, template platform, commands."""

    device_type: str
    template_platform: str
    commands: tuple[str, ...]  # tried in order until one gives neighbours


_CISCO = ("show lldp neighbors detail", "show cdp neighbors detail")
DIALECTS: dict[str, CliDialect] = {
    "ios": CliDialect("cisco_ios", "cisco_ios", _CISCO),
    "iosxe": CliDialect("cisco_ios", "cisco_ios", _CISCO),
    "nxos": CliDialect("cisco_nxos", "cisco_nxos", _CISCO),
    "nxos_ssh": CliDialect("cisco_nxos", "cisco_nxos", _CISCO),
    "eos": CliDialect("arista_eos", "arista_eos", ("show lldp neighbors detail",)),
    "junos": CliDialect("juniper_junos", "juniper_junos", ("show lldp neighbors",)),
    "huawei": CliDialect("huawei", "huawei_vrp", ("display lldp neighbor",)),
    "huawei_vrp": CliDialect("huawei", "huawei_vrp", ("display lldp neighbor",)),
    "vrp": CliDialect("huawei", "huawei_vrp", ("display lldp neighbor",)),
    "routeros": CliDialect("mikrotik_routeros", "mikrotik_routeros", ("/ip neighbor print detail",)),
}

# LLDP capability letters (IOS, NX-OS) and words (CDP, VRP, RouterOS) -> NAPALM's names.
_CAPABILITY_LETTERS = {
    "B": "bridge",
    "R": "router",
    "W": "wlan-access-point",
    "T": "telephone",
    "S": "station",
    "C": "docsis-cable-device",
    "O": "other",
    "P": "repeater",
}
_CAPABILITY_WORDS = {
    "switch": "bridge",
    "wlan-ap": "wlan-access-point",
    "host": "station",
    "phone": "telephone",
    "trans-bridge": "bridge",
    "source-route-bridge": "bridge",
}


def _text(value: Any) -> str:
    """Template fields are strings or, for multi-line values (VRP descriptions), lists."""
    if isinstance(value, list):
        return " ".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()


def _capabilities(value: Any) -> list[str]:
    words = [w for w in re.split(r"[\s,]+", _text(value)) if w and w != "-"]
    out: list[str] = []
    for word in words:
        name = (_CAPABILITY_LETTERS.get(word) if len(word) == 1 else None) or _CAPABILITY_WORDS.get(
            word.lower(), word.lower()
        )
        if name not in out:
            out.append(name)
    return out


def _first(row: Mapping[str, Any], *keys: str) -> str:
    return next((_text(row[k]) for k in keys if _text(row.get(k))), "")


def _entry(row: Mapping[str, Any], cdp: bool) -> tuple[str, dict[str, Any]] | None:
    """One parsed row as (local port, NAPALM lldp_neighbors_detail entry)."""
    local = _first(row, "local_interface", "interface").split(",")[0]
    if not local:
        return None
    # CDP's Device ID sits in chassis_id on NX-OS, sometimes with the serial in brackets.
    name = _first(row, "neighbor_name", "identity") or (
        _text(row.get("chassis_id")).split("(")[0] if cdp else ""
    )
    port_id = _first(row, "neighbor_port_id", "interface_name")
    port_descr = _first(row, "neighbor_interface")
    entry = {
        "parent_interface": "",
        "remote_chassis_id": _first(row, "chassis_id", "mac_address")
        if not cdp
        else _first(row, "mac_address"),
        "remote_system_name": name,
        "remote_port": port_id or port_descr,
        "remote_port_description": port_descr if port_id else "",
        "remote_system_description": _first(row, "neighbor_description", "system_description"),
        "remote_system_capab": _capabilities(_first(row, "capabilities", "system_caps")),
        "remote_system_enable_capab": _capabilities(_first(row, "system_caps_enabled", "capabilities")),
        "remote_management_address": _first(
            row, "mgmt_address", "ipv4_address", "ip_address", "interface_ip"
        ),
    }
    return local, entry


def neighbours_from_rows(command: str, rows: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """ntc-templates rows of any supported vendor -> `lldp_neighbors_detail` (raw port names)."""
    cdp = "cdp" in command
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        item = _entry(row, cdp)
        if item is not None:
            out.setdefault(item[0], []).append(item[1])
    return out


def parse_neighbours(dialect: CliDialect, command: str, raw: str) -> dict[str, list[dict[str, Any]]]:
    """Raw command output -> `lldp_neighbors_detail`; TextFSM errors propagate (reason: parse)."""
    rows = parse_output(platform=dialect.template_platform, command=command.lstrip("/"), data=raw)
    return neighbours_from_rows(command, rows)


def _observe(task: Task, on_result: OnResult) -> Result:
    """Nornir task: try the dialect's commands in order, keep the first that shows neighbours."""
    dialect = DIALECTS[task.host.platform or ""]

    def work() -> CollectResult:
        neighbours: dict[str, list[dict[str, Any]]] = {}
        for command in dialect.commands:
            raw = task.run(task=netmiko_send_command, command_string=command, severity_level=0).result
            neighbours = parse_neighbours(dialect, command, str(raw))
            if neighbours:
                break
        return observation(task.host.name, "cli", {"lldp_neighbors_detail": neighbours})

    return observe_guarded(task, "cli", on_result, work)


class CliCollector:
    name = "cli"

    def collect(self, nr: Nornir, options: CollectOptions, on_result: OnResult) -> dict[str, CollectResult]:
        out: dict[str, CollectResult] = {}
        supported = []
        for name, host in nr.inventory.hosts.items():
            dialect = DIALECTS.get(host.platform or "")
            if dialect is None:
                out[name] = DeviceFailure(
                    host=name,
                    via=self.name,
                    reason=FailureReason.unsupported,
                    message=f"no CLI neighbour command known for platform {host.platform!r}",
                )
                on_result(out[name])
                continue
            seconds = options.timeout
            override_connection(
                host,
                CONNECTION,
                platform=dialect.device_type,
                extras={"conn_timeout": seconds, "auth_timeout": seconds, "banner_timeout": seconds},
            )
            supported.append(name)
        if not supported:
            return out
        subset = nr.filter(filter_func=lambda h: h.name in supported)
        runner = subset.with_runner(ThreadedRunner(num_workers=max(1, min(options.concurrency, 100))))
        try:
            results = runner.run(task=_observe, on_result=on_result, on_failed=True)
        finally:
            subset.close_connections(on_failed=True)
        out.update({host: multi[0].result for host, multi in results.items()})
        return out
