"""End to end over real SNMP: `netops sweep` against snmpsim serving LibreNMS device recordings.

Three inventory devices are mapped to 127.0.4.x endpoints of one snmpsim process, each
answering with a different real device's recording (Juniper QFX5100: LLDP, MikroTik RouterOS:
LLDP, Cisco 2960X: CDP only); a fourth points at an address where nobody answers. What the
sweep reports is checked against the recordings themselves.
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
# inventory device -> (address it is swept at, recording that answers there)
DEVICES = {
    "core-01": ("127.0.4.2", "junos_qfx5100"),
    "edge-diskominfo-01": ("127.0.4.3", "routeros"),
    "edge-bapenda-01": ("127.0.4.4", "ios_2960x"),
}
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
    for _, recording in DEVICES.values():
        # a scratch copy, not a symlink: snmpsim derives the community from the real path
        shutil.copyfile(SNMPREC / f"{recording}.snmprec", root / "data" / f"{recording}.snmprec")
    port = free_udp_port()
    args = [
        responder,
        f"--data-dir={root / 'data'}",
        f"--cache-dir={root / 'cache'}",
        "--log-level=error",
        *(f"--agent-udpv4-endpoint={address}:{port}" for address, _ in DEVICES.values()),
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
    for i, (address, _) in enumerate(DEVICES.values()):
        hosts = hosts.replace(f"198.19.0.1{i + 1}", address)
    hosts += (
        f"{DEAD[0]}:\n  hostname: {DEAD[1]}\n  groups: [platform_ios, pd_bapenda]\n"
        "  data: {role: access-switch, site: kantor-bapenda}\n"
    )
    (root / "inventory" / "hosts.yaml").write_text(hosts)
    (root / "netops.yaml").write_text(
        f"inventory_dir: inventory\ntopology_dir: topology\nsweep: {{snmp_port: {snmpsim}}}\n"
    )
    secrets = tmp_path / "secrets.yaml"  # outside the project tree, private: as load_secrets demands
    secrets.write_text(
        "snmp: {community: nobody-home}\nhosts:\n"
        + "".join(f"  {name}: {{snmp: {{community: {rec}}}}}\n" for name, (_, rec) in DEVICES.items())
    )
    secrets.chmod(0o600)
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    monkeypatch.setenv("NETOPS_SECRETS_FILE", str(secrets))
    return root


def sweep_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["sweep", "--json", "--timeout", "1", "--retries", "0", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def neighbour_names(device: dict) -> set[str]:
    return {n["remote_system_name"] for entries in device["lldp_neighbors"].values() for n in entries} - {""}


def test_sweep_of_recorded_devices(project: Path) -> None:
    code, out = sweep_json()
    assert code == 1  # one device failed
    assert out["counts"] | {"links": None} == {
        "devices": 4,
        "observed": 3,
        "failed": 1,
        "links": None,
        "new_adjacencies": out["counts"]["new_adjacencies"],
    }
    assert out["failures"][DEAD[0]]["reason"] == "timeout"
    devices = out["devices"]
    assert devices["core-01"]["facts"]["vendor"] == "Juniper"
    assert devices["edge-diskominfo-01"]["facts"]["vendor"] == "MikroTik"
    assert devices["edge-bapenda-01"]["facts"]["vendor"] == "Cisco"
    for name, (_, recording) in DEVICES.items():
        assert len(devices[name]["interfaces"]) == len(recorded(recording, IF_NAME)), name
    assert (
        neighbour_names(devices["core-01"])
        == set(recorded("junos_qfx5100", LLDP_REM_SYS_NAME))
        == {"devicea", "deviceb"}
    )
    assert neighbour_names(devices["edge-diskominfo-01"]) == set(recorded("routeros", LLDP_REM_SYS_NAME)) - {
        ""
    }
    assert {"remote_system_name": "S5120-Tech", "remote_port": "GigabitEthernet1/0/17"} in devices[
        "edge-diskominfo-01"
    ]["lldp_neighbors"]["WAN"]
    cdp = [n for entries in devices["edge-bapenda-01"]["lldp_neighbors"].values() for n in entries]
    assert len(cdp) == len(recorded("ios_2960x", CDP_DEVICE_ID)) == 7
    # the recorded QFX's xe-0/0/0 sees "devicea", not the declared MikroTik: the far end is someone else
    assert out["links"]["BTM-FO-0001"]["state"] == "mismatched"
    assert "core-01 xe-0/0/0 sees devicea" in out["links"]["BTM-FO-0001"]["reason"]
    assert set(out["links"]) == {"BTM-FO-0001", "BTM-FO-0002"}


def test_sweep_is_stored_and_listed(project: Path) -> None:
    code, out = sweep_json("--pd", "DISKOMINFO")
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
