"""NAPALM's own ios/eos getter fixtures, through the real drivers and netops' NAPALM collector.

A Cisco or Arista box cannot run here, so the driver's connection object is replaced by one
that answers each command with NAPALM's recorded output (file name = command, spaces as `_`).
Everything above it is real: the napalm driver parses, nornir_napalm's `napalm_get` runs as a
Nornir task, and the collector normalises. The result must equal NAPALM's expected_result.json
after canonicalisation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from napalm.eos.eos import EOSDriver
from napalm.ios.ios import IOSDriver
from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.plugins.runners import SerialRunner
from nornir_napalm.plugins.connections import Napalm

from netops.collect.base import CollectOptions
from netops.collect.napalm_collector import NapalmCollector
from netops.collect.normalize import observation
from netops.models.observation import DeviceObservation

GETTERS = ("facts", "interfaces", "interfaces_ip", "lldp_neighbors_detail")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "napalm"


class RecordedCli:
    """The netmiko side of IOSDriver: `send_command` answers from the recorded files."""

    connection = None

    def __init__(self, folder: Path):
        self.folder = folder

    def send_command(self, command: str, **_: Any) -> str:
        path = self.folder / f"{command.replace(' ', '_')}.txt"
        return path.read_text() if path.exists() else "% Invalid input detected at '^' marker."

    def disconnect(self) -> None:
        pass


class RecordedEapi(RecordedCli):
    """The pyeapi side of EOSDriver: `run_commands` answers from the recorded JSON files."""

    def run_commands(self, commands: list[str], encoding: str = "json", **_: Any) -> list[Any]:
        out = []
        for command in commands:
            stem = self.folder / command.replace(" ", "_")
            out.append(
                json.loads(stem.with_suffix(".json").read_text())
                if encoding == "json"
                else {"output": stem.with_suffix(".text").read_text()}
            )
        return out


DRIVERS = {"ios": (IOSDriver, RecordedCli), "eos": (EOSDriver, RecordedEapi)}


def fill_wildcards(expected: Any, got: Any) -> Any:
    """NAPALM fixtures write "..." for values that change on every run (uptime): take ours there."""
    if expected == "...":
        return got
    if isinstance(expected, dict) and isinstance(got, dict):
        return {k: fill_wildcards(v, got.get(k)) for k, v in expected.items()}
    return expected


def cases() -> list[Any]:
    found = []
    for vendor in DRIVERS:
        for folder in sorted((SHARED / vendor).glob("test_get_*/*")):
            getter = folder.parent.name.removeprefix("test_get_")
            if getter in GETTERS:
                found.append(pytest.param(vendor, getter, folder, id=f"{vendor}-{getter}-{folder.name}"))
    return found


def collect_recorded(vendor: str, getter: str, folder: Path) -> DeviceObservation:
    driver_cls, device_cls = DRIVERS[vendor]
    host = Host(name="recorded-01", hostname="127.0.0.1", platform=vendor)
    nr = Nornir(
        inventory=Inventory(hosts=Hosts({host.name: host}), groups=Groups(), defaults=Defaults()),
        runner=SerialRunner(),
    )
    driver = driver_cls("127.0.0.1", "user", "not-a-secret")
    driver.device = device_cls(folder)
    plugin = Napalm()
    plugin.connection = driver
    host.connections["napalm"] = plugin  # already "open": napalm_get uses it as is
    result = NapalmCollector(getters=(getter,)).collect(nr, CollectOptions(), lambda _r: None)["recorded-01"]
    assert isinstance(result, DeviceObservation), result
    return result


@pytest.mark.parametrize("vendor,getter,folder", cases())
def test_recorded_getter_matches_napalm_expected_result(
    shared_data: Path, vendor: str, getter: str, folder: Path
) -> None:
    expected = json.loads((folder / "expected_result.json").read_text())
    got = collect_recorded(vendor, getter, folder)
    want = getattr(observation("recorded-01", "napalm", {getter: expected}), getter)
    assert getattr(got, getter) == fill_wildcards(want, getattr(got, getter))
    assert getattr(got, getter), "the fixture's getter result must not be empty"


def test_every_vendor_and_getter_is_covered(shared_data: Path) -> None:
    covered = {(p.values[0], p.values[1]) for p in cases()}
    assert covered == {(v, g) for v in DRIVERS for g in GETTERS}


def test_ios_lldp_detail_is_canonical_and_names_the_far_end(shared_data: Path) -> None:
    got = collect_recorded(
        "ios", "lldp_neighbors_detail", SHARED / "ios/test_get_lldp_neighbors_detail/alternate4"
    )
    assert "GigabitEthernet1" in got.lldp_neighbors_detail
    first = got.lldp_neighbors_detail["GigabitEthernet1"][0]
    assert first["remote_port"] == "Gi1" and first["remote_chassis_id"] == "00:1E:BD:3A:F9:00"
