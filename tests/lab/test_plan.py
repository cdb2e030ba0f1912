"""The lab plan and selection, and the overlay, without building anything (no root needed)."""
from __future__ import annotations

import os
from ipaddress import IPv4Interface
from pathlib import Path

import networkx as nx
import pytest

from netops.config import load_config
from netops.errors import NetopsError, NotFoundError
from netops.lab.daemons import lldpd_conf, snmpd_conf
from netops.lab.handle import small_lab_pds
from netops.lab.overlay import active_overlay
from netops.lab.plan import FIRST_PORT_INDEX, build_plan, stub_peers
from netops.lab.select import select_devices
from netops.lab.state import LabSecrets, LabState, load_state, save_state
from netops.lab.status import parse_neighbors
from netops.models.inventory import Role
from netops.sources.inventory import Inventory, load_inventory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city() -> Inventory:
    config = load_config(REPO / "netops.yaml")
    return load_inventory(config.inventory_dir, config.topology_dir)


def _state(city: Inventory, pds: list[str]) -> LabState:
    return LabState(run_dir="/run/netops/labs/test", lab_uid=62000, plan=build_plan(city, select_devices(city, pds)[0]),
                    secrets=LabSecrets.generate(), phase="up")


def test_whole_city_selected_without_options(city: Inventory) -> None:
    names, left_out = select_devices(city)
    assert set(names) == set(city.devices) and left_out == []


def test_pd_selection_adds_transit_routers_to_the_core(city: Inventory) -> None:
    names, _ = select_devices(city, ["DISDUKCAPIL"])
    assert {d.hostname for d in city.devices_of("DISDUKCAPIL")} <= set(names)
    assert any(city.devices[n].role == Role.core for n in names)
    assert "dist-batamcentre" in names  # DISDUKCAPIL's first uplink lands there


def test_max_routers_leaves_whole_pds_out(city: Inventory) -> None:
    names, left_out = select_devices(city, max_routers=20)
    routers = [n for n in names if city.devices[n].is_router]
    assert len(routers) <= 20 and left_out
    for code in left_out:
        assert not any(d.hostname in names for d in city.devices_of(code) if d.role == Role.pd_edge)


def test_unknown_pd_is_named(city: Inventory) -> None:
    with pytest.raises(NotFoundError, match="NOPE"):
        select_devices(city, ["NOPE"])


def test_ports_get_linux_safe_names_and_fixed_ifindex(city: Inventory) -> None:
    plan = build_plan(city, select_devices(city, ["DISDUKCAPIL"])[0])
    sw = plan.devices["sw-disdukcapil-01"]
    assert [p.linux for p in sw.ports] == [f"eth{k}" for k in range(1, len(sw.ports) + 1)]
    assert [p.ifindex for p in sw.ports] == [FIRST_PORT_INDEX + k for k in range(1, len(sw.ports) + 1)]
    gi = sw.port("GigabitEthernet1/1/1")
    assert gi.altname is None  # Linux refuses '/' in altnames
    assert plan.devices["edge-disdukcapil-01"].port("sfp-sfpplus1").altname == "sfp-sfpplus1"


def test_plan_keeps_every_cable_with_both_ends_in_the_lab(city: Inventory) -> None:
    names = select_devices(city, ["DISDUKCAPIL"])[0]
    plan = build_plan(city, names)
    expected = {lk.id for lk in city.links.values() if lk.a.device in names and lk.b.device in names}
    assert set(plan.cables) == expected
    cabled = plan.cabled_ports()
    assert all((d.hostname, p.declared) not in cabled for d, p in stub_peers(plan))


def test_address_outside_the_documentation_range_is_refused(city: Inventory) -> None:
    name = next(iter(city.devices))
    device = city.devices[name]
    moved = device.model_copy(update={"loopback": IPv4Interface("10.1.2.3/32")})
    inv = Inventory(devices={**city.devices, name: moved}, links=city.links, ducts=city.ducts, pds=city.pds)
    with pytest.raises(NetopsError, match=f"device {name}: address 10.1.2.3/32 is outside 198.18.0.0/15"):
        build_plan(inv, [name])


def test_small_lab_has_ring_shared_duct_and_lan(city: Inventory) -> None:
    plan = build_plan(city, select_devices(city, small_lab_pds(city))[0])
    graph = nx.Graph((c.a.device, c.b.device) for c in plan.cables.values())
    assert nx.cycle_basis(graph)
    assert any(len(plan.cables_in_duct(d)) >= 2 for d in plan.ducts)
    roles = {d.role for d in plan.devices.values()}
    assert {"access-switch", "ap"} <= roles


def test_device_configs_carry_declared_names(city: Inventory) -> None:
    state = _state(city, ["DISDUKCAPIL"])
    sw = state.plan.devices["sw-disdukcapil-01"]
    port = sw.port("GigabitEthernet1/1/1")
    snmp = snmpd_conf(state, sw, Path("/x"))
    assert f'override .1.3.6.1.2.1.31.1.1.1.1.{port.ifindex} octet_str "GigabitEthernet1/1/1"' in snmp
    assert "rouser netopslab priv" in snmp and f"agentaddress udp:{sw.mgmt_ip.split('/')[0]}:161" in snmp
    assert f'configure ports {port.linux} lldp portidsubtype local "GigabitEthernet1/1/1"' in lldpd_conf(sw)


