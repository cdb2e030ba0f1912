"""Real devices, recorded by LibreNMS, served by snmpsim, polled by our client, normalised.

Expected values are computed here from the .snmprec text itself (oid|type|value lines),
independently of the collector; a few literal spot checks were read from the files by eye.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from napalm.base.helpers import canonical_interface_name

from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.normalize import normalize, to_observation
from netops.collect.snmp.poll import DeviceSnmpData, run_poll

DEVICES = ["arista_eos", "ios_2960x", "junos_qfx5100", "nxos_n3k-3064pq", "procurve", "routeros", "vrp_5720"]
VENDOR_BY_ENTERPRISE = {"9": "Cisco", "2636": "Juniper", "14988": "MikroTik", "2011": "Huawei", "11": "HP",
                        "30065": "Arista"}
IF_NAME, IF_DESCR, IF_ADMIN, IF_OPER = "1.3.6.1.2.1.31.1.1.1.1.", "1.3.6.1.2.1.2.2.1.2.", \
    "1.3.6.1.2.1.2.2.1.7.", "1.3.6.1.2.1.2.2.1.8."
IF_HIGH_SPEED, IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.15.", "1.3.6.1.2.1.31.1.1.1.6."
LLDP_REM_SYSNAME, LLDP_LOC_PORT_ID = "1.0.8802.1.1.2.1.4.1.1.9.", "1.0.8802.1.1.2.1.3.7.1.3."
CDP = "1.3.6.1.4.1.9.9.23.1.2.1.1."
ENT_CLASS, ENT_SERIAL, ENT_MODEL = "1.3.6.1.2.1.47.1.1.1.1.5.", "1.3.6.1.2.1.47.1.1.1.1.11.", \
    "1.3.6.1.2.1.47.1.1.1.1.13."
IP_AD_IFINDEX, IP_AD_MASK = "1.3.6.1.2.1.4.20.1.2.", "1.3.6.1.2.1.4.20.1.3."


def load(path: Path) -> dict[str, str]:
    """oid -> value as text ('4x' hex strings decoded)."""
    out = {}
    for line in path.read_text(errors="replace").splitlines():
        oid, kind, value = line.split("|", 2)
        out[oid] = bytes.fromhex(value).decode(errors="replace") if kind.endswith("x") else value
    return out


def column(rec: dict[str, str], prefix: str) -> dict[str, str]:
    """index (as dotted text) -> value for one column."""
    return {oid[len(prefix):]: v for oid, v in rec.items() if oid.startswith(prefix)}


def ifnames(rec: dict[str, str]) -> dict[str, str]:
    names, descrs = column(rec, IF_NAME), column(rec, IF_DESCR)
    return {i: canonical_interface_name(names.get(i) or descrs[i]) for i in set(names) | set(descrs)}


@pytest.fixture(scope="module")
def polled(snmpsim_agent: int) -> dict[str, DeviceSnmpData]:
    targets = [SnmpTarget(name=d, host="127.0.0.1", port=snmpsim_agent, credentials=SnmpCredentials.v2c(d))
               for d in DEVICES]
    results = run_poll(targets, "full", concurrency=len(DEVICES), timeout=10.0, retries=1)
    failed = {n: r for n, r in results.items() if not isinstance(r, DeviceSnmpData)}
    assert not failed
    return results  # type: ignore[return-value]


@pytest.fixture(scope="module")
def records(recordings_dir: Path) -> dict[str, dict[str, str]]:
    return {d: load(recordings_dir / f"{d}.snmprec") for d in DEVICES}


@pytest.mark.parametrize("device", DEVICES)
def test_facts_from_recording(device: str, polled: dict, records: dict) -> None:
    rec, facts = records[device], normalize(polled[device])["facts"]
    assert facts["hostname"] == rec["1.3.6.1.2.1.1.5.0"]
    assert facts["vendor"] == VENDOR_BY_ENTERPRISE[rec["1.3.6.1.2.1.1.2.0"].split(".")[6]]
    assert facts["uptime"] == int(rec["1.3.6.1.2.1.1.3.0"]) / 100
    assert set(facts["interface_list"]) == set(ifnames(rec).values())


# Where each recording keeps its identity, read from the files by eye; the values themselves are
# taken from the recording below. "chassis": the first chassis row of ENTITY-MIB, exact;
# an OID: that scalar, exact; "in:" + OID: a value parsed out of that text (must be a substring).
JNX_BOX_DESCR, JNX_BOX_SERIAL = "1.3.6.1.4.1.2636.3.1.2.0", "1.3.6.1.4.1.2636.3.1.3.0"
MTXR_SERIAL, MTXR_VERSION = "1.3.6.1.4.1.14988.1.1.7.3.0", "1.3.6.1.4.1.14988.1.1.4.4.0"
SYS_DESCR, ENT_DESCR, ENT_SOFTWARE = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.47.1.1.1.1.2.", "1.3.6.1.2.1.47.1.1.1.1.10."
IDENTITY_SOURCES = {
    "arista_eos": {"model": "chassis", "serial": "chassis", "version": "chassis"},
    "ios_2960x": {"model": "chassis", "serial": "chassis", "version": "chassis"},
    "junos_qfx5100": {"model": "in:" + JNX_BOX_DESCR, "serial": JNX_BOX_SERIAL, "version": "in:" + SYS_DESCR},
    "nxos_n3k-3064pq": {"model": "chassis", "serial": "chassis", "version": "in:" + SYS_DESCR},
    "procurve": {"model": "chassis", "serial": "chassis", "version": "chassis"},
    "routeros": {"model": "in:chassis-descr", "serial": MTXR_SERIAL, "version": MTXR_VERSION},
    "vrp_5720": {"model": "in:" + SYS_DESCR, "serial": "chassis", "version": "in:chassis"},
}
CHASSIS_COLUMN = {"model": ENT_MODEL, "serial": ENT_SERIAL, "version": ENT_SOFTWARE, "chassis-descr": ENT_DESCR}


def first_chassis_row(rec: dict[str, str]) -> str:
    return min((i for i, c in column(rec, ENT_CLASS).items() if c == "3"), key=int)


@pytest.mark.parametrize("device", DEVICES)
def test_identity_is_what_the_recording_holds(device: str, polled: dict, records: dict) -> None:
    rec, facts = records[device], normalize(polled[device])["facts"]
    for field, key in (("model", "model"), ("serial", "serial_number"), ("version", "os_version")):
        source, got = IDENTITY_SOURCES[device][field], facts[key]
        assert got, f"{device}: no {field}"
        parsed = source.startswith("in:")
        where = source.removeprefix("in:")
        if where in ("chassis", "chassis-descr"):
            held = rec[CHASSIS_COLUMN[field if where == "chassis" else where] + first_chassis_row(rec)]
        else:
            held = rec[where]
        assert (got in held and got != held) if parsed else got == held, (device, field, got, held)


@pytest.mark.parametrize("device", DEVICES)
def test_interfaces_from_recording(device: str, polled: dict, records: dict) -> None:
    rec, got = records[device], normalize(polled[device])
    names = ifnames(rec)
    unique = {i: n for i, n in names.items() if list(names.values()).count(n) == 1}
    assert len(got["interfaces"]) == len(set(names.values()))
    oper, admin, high, hc_in = (column(rec, p) for p in (IF_OPER, IF_ADMIN, IF_HIGH_SPEED, IF_HC_IN_OCTETS))
    for i, name in unique.items():
        iface = got["interfaces"][name]
        assert iface["is_up"] is (oper.get(i) == "1"), name
        assert iface["is_enabled"] is (admin.get(i) == "1"), name
        if int(high.get(i, "0")):
            assert iface["speed"] == float(high[i]), name
        if i in hc_in:
            assert got["interfaces_counters"][name]["rx_octets"] == int(hc_in[i]), name
    masks = column(rec, IP_AD_MASK)
    for addr, ifindex in column(rec, IP_AD_IFINDEX).items():
        if addr != "0.0.0.0" and ifindex in unique:
            bits = sum(int(o).bit_count() for o in masks[addr].split("."))
            assert got["interfaces_ip"][unique[ifindex]]["ipv4"][addr] == {"prefix_length": bits}


@pytest.mark.parametrize("device", DEVICES)
def test_lldp_and_cdp_neighbours_from_recording(device: str, polled: dict, records: dict) -> None:
    rec, got = records[device], normalize(polled[device])["lldp_neighbors_detail"]
    flat = [(port, n) for port, ns in got.items() for n in ns]
    lldp = [(port, n) for port, n in flat if n["protocol"] == "lldp"]
    expected_names = Counter(column(rec, LLDP_REM_SYSNAME).values())
    named = [n for _, n in lldp if n["remote_system_name_from"] == "system_name"]
    assert Counter(n["remote_system_name"] for n in named) == expected_names - Counter({"": expected_names[""]})
    unnamed = [n for _, n in lldp if n["remote_system_name_from"] != "system_name"]
    assert len(unnamed) == expected_names[""]          # an empty sysName falls back, flagged (as LibreNMS)
    for n in unnamed:
        assert n["remote_system_name"] in (n["remote_chassis_id"], (n["remote_system_description"] + "\n").splitlines()[0])
    names, loc_ids = ifnames(rec), column(rec, LLDP_LOC_PORT_ID)
    known = set(names.values())
    for index in column(rec, LLDP_REM_SYSNAME):
        parts = index.split(".")
        if len(parts) == 3 and parts[1] != "0":  # TimeMark.LocalPortNum.RemIndex
            loc = canonical_interface_name(loc_ids.get(parts[1], ""))
            expected = loc if loc in known else names[parts[1]]
            sysname = rec[LLDP_REM_SYSNAME + index]
            assert any(n["remote_system_name"] == sysname for n in got.get(expected, [])) or not sysname, \
                (expected, sysname)
    device_ids = column(rec, CDP + "6.")
    cdp = {(port, n["remote_system_name"], n["remote_port"]) for port, n in flat if n["protocol"] == "cdp"}
    expected_cdp = {(names[i.split(".")[0]], dev, canonical_interface_name(rec[CDP + "7." + i]))
                    for i, dev in device_ids.items()}
    assert cdp == expected_cdp


def test_spot_checks_read_from_the_files(polled: dict) -> None:
    mikrotik = normalize(polled["routeros"])["lldp_neighbors_detail"]
    wan = [(n["remote_system_name"], n["remote_port"]) for n in mikrotik["WAN"]]
    assert wan.count(("S5120-Tech", "GigabitEthernet1/0/17")) == 2  # mtxrNeighborInterfaceID -> ifIndex 3
    assert ("2530-blue_shed", "8") in wan
    cisco = normalize(polled["ios_2960x"])
    uplink = cisco["lldp_neighbors_detail"]["GigabitEthernet1/0/52"][0]
    assert (uplink["remote_system_name"], uplink["remote_port"], uplink["remote_management_address"]) == \
        ("acme-fr-s-001", "GigabitEthernet1/0/3", "10.54.64.5")
    assert (cisco["facts"]["model"], cisco["facts"]["serial_number"]) == ("WS-C2960X-48FPS-L", "FCW1929B68S")
    assert cisco["interfaces"]["VLAN99"]["description"] == "*** mgmt ***"
    huawei = normalize(polled["vrp_5720"])["lldp_neighbors_detail"]
    # local port by lldpLocPortId (GigabitEthernet0/0/14), not by ifIndex 14 (GigabitEthernet0/0/9)
    assert huawei["GigabitEthernet0/0/14"][0]["remote_system_name"] == "LNS-Huawei"
    junos = normalize(polled["junos_qfx5100"])["lldp_neighbors_detail"]
    assert [(n["remote_system_name"], n["remote_port"]) for n in junos["xe-0/0/0"]] == [("devicea", "2150")]
    nxos = normalize(polled["nxos_n3k-3064pq"])["lldp_neighbors_detail"]["Ethernet1/49"]
    assert {n["protocol"] for n in nxos} == {"lldp", "cdp"}
    assert {n["remote_management_address"] for n in nxos if n["protocol"] == "lldp"} == {"172.30.192.161"}


def test_observation_model_accepts_every_device(polled: dict) -> None:
    for data in polled.values():
        obs = to_observation(data)
        assert obs.via == "snmp" and obs.interfaces
