"""The small lab of the sample city, alive: LLDP, SNMP, SSH, the NAPALM driver and faults."""
from __future__ import annotations

import inspect
import subprocess

import pytest
from napalm import get_network_driver
from napalm.base import NetworkDriver, models
from napalm.base.test import helpers
from netmiko import ConnectHandler

from netops.lab.handle import LabHandle
from netops.lab.plan import CablePlan
from netops.lab.status import lab_status

pytestmark = pytest.mark.lab

LLDP_REM_SYSNAME = "1.0.8802.1.1.2.1.4.1.1.9"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
IF_ADMIN_STATUS = "1.3.6.1.2.1.2.2.1.7"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
UP, DOWN = "1", "2"  # ifOperStatus, numeric: Debian ships no IETF MIB files


def _ip(lab: LabHandle, host: str) -> str:
    return lab.plan.devices[host].mgmt_ip.split("/")[0]


def _snmp(lab: LabHandle, tool: str, host: str, oid: str) -> list[str]:
    """Values only, from net-snmp in the root namespace (2 s timeout, 1 retry)."""
    out = subprocess.run([tool, "-v2c", "-c", lab.state.secrets.community, "-t", "2", "-r", "1", "-Oqv",
                          _ip(lab, host), oid], capture_output=True, text=True, timeout=20, check=False)
    return [line.strip().strip('"') for line in out.stdout.splitlines() if line.strip()]


def _oper_status(lab: LabHandle, host: str, interface: str) -> str:
    ifindex = lab.plan.devices[host].port(interface).ifindex
    values = _snmp(lab, "snmpget", host, f"{IF_OPER_STATUS}.{ifindex}")
    return values[0] if values else "no answer"


def _sees(lab: LabHandle, cable: CablePlan) -> bool:
    """Both ends see each other in LLDP with the declared names."""
    a, b = cable.a, cable.b
    return ((b.device, b.interface) in lab.lldp_neighbors(a.device).get(a.interface, [])
            and (a.device, a.interface) in lab.lldp_neighbors(b.device).get(b.interface, []))


def _busiest_router(lab: LabHandle) -> str:
    counts = {h: sum(h in (c.a.device, c.b.device) for c in lab.plan.cables.values()) for h in lab.devices}
    return max(counts, key=lambda h: counts[h])


def test_small_lab_is_up_with_every_daemon(lab: LabHandle) -> None:
    report = lab_status(lab.state, str(lab.state_path))
    assert report["phase"] == "up"
    assert report["summary"]["devices"] == len(lab.devices) >= 10
    down = [(d["hostname"], name) for d in report["devices"] for name, ok in d["daemons"].items() if not ok]
    assert down == []
    assert len(lab.links) >= 10 and lab.ducts


def test_every_declared_link_is_an_lldp_adjacency(lab: LabHandle) -> None:
    lab.wait_for(lab.lldp_converged, timeout=15)  # an earlier test's restore may be a second old
    report = lab_status(lab.state, str(lab.state_path))
    assert {lk["id"]: lk["lldp"] for lk in report["links"]} == {cid: "both" for cid in lab.links}


def test_snmp_walk_of_lldp_remote_names_lists_declared_neighbours(lab: LabHandle) -> None:
    host = _busiest_router(lab)
    declared = sorted(c.b.device if c.a.device == host else c.a.device
                      for c in lab.plan.cables.values() if host in (c.a.device, c.b.device))
    assert sorted(_snmp(lab, "snmpbulkwalk", host, LLDP_REM_SYSNAME)) == declared


def test_snmp_ifname_reports_declared_port_names(lab: LabHandle) -> None:
    host = "sw-disdukcapil-01" if "sw-disdukcapil-01" in lab.devices else _busiest_router(lab)
    names = _snmp(lab, "snmpbulkwalk", host, IF_NAME)
    assert [p.declared for p in lab.plan.devices[host].ports] == [n for n in names if n not in ("lo", "mgmt0")]


def test_snmpv3_authpriv_get_of_sysname(lab: LabHandle) -> None:
    host = _busiest_router(lab)
    s = lab.state.secrets
    out = subprocess.run(["snmpget", "-v3", "-l", "authPriv", "-u", "netopslab", "-a", "SHA", "-A", s.auth_key,
                          "-x", "AES", "-X", s.priv_key, "-t", "2", "-r", "1", "-Oqv", _ip(lab, host), SYS_NAME],
                         capture_output=True, text=True, timeout=20, check=False)
    assert out.stdout.strip().strip('"') == host, out.stderr


def test_netmiko_linux_session_returns_output(lab: LabHandle) -> None:
    host = _busiest_router(lab)
    conn = ConnectHandler(device_type="linux", host=_ip(lab, host), username="netopslab",
                          password=lab.state.secrets.password, allow_agent=False, use_keys=False, timeout=10)
    try:
        assert conn.send_command("hostname").strip() == host
        assert "chassis" in conn.send_command("lldpcli -f json0 show neighbors")
    finally:
        conn.disconnect()


def test_napalm_driver_has_napalm_signatures() -> None:
    driver = get_network_driver("netops_lab")
    device = driver(hostname="test", username="u", password="p")
    for name, method in inspect.getmembers(device, inspect.ismethod):
        if not name.startswith("_") and hasattr(NetworkDriver, name):
            assert inspect.getfullargspec(method)[:4] == inspect.getfullargspec(getattr(NetworkDriver, name))[:4], name


