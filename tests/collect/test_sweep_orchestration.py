"""How the sweep combines collectors: CLI only for the blind, broken collectors become data."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from nornir.core import Nornir

from netops.cli.main import cli
from netops.collect.base import CollectOptions, CollectResult, OnResult
from netops.collect.sweep import BadRequest, SweepRequest, sweep
from netops.config import load_config
from netops.errors import NotFoundError
from netops.models.observation import DeviceObservation, FailureReason, LinkState
from netops.sources.inventory import load_inventory
from tests.inventory_helpers import make_project


class Scripted:
    """A collector that answers from a script and remembers whom it was asked about."""

    def __init__(self, name: str, answers: dict[str, dict], *, broken: bool = False):
        self.name, self.answers, self.broken, self.asked = name, answers, broken, []

    def collect(self, nr: Nornir, options: CollectOptions, on_result: OnResult) -> dict[str, CollectResult]:
        self.asked = sorted(nr.inventory.hosts)
        if self.broken:
            raise RuntimeError("driver exploded")
        out = {h: DeviceObservation(host=h, via=self.name, **self.answers.get(h, {})) for h in self.asked}
        for result in out.values():
            on_result(result)
        return out


def sees(port: str, name: str, far: str) -> dict:
    return {"interfaces": {port: {"is_up": True, "is_enabled": True, "speed": 10000.0}},
            "lldp_neighbors_detail": {port: [{"remote_system_name": name, "remote_port": far}]}}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "p")
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    config = load_config(root / "netops.yaml")
    return config, load_inventory(config.inventory_dir, config.topology_dir)


def test_cli_asks_only_devices_without_neighbours_and_results_merge(project) -> None:  # type: ignore[no-untyped-def]
    config, inventory = project
    snmp = Scripted("snmp", {"core-01": sees("xe-0/0/0", "edge-diskominfo-01", "sfp-sfpplus1"),
                             "edge-diskominfo-01": {"interfaces": {"sfp-sfpplus1": {"is_up": True}}}})
    cli_ = Scripted("cli", {"edge-diskominfo-01": sees("sfp-sfpplus1", "core-01.batam.go.id", "xe-0/0/0")})
    request = SweepRequest(via=("snmp", "cli"))
    snapshot = sweep(config, inventory, request, collectors={"snmp": snmp, "cli": cli_})
    assert snmp.asked == ["core-01", "edge-bapenda-01", "edge-diskominfo-01"]
    assert cli_.asked == ["edge-bapenda-01", "edge-diskominfo-01"]
    assert snapshot.observations["edge-diskominfo-01"].via == "snmp+cli"
    assert snapshot.links["BTM-FO-0001"].state == LinkState.up
    assert snapshot.links["BTM-FO-0001"].reason == "LLDP both ways"
    assert snapshot.request["via"] == ["snmp", "cli"] and snapshot.request["devices"] == 3


def test_a_broken_collector_fails_its_devices_not_the_sweep(project) -> None:  # type: ignore[no-untyped-def]
    config, inventory = project
    snapshot = sweep(config, inventory, SweepRequest(via=("snmp",), pds=("BAPENDA",)),
                     collectors={"snmp": Scripted("snmp", {}, broken=True)})
    assert list(snapshot.failures) == ["edge-bapenda-01"]
    failure = snapshot.failures["edge-bapenda-01"]
    assert (failure.reason, failure.message) == (FailureReason.error, "RuntimeError: driver exploded")
    assert snapshot.links["BTM-FO-0002"].state == LinkState.unseen  # one end failed, the other not swept


def test_filters_that_match_nothing_are_an_error(project) -> None:  # type: ignore[no-untyped-def]
    config, inventory = project
    with pytest.raises(NotFoundError, match="no device matches"):
        sweep(config, inventory, SweepRequest(roles=("ap",)), collectors={})


@pytest.mark.parametrize("args,message", [(["--via", "snmp,telnet"], "choose from snmp, napalm, cli"),
                                          (["--filter", "role"], "expected key=value")])
def test_bad_options_are_one_line_errors(project, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["sweep", *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_unknown_via_is_refused_by_the_request() -> None:
    with pytest.raises(BadRequest, match="'ssh': choose from") as refused:
        SweepRequest(via=("ssh",))
    assert refused.value.field == "via"


def test_the_three_collectors_honour_the_contract() -> None:
    from netops.collect.base import Collector
    from netops.collect.cli_collector import CliCollector
    from netops.collect.napalm_collector import NapalmCollector
    from netops.collect.snmp_collector import SnmpCollector

    collectors = [SnmpCollector(lambda _h: None), NapalmCollector(), CliCollector()]
    assert all(isinstance(c, Collector) for c in collectors)
    assert [c.name for c in collectors] == ["snmp", "napalm", "cli"]
