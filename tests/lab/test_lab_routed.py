"""The lab as the city's twin: routed in-band, vendor identities, traps, degraded and hung devices.

The issue's done-when cases (a)-(e) on the session's in-band lab; (f), `down` leaves nothing,
is test_teardown.py. Every test restores the lab and waits until every device answers again.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import networkx as nx
import pytest
from click.testing import CliRunner
from napalm import get_network_driver

from netops.analysis.forwarding import forwarding_path
from netops.analysis.graph import declared_graph, restrict
from netops.analysis.whatif import Failure, what_if
from netops.cli.main import cli
from netops.collect.base import CollectOptions
from netops.collect.nornir_init import build_nornir
from netops.collect.snmp.ber import SNMP_TRAP_OID, TRAP_V2, decode_message
from netops.collect.sweep import SweepRequest, sweep
from netops.lab.daemons import TRAP_PORT
from netops.lab.handle import LabHandle
from netops.lab.plan import NOC_ADDRESS
from netops.lab.system import alive
from netops.models.observation import FailureReason, Snapshot
from netops.sources.inventory import Inventory, load_inventory

pytestmark = pytest.mark.lab
OPTIONS = CollectOptions(timeout=1.0, retries=1, concurrency=200)
LINK_DOWN = (1, 3, 6, 1, 6, 3, 1, 1, 5, 3)
NOC = str(NOC_ADDRESS.ip)


@pytest.fixture(scope="module")
def city(lab: LabHandle) -> Inventory:
    return load_inventory(lab.config.inventory_dir, lab.config.topology_dir)


@pytest.fixture
def healthy(lab: LabHandle) -> Iterator[None]:
    lab.restore(None)
    assert lab.wait_for(lab.converged, timeout=30), "lab not reachable in-band before the test"
    yield
    lab.restore(None)
    lab.wait_for(lab.converged, timeout=30)


def lab_sweep(lab: LabHandle, city: Inventory) -> Snapshot:
    names = set(lab.devices)
    nr = build_nornir(lab.config, lab=lab.overlay).filter(filter_func=lambda h: h.name in names)
    return sweep(lab.config, city, SweepRequest(options=OPTIONS), nr=nr, lab=lab.overlay)


def sweep_until(lab: LabHandle, city: Inventory, done: Callable[[Snapshot], bool], limit: float = 30) -> Snapshot:
    deadline = time.monotonic() + limit
    while True:
        snapshot = lab_sweep(lab, city)
        if done(snapshot) or time.monotonic() > deadline:
            return snapshot
        time.sleep(1)


def router_graph(lab: LabHandle, without: set[str] = frozenset()) -> nx.MultiGraph:  # type: ignore[assignment]
    g = nx.MultiGraph()
    g.add_nodes_from(d.hostname for d in lab.plan.routers)
    g.add_edges_from((c.a.device, c.b.device, c.id) for c in lab.plan.cables.values()
                     if c.id not in without and c.a.device in g and c.b.device in g)
    return g


def gateway_core(lab: LabHandle) -> str:
    """The core router the NOC's route into the lab points at."""
    return next(d.hostname for d in lab.plan.devices.values()
                if d.noc_ip and d.noc_ip.split("/")[0] == lab.plan.noc_gateway)


def edge_serving(lab: LabHandle) -> tuple[str, list[str]]:
    """A PD edge router with its LAN devices (switches, APs that use it as gateway)."""
    owner = {p.ipv4.split("/")[0]: d.hostname for d in lab.plan.routers for p in d.bridges if p.ipv4}
    behind: dict[str, list[str]] = {}
    for dev in lab.plan.devices.values():
        if dev.gateway in owner:
            behind.setdefault(owner[dev.gateway], []).append(dev.hostname)
    edge = sorted(behind)[0]
    return edge, behind[edge]


def test_a_cut_duct_times_out_exactly_the_pds_behind_it(lab: LabHandle, city: Inventory, healthy: None) -> None:
    declared = restrict(declared_graph(city), lab.devices)
    declared.remove_edges_from([(u, v, k) for u, v, k in declared.edges(keys=True) if k not in lab.links])
    predictions = {d: what_if(declared, [Failure("duct", d)]) for d in lab.ducts}
    duct = max(predictions, key=lambda d: (len(predictions[d].isolated_devices), d))
    isolated = set(predictions[duct].isolated_devices)
    assert isolated, "the small lab has a duct whose cut isolates a PD"
    lab.cut_duct(duct)
    snapshot = sweep_until(lab, city, lambda s: set(s.failures) == isolated)
    assert {h: f.reason for h, f in snapshot.failures.items()} == {h: FailureReason.timeout for h in isolated}
    assert set(snapshot.observations) == set(lab.devices) - isolated


