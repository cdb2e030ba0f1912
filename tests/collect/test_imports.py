"""Saved outputs of many vendors imported into snapshots, checked against the tools' own expected tables.

Oracles: SuzieQ's expected `lldp show` tables for its saved poller output, N2G's expected diagrams
for its per-device text files, ntc-templates' expected parses, NAPALM's own EOS getter results.
"""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import UTC
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from netops.cli.main import cli
from netops.collect.cli_collector import DIALECTS, parse_neighbours
from netops.collect.importers.registry import SPECS, command_matches, read_device
from netops.collect.importers.saved import MAX_FILE_BYTES, collect_pieces
from netops.models.names import canonical_interface
from tests.conftest import REPO, SHARED_DATA

LAB = SHARED_DATA / "lab_topologies"
NTC = SHARED_DATA / "ntc_templates"
FIXTURES = REPO / "tests" / "fixtures" / "imports"
NTC_PLATFORM = {"cisco_ios": "ios", "cisco_nxos": "nxos", "arista_eos": "eos", "juniper_junos": "junos",
                "huawei_vrp": "huawei_vrp", "mikrotik_routeros": "routeros"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def imported(path: Path, *options: str) -> dict:
    code, out = run("snapshots", "import", str(path), "--json", *options)
    assert code == 0, (out, CliRunner().invoke(cli, ["snapshots", "import", str(path), *options]).output)
    return json.loads(out)


def neighbours_of(snapshot_id: int) -> dict[str, dict]:
    code, out = run("snapshots", "show", str(snapshot_id), "--json")
    assert code == 0
    return json.loads(out)["devices"]


def quads(devices: dict[str, dict]) -> set[tuple[str, str, str, str]]:
    return {(host, port, n["remote_system_name"].split(".")[0], n["remote_port"])
            for host, d in devices.items() for port, ns in d["lldp_neighbors"].items() for n in ns}


@pytest.mark.parametrize("topology", ["single-attach_ospf_numbered", "dual-attach_evpn_ospf-ibgp"])
def test_suzieq_saved_output_gives_suzieq_expected_table(shared_data, topology: str):
    folder = LAB / "suzieq_dev" / topology
    result = imported(folder)
    expected_doc = yaml.safe_load((folder / "expected_lldp.yml").read_text())
    table = next(json.loads(t["output"]) for t in expected_doc["tests"] if t["command"].startswith("lldp show --format"))
    expected = {(r["hostname"], canonical_interface(r["ifname"]), r["peerHostname"], canonical_interface(r["peerIfname"]))
                for r in table}
    # the expected table lists some hosts (SuzieQ's test pins a sample); for those, ours is exactly it
    ours = {q for q in quads(neighbours_of(result["snapshot_id"])) if q[0] in {e[0] for e in expected}}
    assert expected and ours == expected
    # servers polled without lldpd running gave empty outputs: listed, never silently dropped
    assert all("empty output" in " ".join(d["skipped"]) for d in result["unreadable"])
    assert list(result["sources"]) == [str(folder / "lldp.output")] and len(result["sources"][str(folder / "lldp.output")]) == 64


def _ntc_raws() -> list:
    return [pytest.param(raw, id=raw.stem) for raw in sorted(NTC.glob("*/*/*.raw"))] if NTC.is_dir() else []


@pytest.mark.parametrize("raw", _ntc_raws())
def test_ntc_outputs_behind_an_abbreviated_prompt(shared_data, tmp_path: Path, raw: Path):
    """A technician's transcript: `host#sh lldp nei det` then the output, in `platform/host.txt`."""
    platform, command = raw.parent.parent.name, raw.parent.name.replace("_", " ")
    typed = " ".join("sh" if word == "show" else word[:4] for word in command.split())
    if platform == "mikrotik_routeros":
        typed = "/" + command
    folder = tmp_path / platform
    folder.mkdir()
    (folder / "dev1.txt").write_text(f"dev1#{typed}\n{raw.read_text()}")
    got = read_device("dev1", collect_pieces(tmp_path)[0]).observation
    assert got is not None
    dialect = DIALECTS[NTC_PLATFORM[platform]]
    direct = parse_neighbours(dialect, next(c for c in dialect.commands if c.lstrip("/") == command.lstrip("/")),
                              raw.read_text())
    # an empty system name falls back to the chassis id (as LibreNMS does); the direct parse keeps it empty
    def pairs(table):
        return Counter((canonical_interface(p), e["remote_system_name"] or e["remote_chassis_id"])
                       for p, es in table.items() for e in es)
    if "cdp" not in command:          # CDP entries are parsed one by one (see platforms/ntc.py): a superset
        assert pairs(got.lldp_neighbors_detail) == pairs(direct)
    else:
        assert pairs(direct) <= pairs(got.lldp_neighbors_detail)
    expected_rows = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    assert sum(len(v) for v in got.lldp_neighbors_detail.values()) == \
        len([r for r in expected_rows if r.get("local_interface") or r.get("interface")])


def _real_edges(graphml: Path) -> set[frozenset[str]]:
    edges = re.findall(r'<edge id="[^"]*" source="([^"]*)" target="([^"]*)"', graphml.read_text())
    return {frozenset((a.lower(), b.lower())) for a, b in edges if ":" not in a + b}


@pytest.mark.parametrize("expected", ["cisco_ios_nxos_all", "cisco_nxos_base", "cisco_nxos_combine_peers"])
def test_n2g_folders_give_n2g_expected_links(shared_data, expected: str):
    result = imported(LAB / "n2g" / "input")
    devices = neighbours_of(result["snapshot_id"])
    pairs = {frozenset((h, n.lower())) for h, _, n, _ in quads(devices)}
    graph = LAB / "n2g" / "expected" / f"should_be_test_cdp_drawing_yed_data_path_{expected}.graphml"
    assert _real_edges(graph) and _real_edges(graph) <= pairs
    # `show run` is not read, and says so
    assert any("show run" in s for d in result["devices"] for s in d["skipped"])


@pytest.mark.parametrize("case", ["normal", "issue903", "issue1153"])
def test_eos_json_equals_napalm_eos_getter(shared_data, tmp_path: Path, case: str):
    folder = SHARED_DATA / "napalm" / "eos" / "test_get_lldp_neighbors_detail" / case
    saved = tmp_path / "eos" / "sw1.txt"
    saved.parent.mkdir()
    saved.write_text("sw1#show lldp neighbors detail | json\n" + (folder / "show_lldp_neighbors__detail.json").read_text())
    got = read_device("sw1", collect_pieces(tmp_path)[0]).observation
    assert got is not None
    napalm = json.loads((folder / "expected_result.json").read_text())
    def key(e):
        return (e["remote_system_name"], e["remote_port"], e["remote_port_description"], e["remote_chassis_id"],
                e["remote_system_description"].strip(), sorted(e["remote_system_capab"]))
    assert {canonical_interface(p): sorted(map(key, es)) for p, es in napalm.items() if es} == \
        {p: sorted(map(key, es)) for p, es in got.lldp_neighbors_detail.items()}


def test_panos_text(shared_data):
    path = LAB / "suzieq_dev" / "panos_text" / "show_lldp_neighbors_all.txt"
    text = path.read_text()
    got = read_device("fw", collect_pieces(path, platform="panos")[0]).observation
    assert got is not None
    names = Counter(e["remote_system_name"] for es in got.lldp_neighbors_detail.values() for e in es)
    assert names == Counter(re.findall(r"^System name: (\S+)", text, re.MULTILINE))
    assert set(got.lldp_neighbors_detail) == set(re.findall(r"^Local interface: (\S+)", text, re.MULTILINE))


@pytest.mark.parametrize("file, platform, expected", [
    ("nxos_lldp_detail.json", "nxos", {("Ethernet1/1", "spine01.batam.go.id", "Ethernet1/49"),
                                       ("Ethernet1/2", "spine02", "Ethernet1/49")}),
    ("junos_lldp.json", "junos", {("xe-0/0/0", "core-02", "xe-0/0/1"), ("ge-0/0/3", "edge-bapenda-01", "514")}),
    # `eth1` is canonical `Ethernet1` (NAPALM's rule, the same for every collector)
    ("lldpctl_keyed.json", "linux", {("Ethernet1", "dist-batamcentre", "GigabitEthernet0/0/3")}),
    ("lldpctl.txt", "cumulus", {("Ethernet1", "sw-disdukcapil-01", "GigabitEthernet1/0/1"),
                                ("Ethernet2", "52:54:00:AA:BB:02", "52:54:00:aa:bb:02")}),
])
def test_written_samples_of_formats_without_recordings(file: str, platform: str, expected: set):
    got = read_device("dev", collect_pieces(FIXTURES / file, platform=platform)[0]).observation
    assert got is not None
    assert {(p, e["remote_system_name"], e["remote_port"]) for p, es in got.lldp_neighbors_detail.items()
            for e in es} == expected


def test_empty_sysname_falls_back_and_says_so():
    got = read_device("dev", collect_pieces(FIXTURES / "lldpctl.txt", platform="linux")[0]).observation
    assert got is not None
    unnamed = got.lldp_neighbors_detail["Ethernet2"][0]
    assert unnamed["remote_system_name_from"] == "chassis_id"
    assert got.lldp_neighbors_detail["Ethernet1"][0]["remote_system_capab"] == ["bridge", "router"]
    assert got.lldp_neighbors_detail["Ethernet1"][0]["remote_system_enable_capab"] == ["bridge"]


def test_mixed_folder_of_six_vendors_in_one_call(shared_data, tmp_path: Path):
    tmp_path = tmp_path / "saved"
    tmp_path.mkdir()
    (tmp_path / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")    # a screenshot in the zip
    for raw, host in ((NTC / "cisco_ios/show_lldp_neighbors_detail/cisco_ios_show_lldp_neighbors_detail1.raw", "ios1"),
                      (NTC / "arista_eos/show_lldp_neighbors_detail/arista_eos_show_lldp_neighbors_detail.raw", "eos1"),
                      (NTC / "juniper_junos/show_lldp_neighbors/juniper_junos_show_lldp_neighbors.raw", "junos1"),
                      (NTC / "huawei_vrp/display_lldp_neighbor/huawei_vrp_display_lldp_neighbor.raw", "vrp1")):
        (tmp_path / f"{host}.txt").write_text(raw.read_text())     # no prompt, no platform: told by the content
    shutil.copy(LAB / "suzieq_dev" / "panos_text" / "show_lldp_neighbors_all.txt", tmp_path / "fw1.txt")
    shutil.copy(LAB / "suzieq_dev" / "single-attach_ospf_numbered" / "lldp.output", tmp_path / "suzieq.output")
    result = imported(tmp_path)
    hosts = {d["host"]: d for d in result["devices"]}
    assert {"ios1", "eos1", "junos1", "vrp1", "fw1", "spine01", "leaf01"} <= set(hosts)
    assert all(hosts[h]["neighbours"] > 0 for h in ("ios1", "eos1", "junos1", "vrp1", "fw1", "spine01"))
    platforms = {used.rsplit("(", 1)[1].split(",")[0] for d in result["devices"] for used in d["used"]}
    assert {"ios", "eos", "junos", "vrp", "panos", "lldpd"} <= platforms
    assert len(result["refused_files"]) == 1 and "diagram.png" in result["refused_files"][0]


def test_importing_twice_gives_identical_snapshots(shared_data):
    folder = LAB / "suzieq_dev" / "dual-attach_evpn_ospf-ibgp"
    first, second = imported(folder), imported(folder)
    assert first["snapshot_id"] != second["snapshot_id"]
    a, b = (json.loads(run("snapshots", "show", str(r["snapshot_id"]), "--json")[1]) for r in (first, second))
    for volatile in ("snapshot_id", "started_at", "finished_at", "seconds"):
        a.pop(volatile), b.pop(volatile)
    assert a == b
    code, out = run("snapshots", "diff", str(first["snapshot_id"]), str(second["snapshot_id"]), "--json")
    assert code == 0 and not any(json.loads(out).get(k) for k in ("links", "devices_added", "devices_removed"))


def test_imported_snapshot_feeds_link_judgement_and_topology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A saved lldpctl of a declared device: its fibre is judged up, and topology check runs on the snapshot."""
    from tests.inventory_helpers import make_project
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    saved = tmp_path / "saved" / "linux"
    saved.mkdir(parents=True)
    (saved / "core-01.txt").write_text(
        "admin@core-01$ lldpctl\nInterface:    xe-0/0/0, via: LLDP, RID: 1, Time: 0 day, 00:01:12\n"
        "  Chassis:\n    ChassisID:    mac 52:54:00:aa:bb:01\n    SysName:      edge-diskominfo-01\n"
        "  Port:\n    PortID:       ifname sfp-sfpplus1\n")
    result = imported(tmp_path / "saved")
    code, out = run("snapshots", "show", str(result["snapshot_id"]), "--json")
    shown = json.loads(out)
    assert shown["request"]["kind"] == "import" and shown["links"]["BTM-FO-0001"]["state"] == "up"
    code, out = run("topology", "check", "--source", str(result["snapshot_id"]), "--json")
    assert code in (0, 1) and json.loads(out)["source"].startswith("observed")


def _hostile(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name == "huge.txt":
        with path.open("wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 10)
    elif name == "binary.txt":
        path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    elif name == "deep.json":
        path.write_text("[" * 5000 + "]" * 5000)
    elif name == "broken.json":
        path.write_text('[{"hostname": "a", "cmd": "lldpctl", "data": ')
    elif name == "not-suzieq.json":
        path.write_text('[1, 2, 3]')
    elif name == "empty.txt":
        path.write_text("  \n")
    return path


@pytest.mark.parametrize("name, message", [
    ("huge.txt", "saved outputs that large are refused"), ("binary.txt", "binary content"),
    ("deep.json", "nested"), ("broken.json", "not valid JSON"), ("not-suzieq.json", "entry without a hostname"),
    ("empty.txt", "empty file"), ("missing.txt", "file not found"),
])
def test_hostile_inputs_are_one_line_and_exit_2(tmp_path: Path, name: str, message: str):
    path = _hostile(tmp_path, name)
    result = CliRunner().invoke(cli, ["snapshots", "import", str(path), "--json"] +
                                (["--format", "suzieq"] if name == "not-suzieq.json" else []))
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_other_encodings_are_read(tmp_path: Path, encoding: str):
    text = FIXTURES.joinpath("lldpctl.txt").read_text().replace("uplink", "uplink café")
    (tmp_path / "sw.txt").write_bytes(("sw#lldpctl\n" + text).encode(encoding))
    got = read_device("sw", collect_pieces(tmp_path / "sw.txt", platform="linux")[0]).observation
    assert got is not None and got.lldp_neighbors_detail["Ethernet1"][0]["remote_port_description"] == "uplink café"


def test_unknown_platform_and_format_name_the_valid_ones(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    result = CliRunner().invoke(cli, ["snapshots", "import", str(tmp_path / "a.txt"), "--platform", "cisco_foo"])
    assert result.exit_code == 2 and "known:" in result.output and "nxos" in result.output


def test_unrecognised_output_is_listed_not_dropped(tmp_path: Path):
    tmp_path = tmp_path / "saved"
    tmp_path.mkdir()
    (tmp_path / "r1.txt").write_text("r1#show version\nCisco IOS XE Software, Version 17.06.05\n")
    result = imported(tmp_path)
    assert [d["host"] for d in result["unreadable"]] == ["r1"] and "show version" in result["unreadable"][0]["skipped"][0]


def test_command_abbreviations():
    assert command_matches("sh lldp nei det", "show lldp neighbors detail")
    assert command_matches("show lldp neighbors detail | json", "show lldp neighbors detail")
    assert command_matches("if systemctl status lldpd > /dev/null 2>&1; then sudo lldpctl; fi", "lldpctl")
    assert not command_matches("sh lldp nei", "show lldp neighbors detail")
    assert not command_matches("show cdp neighbors detail", "show lldp neighbors detail")


def test_every_parser_is_declared_once():
    keys = [(s.platform, s.command, s.fmt) for s in SPECS]
    assert len(keys) == len(set(keys))


def test_observed_means_the_latest_sweep_not_an_import(tmp_path: Path):
    """Importing one PD's LAN must not become the city's "observed" network."""
    from datetime import datetime

    from netops.models.observation import Snapshot
    from netops.store.db import Store
    from netops.store.snapshots import latest_snapshot, save_snapshot
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    now = datetime.now(UTC)
    sweep_id = save_snapshot(store, Snapshot(started_at=now, finished_at=now, actor="t", request={"via": ["snmp"]}))
    import_id = save_snapshot(store, Snapshot(started_at=now, finished_at=now, actor="t", request={"kind": "import"}))
    assert latest_snapshot(store).id == sweep_id
    assert latest_snapshot(store, include_imports=True).id == import_id


def test_a_folder_with_nothing_readable_is_one_error(tmp_path: Path):
    (tmp_path / "a.bin").write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(cli, ["snapshots", "import", str(tmp_path / "a.bin"), "--json"])
    assert result.exit_code == 2 and "binary content" in result.output
    folder = tmp_path / "only-binary"
    folder.mkdir()
    (folder / "b.bin").write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(cli, ["snapshots", "import", str(folder)])
    assert result.exit_code == 2 and "no file could be read" in result.output
