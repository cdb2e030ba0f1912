"""The getter shapes every collector and importer must return, checked against NAPALM's own TypedDicts
(napalm.base.models), as NAPALM's BaseTestGetters checks every driver. One checker, run by the
contract suites of each collector on its recorded fixtures (tests/collect/test_collector_contract.py,
tests/collect/snmp/test_snmp_contract.py)."""
from __future__ import annotations

import typing
from typing import Any

from napalm.base import models

from netops.models.observation import DeviceObservation

# getter -> (NAPALM's model of one entry, how entries are held: one dict, per key, or a list per key)
SHAPES: dict[str, tuple[type, str]] = {
    "facts": (models.FactsDict, "one"),
    "interfaces": (models.InterfaceDict, "per-key"),
    "interfaces_ip": (models.InterfacesIPDict, "per-key"),
    "lldp_neighbors_detail": (models.LLDPNeighborDetailDict, "list-per-key"),
    "interfaces_counters": (models.InterfaceCounterDict, "per-key"),
    "routes": (models.RouteDict, "list-per-key"),
}
# Keys netops adds beyond NAPALM's model (documented in netops.collect.normalize and the SNMP normaliser).
EXTRA_KEYS: dict[str, set[str]] = {
    "facts": {"identity_sources"},                          # which MIB gave model/serial/version (SNMP)
    "lldp_neighbors_detail": {"remote_system_name_from", "remote_management_address", "protocol",
                              "remote_platform"},             # CDP's platform string
}
# Getters whose entries may leave NAPALM keys out: routes are the subset of get_route_to netops keeps;
# facts from saved outputs know only what the output said (a transcript has no serial number);
# interfaces_ip has `ipv4` or `ipv6` only when the device has such addresses (NAPALM's fixtures too).
PARTIAL = {"routes", "facts", "interfaces_ip"}


def _fits(value: object, kind: Any) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    origin = typing.get_origin(kind) or kind
    if origin is typing.Union:
        return any(_fits(value, k) for k in typing.get_args(kind))
    return isinstance(value, origin)


def entry_problems(getter: str, where: str, entry: object) -> list[str]:
    model, _ = SHAPES[getter]
    if not isinstance(entry, dict):
        return [f"{where}: not a mapping"]
    hints = typing.get_type_hints(model)
    problems = [f"{where}.{key}: {entry[key]!r} is not {kind}" for key, kind in hints.items()
                if key in entry and not _fits(entry[key], kind)]
    if getter not in PARTIAL:
        problems += [f"{where}: missing {key}" for key in hints if key not in entry]
    problems += [f"{where}: unknown key {key}" for key in entry
                 if key not in hints and key not in EXTRA_KEYS.get(getter, set())]
    return problems


def shape_problems(observation: DeviceObservation) -> list[str]:
    """Every way the observation's getters differ from NAPALM's shapes; [] when it meets the contract."""
    problems: list[str] = []
    for getter, (_, layout) in SHAPES.items():
        data = getattr(observation, getter)
        if layout == "one":
            if data:
                problems += entry_problems(getter, getter, data)
            continue
        for key, value in data.items():
            if not isinstance(key, str) or not key:
                problems.append(f"{getter}: key {key!r} is not a name")
            entries = value if layout == "list-per-key" else [value]
            if layout == "list-per-key" and not isinstance(value, list):
                problems.append(f"{getter}[{key}]: not a list")
                continue
            for i, entry in enumerate(entries):
                problems += entry_problems(getter, f"{getter}[{key}][{i}]" if layout == "list-per-key"
                                           else f"{getter}[{key}]", entry)
    return problems


def getters_seen(observation: DeviceObservation) -> set[str]:
    return {getter for getter in SHAPES if getattr(observation, getter)}