def test_b_dual_homed_pd_answers_after_a_cut_and_its_routed_path_changes(lab: LabHandle, city: Inventory,
                                                                          healthy: None) -> None:
    start = gateway_core(lab)
    before = sweep_until(lab, city, lambda s: not s.failures)
    chosen = None
    for edge in sorted(d.hostname for d in lab.plan.routers if d.role == "pd-edge"):
        path = forwarding_path(before.observations, start, lab.mgmt_address(edge))
        if path[-1] != edge or len(path) < 2:
            continue
        last = next((c.id for c in lab.plan.cables.values() if {c.a.device, c.b.device} == {path[-2], edge}), None)
        if last and nx.has_path(router_graph(lab, {last}), edge, start):
            chosen = (edge, path, last)
            break
    assert chosen, "the small lab has a PD edge router reachable over two diverse fibres"
    edge, path, cable = chosen
    lab.cut(cable)
    after = sweep_until(lab, city, lambda s: edge in s.observations and forwarding_path(
        s.observations, start, lab.mgmt_address(edge)) not in (path, [start]))
    new_path = forwarding_path(after.observations, start, lab.mgmt_address(edge))
    assert edge in after.observations and new_path[-1] == edge
    assert new_path != path, (path, new_path)
    assert (path[-2], edge) not in set(itertools.pairwise(new_path)), (cable, new_path)


def test_c_sweep_and_napalm_report_the_inventorys_vendor_model_serial_version(lab: LabHandle, city: Inventory,
                                                                            healthy: None) -> None:
    snapshot = sweep_until(lab, city, lambda s: not s.failures)
    assert set(snapshot.observations) == set(lab.devices)
    seen = {h: tuple(o.facts.get(k) for k in ("vendor", "model", "serial_number", "os_version"))
            for h, o in snapshot.observations.items()}
    declared = {h: (city.devices[h].vendor, city.devices[h].model, city.devices[h].serial, city.devices[h].os_version)
                for h in lab.devices}
    assert seen == declared
    assert all(all(v) for v in declared.values()), "every lab device declares vendor, model, serial, version"
    router = gateway_core(lab)
    driver = get_network_driver("netops_lab")(lab.mgmt_address(router), "netopslab", lab.state.secrets.password,
                                             timeout=20)
    with driver as d:
        facts = d.get_facts()
        running = d.get_config(retrieve="running")["running"]
    assert (facts["vendor"], facts["model"], facts["serial_number"], facts["os_version"]) == declared[router]
    lab_age = (datetime.now(UTC) - datetime.fromisoformat(lab.state.started_at)).total_seconds()
    assert 0 < facts["uptime"] <= lab_age + 1  # since the lab booted it, not the machine's uptime
    assert "router ospf" in running and "ip ospf network point-to-point" in running
    assert f"interface {lab.plan.devices[router].ports[0].declared}" in running  # FRR's eth1, declared


def _trap_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((NOC, TRAP_PORT))
    sock.settimeout(0.2)
    return sock


def test_d_link_down_trap_reaches_the_noc_within_3_s_of_a_cut(lab: LabHandle, healthy: None) -> None:
    cable = lab.plan.cables[lab.links[0]]
    with _trap_socket() as sock:
        drain_until = time.monotonic() + 1.5  # notifications of earlier tests
        while time.monotonic() < drain_until:
            with contextlib.suppress(TimeoutError):
                sock.recvfrom(65535)
        lab.cut(cable.id)
        cut_at = time.monotonic()
        got = None
        while got is None and time.monotonic() - cut_at < 3.0:
            try:
                data, _ = sock.recvfrom(65535)
            except TimeoutError:
                continue
            msg = decode_message(data)
            if msg.pdu == TRAP_V2 and dict(msg.varbinds).get(SNMP_TRAP_OID) == LINK_DOWN:
                got = (time.monotonic() - cut_at, msg)
    assert got is not None, "no linkDown trap at the NOC within 3 s of the cut"
    delay, msg = got
    assert msg.community == lab.state.secrets.community.encode()
    print(f"linkDown trap {delay:.2f} s after the cut")


def _ping_loss(address: str, count: int) -> float:
    out = subprocess.run(["ping", "-n", "-q", "-c", str(count), "-i", "0.05", "-W", "1", address],
                         capture_output=True, text=True, timeout=60, check=False).stdout
    match = re.search(r"([\d.]+)% packet loss", out)
    assert match, out
    return float(match.group(1))