def test_napalm_driver_getters_pass_napalm_shape_checks(lab: LabHandle) -> None:
    host = "edge-disdukcapil-01" if "edge-disdukcapil-01" in lab.devices else _busiest_router(lab)
    dev = lab.plan.devices[host]
    cable = next(c for c in lab.plan.cables.values() if host in (c.a.device, c.b.device))
    near, far = (cable.a, cable.b) if cable.a.device == host else (cable.b, cable.a)
    driver = get_network_driver("netops_lab")(_ip(lab, host), "netopslab", lab.state.secrets.password, timeout=20)
    with driver as d:
        assert helpers.test_model(models.AliveDict, d.is_alive()) and d.is_alive()["is_alive"]
        facts = d.get_facts()
        assert helpers.test_model(models.FactsDict, facts) and facts["hostname"] == host
        assert {p.declared for p in dev.ports} <= set(facts["interface_list"])
        interfaces = d.get_interfaces()
        assert all(helpers.test_model(models.InterfaceDict, v) for v in interfaces.values())
        assert interfaces[near.interface]["is_up"] and interfaces[near.interface]["is_enabled"]
        addresses = d.get_interfaces_ip()
        for port in dev.ports:
            if port.ipv4:
                ip, prefix = port.ipv4.split("/")
                assert addresses[port.declared]["ipv4"][ip] == {"prefix_length": int(prefix)}
        for entries in addresses.values():
            assert all(helpers.test_model(models.InterfacesIPDictEntry, e)
                       for fam in entries.values() for e in fam.values())
        neighbors = d.get_lldp_neighbors()
        assert all(helpers.test_model(models.LLDPNeighborDict, n) for v in neighbors.values() for n in v)
        assert {"hostname": far.device, "port": far.interface} in neighbors[near.interface]
        detail = d.get_lldp_neighbors_detail()
        assert all(helpers.test_model(models.LLDPNeighborDetailDict, n) for v in detail.values() for n in v)
        assert detail[near.interface][0]["remote_system_name"] == far.device
        config = d.get_config()
        assert helpers.test_model(models.ConfigDict, config) and f"interface {near.interface}" in config["running"]
        far_ip = lab.plan.devices[far.device].port(far.interface).ipv4
        if far_ip:
            ping = d.ping(far_ip.split("/")[0], count=2, timeout=1)
            assert helpers.test_model(models.PingDict, ping["success"])
            assert ping["success"]["packet_loss"] == 0
            assert all(helpers.test_model(models.PingResultDictEntry, r) for r in ping["success"]["results"])
    assert not d.is_alive()["is_alive"]


def test_cut_shows_in_ifoperstatus_and_lldp_then_restore(lab: LabHandle) -> None:
    cable = lab.plan.cables[lab.links[0]]
    a = cable.a
    lab.cut(cable.id)
    try:
        assert lab.wait_for(lambda: _oper_status(lab, a.device, a.interface) == DOWN, timeout=10)
        assert lab.wait_for(lambda: a.interface not in lab.lldp_neighbors(a.device), timeout=10)
        ifindex = lab.plan.devices[a.device].port(a.interface).ifindex
        assert _snmp(lab, "snmpget", a.device, f"{IF_ADMIN_STATUS}.{ifindex}") == [UP]  # light lost, port still on
    finally:
        lab.restore(cable.id)
    assert lab.wait_for(lambda: _oper_status(lab, a.device, a.interface) == UP, timeout=10)
    assert lab.wait_for(lambda: _sees(lab, cable), timeout=10)


def test_cut_duct_downs_every_link_in_it(lab: LabHandle) -> None:
    duct = next(d for d in lab.ducts if len(lab.plan.cables_in_duct(d)) >= 2)
    cables = lab.plan.cables_in_duct(duct)
    ends = [e for c in cables for e in c.ends()]
    lab.cut_duct(duct)
    try:
        # in-band, the far ends may be cut off from the NOC: LLDP (read locally) for every end,
        # ifOperStatus over SNMP for the ends that still answer
        assert lab.wait_for(lambda: all(not lab.lldp_neighbors(e.device).get(e.interface) for e in ends), timeout=10)
        answering = [e for e in ends if lab.reachable([e.device])[e.device]]
        assert answering, "the NOC side of the duct still answers"
        assert lab.wait_for(lambda: all(_oper_status(lab, e.device, e.interface) == DOWN for e in answering),
                            timeout=10)
    finally:
        lab.restore(duct)
    assert lab.wait_for(lambda: all(_sees(lab, c) for c in cables), timeout=10)


def test_silent_link_stays_up_but_loses_lldp(lab: LabHandle) -> None:
    cable = lab.plan.cables[lab.links[-1]]
    a = cable.a
    lab.silent(cable.id)
    try:
        assert lab.wait_for(lambda: a.interface not in lab.lldp_neighbors(a.device), timeout=10)
        assert _oper_status(lab, a.device, a.interface) == UP
    finally:
        lab.restore(cable.id)
    assert lab.wait_for(lambda: _sees(lab, cable), timeout=10)


def test_killed_device_is_unreachable_until_restored(lab: LabHandle) -> None:
    victim = next(h for h in lab.devices if lab.plan.devices[h].role == "ap")
    lab.kill(victim)
    try:
        assert _snmp(lab, "snmpget", victim, SYS_NAME) == []
        report = lab_status(lab.state, str(lab.state_path))
        assert not any(next(d for d in report["devices"] if d["hostname"] == victim)["daemons"].values())
    finally:
        lab.restore(victim)
    # in-band, a restored device answers once its daemons are up and the routes to it are back
    assert lab.wait_for(lambda: _snmp(lab, "snmpget", victim, SYS_NAME) == [victim], timeout=20, interval=1)
    assert lab.wait_for(lab.lldp_converged, timeout=15)
