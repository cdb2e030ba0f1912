"""End to end over real SNMP: `netops sweep` against snmpsim serving LibreNMS device recordings.

Every recording in ../shared/data/librenms_snmprec answers on its own 127.0.4.x endpoint of one
snmpsim process, mapped to an inventory device of a scratch project (Juniper QFX5100, MikroTik
RouterOS, Cisco 2960X with CDP only, Huawei VRP, Arista EOS, HP ProCurve, Cisco NX-OS with LLDP
and CDP); one more device points at an address where nobody answers. What the sweep reports
is checked against the recordings themselves.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from tests.inventory_helpers import make_project

SNMPREC = Path(__file__).resolve().parents[3] / "shared" / "data" / "librenms_snmprec"
# inventory device -> (address it is swept at, recording that answers there, vendor it must report)
DEVICES = {"core-01": ("127.0.4.2", "junos_qfx5100", "Juniper"),
           "edge-diskominfo-01": ("127.0.4.3", "routeros", "MikroTik"),
           "edge-bapenda-01": ("127.0.4.4", "ios_2960x", "Cisco"),
           "sw-vrp-01": ("127.0.4.5", "vrp_5720", "Huawei"),
           "sw-arista-01": ("127.0.4.6", "arista_eos", "Arista"),
           "sw-procurve-01": ("127.0.4.7", "procurve", "HP"),
           "sw-nxos-01": ("127.0.4.8", "nxos_n3k-3064pq", "Cisco")}
EXTRA_SWITCHES = ("sw-vrp-01", "sw-arista-01", "sw-procurve-01", "sw-nxos-01")  # not in the fixture
DEAD = ("edge-dead-01", "127.0.4.9")
LLDP_REM_SYS_NAME = "1.0.8802.1.1.2.1.4.1.1.9."
CDP_DEVICE_ID = "1.3.6.1.4.1.9.9.23.1.2.1.1.6."
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1."


def recorded(recording: str, prefix: str) -> list[str]:
    """Values under an OID prefix, read straight from the .snmprec file (`4x` = hex octets)."""
    out = []
    for line in (SNMPREC / f"{recording}.snmprec").read_text(errors="replace").splitlines():
        oid, _, rest = line.partition("|")
        if oid.startswith(prefix):
            kind, _, value = rest.partition("|")
            out.append(bytes.fromhex(value).decode(errors="replace") if kind == "4x" else value)
    return out


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def snmpsim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if not SNMPREC.is_dir():
        pytest.skip(f"real device data not present at {SNMPREC}")
    responder = shutil.which("snmpsim-command-responder") or str(
        Path(sys.executable).parent / "snmpsim-command-responder"
    )
    root = tmp_path_factory.mktemp("snmpsim")
    (root / "data").mkdir()
    for _, recording, _ in DEVICES.values():
        # a scratch copy, not a symlink: snmpsim derives the community from the real path
        shutil.copyfile(SNMPREC / f"{recording}.snmprec", root / "data" / f"{recording}.snmprec")
    port = free_udp_port()
    args = [
        responder,
        f"--data-dir={root / 'data'}",
        f"--cache-dir={root / 'cache'}",
        "--log-level=error",
        *(f"--agent-udpv4-endpoint={address}:{port}" for address, _, _ in DEVICES.values()),
    ]
    proc = subprocess.Popen(
        args,
        env={**os.environ, "SNMPSIM_ALLOW_ROOT": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while (
            subprocess.run(
                [
                    "snmpget",
                    "-v2c",
                    "-c",
                    "routeros",
                    "-t",
                    "0.5",
                    "-r",
                    "0",
                    f"127.0.4.3:{port}",
                    "1.3.6.1.2.1.1.1.0",
                ],
                capture_output=True,
            ).returncode
            != 0
        ):
            if proc.poll() is not None or time.monotonic() > deadline:
                died = proc.stderr.read()[-500:] if proc.poll() is not None and proc.stderr else b""
                pytest.fail(f"snmpsim did not start answering within 60 s {died!r}")
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def project(tmp_path: Path, snmpsim: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "project")
    hosts = (root / "inventory" / "hosts.yaml").read_text()
    for i, name in enumerate(("core-01", "edge-diskominfo-01", "edge-bapenda-01")):
        hosts = hosts.replace(f"198.19.0.1{i + 1}", DEVICES[name][0])
    for name in EXTRA_SWITCHES:
        hosts += (f"{name}:\n  hostname: {DEVICES[name][0]}\n  groups: [platform_ios, pd_diskominfo]\n"
                  "  data: {role: access-switch, site: pusat-data}\n")
    hosts += (f"{DEAD[0]}:\n  hostname: {DEAD[1]}\n  groups: [platform_ios, pd_bapenda]\n"
              "  data: {role: access-switch, site: kantor-bapenda}\n")
    (root / "inventory" / "hosts.yaml").write_text(hosts)
    (root / "netops.yaml").write_text(
        f"inventory_dir: inventory\ntopology_dir: topology\nsweep: {{snmp_port: {snmpsim}}}\n"
    )
    secrets = tmp_path / "secrets.yaml"  # outside the project tree, private: as load_secrets demands
    secrets.write_text(
        "snmp: {community: nobody-home}\nhosts:\n"
        + "".join(f"  {name}: {{snmp: {{community: {rec}}}}}\n" for name, (_, rec, _) in DEVICES.items())
    )
    secrets.chmod(0o600)
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    monkeypatch.setenv("NETOPS_SECRETS_FILE", str(secrets))
    return root


def sweep_json(*args: str) -> tuple[int, dict]:
    # snmpsim is Python: under a loaded machine a 1 s window with no retry loses live devices
    result = CliRunner().invoke(cli, ["sweep", "--json", "--timeout", "2", "--retries", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def neighbour_names(device: dict) -> set[str]:
    return {n["remote_system_name"] for entries in device["lldp_neighbors"].values() for n in entries
            if n.get("remote_system_name_from", "system_name") == "system_name"} - {""}


def test_sweep_of_recorded_devices(project: Path) -> None:
    code, out = sweep_json()
    assert code == 1  # one device failed
    counts = out["counts"]
    assert (counts["devices"], counts["observed"], counts["failed"]) == (len(DEVICES) + 1, len(DEVICES), 1)
    assert list(out["failures"]) == [DEAD[0]]
    # nobody listens on the dead device's address: its ICMP port-unreachable makes it `refused` at once,
    # unless the kernel's machine-wide ICMP rate limit (1000/s, shared with everything else) dropped it
    assert out["failures"][DEAD[0]]["via"] == "snmp" and out["failures"][DEAD[0]]["reason"] in ("refused", "timeout")
    assert set(out["links"]) == {"BTM-FO-0001", "BTM-FO-0002"}
    # the recorded QFX's xe-0/0/0 sees "devicea", not the declared MikroTik: the far end is someone else
    assert out["links"]["BTM-FO-0001"]["state"] == "mismatched"
    assert "core-01 xe-0/0/0 sees devicea" in out["links"]["BTM-FO-0001"]["reason"]


@pytest.mark.parametrize("name", list(DEVICES))
def test_each_recorded_vendor_is_observed_as_recorded(project: Path, name: str) -> None:
    code, out = sweep_json("--filter", f"name={name}")
    assert code == 0
    device = out["devices"][name]
    _, recording, vendor = DEVICES[name]
    assert device["facts"]["vendor"] == vendor
    # interfaces are keyed by ifName: the ProCurve records two ports both named lo0
    assert len(device["interfaces"]) == len(set(recorded(recording, IF_NAME)))
    expected = set(recorded(recording, LLDP_REM_SYS_NAME)) | set(recorded(recording, CDP_DEVICE_ID))
    assert neighbour_names(device) == expected - {""}
    assert expected - {""}, "every recording used here has neighbours"


def test_recorded_neighbours_in_detail(project: Path) -> None:
    _, out = sweep_json("--pd", "DISKOMINFO", "--pd", "BAPENDA", "--role", "pd-edge")
    devices = out["devices"]
    assert {"remote_system_name": "S5120-Tech", "remote_system_name_from": "system_name",
            "remote_port": "GigabitEthernet1/0/17"} in \
        devices["edge-diskominfo-01"]["lldp_neighbors"]["WAN"]
    cdp = [n for entries in devices["edge-bapenda-01"]["lldp_neighbors"].values() for n in entries]
    assert len(cdp) == len(recorded("ios_2960x", CDP_DEVICE_ID)) == 7


def test_sweep_is_stored_and_listed(project: Path) -> None:
    code, out = sweep_json("--pd", "DISKOMINFO", "--role", "core", "--role", "pd-edge")
    assert code == 0 and out["counts"]["devices"] == 2 and out["snapshot_id"] is not None
    listed = json.loads(CliRunner().invoke(cli, ["snapshots", "list", "--json"]).stdout)
    assert [s["id"] for s in listed] == [out["snapshot_id"]] and listed[0]["request"]["pds"] == ["DISKOMINFO"]
    shown = json.loads(
        CliRunner().invoke(cli, ["snapshots", "show", str(out["snapshot_id"]), "--json"]).stdout
    )
    assert shown["devices"] == out["devices"] and shown["links"] == out["links"]


def test_wrong_community_is_a_failure_not_a_crash(project: Path, tmp_path: Path) -> None:
    code, out = sweep_json("--filter", "data__role=pd-edge", "--pd", "BAPENDA")
    assert code == 0 and list(out["devices"]) == ["edge-bapenda-01"]
    secrets = Path(os.environ["NETOPS_SECRETS_FILE"])
    secrets.write_text("snmp: {community: wrong}\n")
    code, out = sweep_json("--pd", "BAPENDA", "--role", "pd-edge")
    # v2c has no auth error on the wire: the agent stays silent, so the reason is a timeout
    assert code == 1 and out["failures"]["edge-bapenda-01"]["reason"] == "timeout"


def test_napalm_and_cli_failures_are_one_line_not_tracebacks(project: Path) -> None:
    """A real process (pytest's own log handlers would hide what a terminal shows)."""
    # nothing listens for SSH on 127.0.4.x: both collectors are refused, and say so in one line
    args = ["sweep", "--via", "napalm,cli", "--timeout", "1", "--role", "core"]
    command = [sys.executable, "-m", "netops", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout and "refused" in result.stdout