def test_e_degraded_link_shows_as_loss_from_the_noc(lab: LabHandle, healthy: None) -> None:
    edge, behind = edge_serving(lab)  # the LAN cable from a PD edge to its switch: the switch's only path
    cable, target = next((c.id, c.b.device if c.a.device == edge else c.a.device) for c in lab.plan.cables.values()
                         if edge in (c.a.device, c.b.device) and {c.a.device, c.b.device} & set(behind))
    result = CliRunner().invoke(cli, ["lab", "fault", "degrade", cable, "--loss", "20", "--json"],
                                env={"NETOPS_LAB_STATE": str(lab.state_path)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["detail"] == {"loss_pct": 20}
    loss = _ping_loss(lab.mgmt_address(target), 100)
    assert 5 < loss < 80, loss  # 20 % each way: ~36 % of round trips
    lab.restore(cable)
    # 20 % loss each way can drop OSPF hellos (dead interval 3 s): after restore the adjacency may need a few
    # seconds to come back before the target answers again (bounded wait)
    assert lab.wait_for(lambda: _ping_loss(lab.mgmt_address(target), 20) < 10, timeout=20, interval=1)


def test_hung_router_times_out_while_the_pd_behind_it_answers(lab: LabHandle, city: Inventory,
                                                              healthy: None) -> None:
    edge, behind = edge_serving(lab)
    lab.hang(edge)
    snapshot = lab_sweep(lab, city)
    assert {h: f.reason for h, f in snapshot.failures.items()} == {edge: FailureReason.timeout}
    assert behind and set(behind) <= set(snapshot.observations)
    status = json.loads(CliRunner().invoke(cli, ["lab", "status", "--json"],
                                           env={"NETOPS_LAB_STATE": str(lab.state_path)}).stdout)
    assert [(f["kind"], f["target"]) for f in status["faults"]] == [("hang", edge)] and status["faults"][0]["at"]
    assert status["mgmt"] == "inband"


def test_ospf_down_router_drops_out_until_restored(lab: LabHandle, healthy: None) -> None:
    edge = sorted(d.hostname for d in lab.plan.routers if d.role == "pd-edge")[0]
    lab.ospf_down(edge)
    assert lab.wait_for(lambda: not lab.reachable([edge])[edge], timeout=10, interval=0.3)
    lab.restore(edge)
    assert lab.wait_for(lambda: lab.reachable([edge])[edge], timeout=20, interval=0.3)


@pytest.mark.parametrize("args", [["degrade", "NO-SUCH-LINK", "--loss", "5"], ["flap", "NO-SUCH-LINK"],
                                  ["hang", "no-such-device"], ["power-off", "no-such-device"],
                                  ["ospf-down", "no-such-device"], ["cut-duct", "NO-SUCH-DUCT"]])
def test_unknown_fault_target_is_one_line_exit_2_and_changes_nothing(lab: LabHandle, args: list[str]) -> None:
    before = lab.state.faults
    result = CliRunner().invoke(cli, ["lab", "fault", *args], env={"NETOPS_LAB_STATE": str(lab.state_path)})
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and args[1] in result.stderr
    assert lab.state.faults == before


def test_flap_toggles_the_cable_and_restore_ends_it(lab: LabHandle, healthy: None) -> None:
    cable = lab.plan.cables[lab.links[0]]
    a = cable.a
    dev = lab.plan.devices[a.device]

    def carrier() -> str:
        out = subprocess.run(["ip", "-n", dev.namespace, "-j", "link", "show", "dev", dev.port(a.interface).linux],
                             capture_output=True, text=True, timeout=10, check=True).stdout
        return str(json.loads(out)[0]["operstate"])

    result = CliRunner().invoke(cli, ["lab", "fault", "flap", cable.id, "--period", "2", "--count", "50", "--json"],
                                env={"NETOPS_LAB_STATE": str(lab.state_path)})
    assert result.exit_code == 0, result.output
    helper = json.loads(result.stdout)["pid"]
    assert lab.wait_for(lambda: carrier() == "DOWN", timeout=10, interval=0.1)
    assert lab.wait_for(lambda: carrier() == "UP", timeout=10, interval=0.1)  # and back: a flap, not a cut
    lab.restore(cable.id)
    assert not alive(helper)
    assert lab.wait_for(lambda: carrier() == "UP", timeout=5) and lab.wait_for(lab.lldp_converged, timeout=30)