def test_state_file_is_private_and_overlay_follows_it(city: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "lab" / "state.json"
    config = load_config(REPO / "netops.yaml").model_copy(update={"lab_state": path})
    assert active_overlay(config) is None
    state = _state(city, ["DISDUKCAPIL"])
    save_state(path, state)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert load_state(path) == state
    overlay = active_overlay(config)
    assert overlay is not None and overlay.covers("sw-disdukcapil-01") and not overlay.covers("edge-rsud-01")
    assert overlay.platform("sw-disdukcapil-01") == "netops_lab"
    assert overlay.secrets.password is not None
    assert overlay.secrets.password.get_secret_value() == state.secrets.password
    assert overlay.secrets.snmp.version == "v3"
    assert overlay.declared_name("sw-disdukcapil-01", "eth1") == "GigabitEthernet1/1/1"


def test_lab_being_built_is_not_an_overlay(city: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    save_state(path, _state(city, ["DISDUKCAPIL"]).model_copy(update={"phase": "building"}))
    assert active_overlay(load_config(REPO / "netops.yaml").model_copy(update={"lab_state": path})) is None


def test_the_lab_overlay_is_applied_only_when_the_caller_chooses_it(city: Inventory, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from netops.collect.nornir_init import build_nornir
    from netops.sources.nornir_plugin import NetopsInventory

    path = tmp_path / "state.json"
    state = _state(city, ["DISDUKCAPIL"])
    save_state(path, state)
    monkeypatch.setenv("NETOPS_USERNAME", "prod-user")
    config = load_config(REPO / "netops.yaml").model_copy(update={"lab_state": path})
    plain = NetopsInventory(config=config).load().hosts          # a lab is up, but nobody chose it
    assert plain["sw-disdukcapil-01"].platform != "netops_lab" and plain["sw-disdukcapil-01"].username == "prod-user"
    hosts = build_nornir(config, lab=active_overlay(config)).inventory.hosts
    assert hosts["sw-disdukcapil-01"].platform == "netops_lab"
    assert hosts["sw-disdukcapil-01"].username == "netopslab"
    assert hosts["sw-disdukcapil-01"].password == state.secrets.password
    outside = next(n for n in hosts if n not in state.plan.devices)
    assert hosts[outside].username == "prod-user" and hosts[outside].platform != "netops_lab"


def test_lldpcli_json0_neighbours_parsed_with_declared_local_names() -> None:
    doc = {"lldp": [{"interface": [
        {"name": "eth1", "chassis": [{"name": [{"value": "core-pd-01"}]}],
         "port": [{"id": [{"type": "local", "value": "xe-0/0/3"}]}]},
        {"name": "eth1", "chassis": [{"name": [{"value": "core-pd-02"}]}],
         "port": [{"id": [{"type": "local", "value": "xe-0/0/4"}]}]}]}]}
    got = parse_neighbors(doc, {"eth1": "sfp-sfpplus1"}.get)
    assert got == {"sfp-sfpplus1": [("core-pd-01", "xe-0/0/3"), ("core-pd-02", "xe-0/0/4")]}


def test_in_band_plan_routes_lan_devices_through_their_own_edge(city: Inventory) -> None:
    plan = build_plan(city, select_devices(city, ["DISDUKCAPIL"])[0])
    assert plan.mgmt == "inband" and plan.noc_gateway
    sw = plan.devices["sw-disdukcapil-01"]
    edge = plan.devices["edge-disdukcapil-01"]
    assert sw.mgmt_ip.endswith("/32") and sw.gateway == "198.18.19.129"
    assert {p.kind for p in sw.ports} == {"port", "bridge"} and all(p.bridge for p in sw.ports if not p.ipv4)
    routed = {r.prefix for r in edge.host_routes}
    assert f"{city.devices['sw-disdukcapil-01'].mgmt_ip}/32" in routed
    assert f"{city.devices['sw-disdukcapil-02'].mgmt_ip}/32" not in routed  # behind the other edge
    assert not edge.transit and plan.devices["core-pd-01"].transit


def test_ospf_costs_follow_capacity_and_length(city: Inventory) -> None:
    from netops.analysis.graph import routing_cost as ospf_cost
    assert ospf_cost(10_000, 15) == 10 and ospf_cost(1_000, 15) == 100 and ospf_cost(10_000, 2_500) == 12
    plan = build_plan(city, select_devices(city, ["DISDUKCAPIL"])[0])
    core = plan.devices["core-pd-01"]
    assert core.port("xe-0/0/0").ospf_cost == ospf_cost(city.links["BTM-FO-0001"].capacity_mbps,
                                                        city.links["BTM-FO-0001"].length_m)


def test_out_of_band_plan_keeps_the_management_bridge_addresses(city: Inventory) -> None:
    plan = build_plan(city, select_devices(city, ["DISDUKCAPIL"])[0], mgmt="oob")
    assert plan.noc_gateway is None and all(d.mgmt_ip.endswith("/16") for d in plan.devices.values())
