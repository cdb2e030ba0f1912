"""The inventory files are plain Nornir SimpleInventory; netops' plugin adds checks and credentials."""
from __future__ import annotations

from pathlib import Path

import pytest
from nornir import InitNornir
from nornir.core.filter import F

from netops.collect.nornir_init import apply_filters, build_nornir
from netops.config import load_config
from netops.errors import InputError
from tests.conftest import REPO
from tests.inventory_helpers import make_project


def _stock(inventory_dir: Path):  # type: ignore[no-untyped-def]
    return InitNornir(runner={"plugin": "serial"}, logging={"enabled": False}, inventory={
        "plugin": "SimpleInventory",
        "options": {"host_file": str(inventory_dir / "hosts.yaml"), "group_file": str(inventory_dir / "groups.yaml"),
                    "defaults_file": str(inventory_dir / "defaults.yaml")}})


def test_stock_simple_inventory_loads_the_sample_city_unchanged() -> None:
    from netops.sources.inventory import load_inventory
    inv = load_inventory(REPO / "inventory", REPO / "topology")
    nr = _stock(REPO / "inventory")
    assert set(nr.inventory.hosts) == set(inv.devices)
    for name, device in inv.devices.items():
        host = nr.inventory.hosts[name]
        assert host.hostname == str(device.mgmt_ip)
        assert host.platform == device.platform
        assert host["role"] == device.role.value
        assert host["pd"]["code"] == device.pd


def test_netops_plugin_fills_credentials_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    monkeypatch.setenv("NETOPS_USERNAME", "noc")
    monkeypatch.setenv("NETOPS_PASSWORD", "s3cret-from-env")
    nr = build_nornir(load_config(project / "netops.yaml"))
    host = nr.inventory.hosts["edge-bapenda-01"]
    assert (host.username, host.password) == ("noc", "s3cret-from-env")
    assert "s3cret" not in (project / "inventory" / "hosts.yaml").read_text()


def test_netops_plugin_refuses_a_broken_inventory(tmp_path: Path) -> None:
    project = make_project(tmp_path, "link_end_unknown_device")
    with pytest.raises(InputError, match="unknown device 'edge-bapenda-99'"):
        build_nornir(load_config(project / "netops.yaml"))


def test_cli_filters_select_by_pd_role_platform_and_expression(tmp_path: Path) -> None:
    nr = build_nornir(load_config(make_project(tmp_path) / "netops.yaml"))
    assert set(apply_filters(nr, pds=("bapenda",)).inventory.hosts) == {"edge-bapenda-01"}
    assert set(apply_filters(nr, roles=("pd-edge",)).inventory.hosts) == {"edge-bapenda-01", "edge-diskominfo-01"}
    assert set(apply_filters(nr, platforms=("junos", "ios")).inventory.hosts) == {"core-01", "edge-bapenda-01"}
    assert set(apply_filters(nr, expressions=("data__role=core",)).inventory.hosts) == {"core-01"}
    assert set(nr.filter(F(pd__kind="badan")).inventory.hosts) == {"edge-bapenda-01"}
