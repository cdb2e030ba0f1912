"""NAPALM and CLI collectors against real sockets on 127.0.0.1: each way of failing has its reason.

refused: nothing listens on the port; timeout: something accepts TCP but never speaks SSH;
auth: a real OpenSSH server refuses the password. Every failure is data, never an exception.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.plugins.runners import ThreadedRunner

from netops.collect.base import CollectOptions
from netops.collect.cli_collector import CliCollector
from netops.collect.napalm_collector import NapalmCollector
from netops.collect.snmp_collector import credentials_from_secrets
from netops.models.observation import DeviceFailure, FailureReason
from netops.sources.secrets import SnmpSecrets

OPTIONS = CollectOptions(timeout=2.0, retries=0)


def free_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_host(port: int, platform: str = "ios") -> Nornir:
    ConnectionPluginRegister.auto_register()  # what InitNornir (build_nornir) does
    host = Host(
        name="edge-01",
        hostname="127.0.0.1",
        port=port,
        platform=platform,
        username="netops",
        password="wrong-password",
    )
    return Nornir(
        inventory=Inventory(hosts=Hosts({"edge-01": host}), groups=Groups(), defaults=Defaults()),
        runner=ThreadedRunner(num_workers=2),
    )


@pytest.fixture
def mute_listener() -> Iterator[int]:
    """Accepts TCP connections and says nothing: an SSH client waits for a banner that never comes."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    if not Path(binary).exists():
        pytest.fail("OpenSSH server (Debian package openssh-server) is required for this test")
    root = tmp_path_factory.mktemp("sshd")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / "host_key")], check=True)
    port = free_tcp_port()
    (root / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {root / 'host_key'}\nPidFile {root / 'sshd.pid'}\n"
        "PasswordAuthentication yes\nKbdInteractiveAuthentication no\nUsePAM no\nMaxAuthTries 2\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation directory sshd insists on
    proc = subprocess.Popen(
        [binary, "-D", "-e", "-f", str(root / "sshd_config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("sshd did not start")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


COLLECTORS = [pytest.param(NapalmCollector(), id="napalm"), pytest.param(CliCollector(), id="cli")]


def failure_of(collector, port: int) -> DeviceFailure:  # type: ignore[no-untyped-def]
    seen: list = []
    result = collector.collect(one_host(port), OPTIONS, seen.append)["edge-01"]
    assert seen == [result]
    assert isinstance(result, DeviceFailure), result
    assert result.via == collector.name and "wrong-password" not in result.message
    return result


@pytest.mark.parametrize("collector", COLLECTORS)
def test_closed_port_is_refused(collector) -> None:  # type: ignore[no-untyped-def]
    assert failure_of(collector, free_tcp_port()).reason == FailureReason.refused


@pytest.mark.parametrize("collector", COLLECTORS)
def test_silent_port_is_a_timeout(collector, mute_listener: int) -> None:  # type: ignore[no-untyped-def]
    assert failure_of(collector, mute_listener).reason == FailureReason.timeout


@pytest.mark.parametrize("collector", COLLECTORS)
def test_wrong_password_is_auth(collector, sshd: int) -> None:  # type: ignore[no-untyped-def]
    assert failure_of(collector, sshd).reason == FailureReason.auth


def test_platform_without_cli_dialect_is_unsupported() -> None:
    result = CliCollector().collect(one_host(22, platform="netops_lab"), OPTIONS, lambda r: None)["edge-01"]
    assert isinstance(result, DeviceFailure) and result.reason == FailureReason.unsupported


def test_snmp_secrets_map_to_client_credentials() -> None:
    v3 = credentials_from_secrets(
        SnmpSecrets(
            user="netops",
            auth_proto="SHA256",
            auth_key="a-long-key",
            priv_proto="AES256",
            priv_key="another-key",
        )
    )
    assert v3 is not None and (v3.version, v3.user, v3.auth_protocol, v3.priv_protocol) == (
        "3",
        "netops",
        "sha256",
        "aes256",
    )
    v2c = credentials_from_secrets(SnmpSecrets(community="kominfo-ro"))
    assert v2c is not None and v2c.version == "2c" and v2c.community.get_secret_value() == "kominfo-ro"
    both = SnmpSecrets(community="kominfo-ro", user="netops", auth_key="a-long-key", priv_key="another-key")
    assert credentials_from_secrets(both).version == "3"
    assert credentials_from_secrets(both, prefer="v2c").version == "2c"
    assert credentials_from_secrets(SnmpSecrets()) is None


def test_napalm_platform_without_driver_is_unsupported() -> None:
    result = NapalmCollector().collect(one_host(22, platform="nosuchos"), OPTIONS, lambda r: None)["edge-01"]
    assert isinstance(result, DeviceFailure) and result.reason == FailureReason.unsupported


def test_routeros_goes_through_napalm_ros_on_the_api_port() -> None:
    """Inventory platform `routeros` runs the community driver `ros`, which talks to port 8728."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 8728)) == 0:
            pytest.fail("something listens on 127.0.0.1:8728; this test needs it closed")
    nr = one_host(22, platform="routeros")
    result = NapalmCollector().collect(nr, OPTIONS, lambda r: None)["edge-01"]
    assert isinstance(result, DeviceFailure) and result.reason == FailureReason.refused, result
    assert nr.inventory.hosts["edge-01"].get_connection_parameters("napalm").platform == "ros"
