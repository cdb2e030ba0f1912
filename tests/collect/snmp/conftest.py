"""SNMP test agents on 127.0.0.1 only: snmpsim serving the LibreNMS recordings, and net-snmp snmpd.

Every agent is started here and killed by PID in the fixture teardown.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netops.collect.snmp.ber import GET, V2C, decode_message, encode_request
from netops.collect.snmp.oids import SYS_NAME

REPO = Path(__file__).resolve().parents[3]
RECORDINGS = REPO / ".." / "shared" / "data" / "librenms_snmprec"
SNMPSIM = Path(sys.executable).with_name("snmpsim-command-responder")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_agent(port: int, community: str, proc: subprocess.Popen, deadline_s: float = 60.0) -> None:
    """Poll sysName with our own encoder until the agent answers (bounded in count and time)."""
    packet = encode_request(V2C, community.encode(), GET, 1, [SYS_NAME])
    end = time.monotonic() + deadline_s
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.5)
        for _ in range(int(deadline_s / 0.5) + 1):
            if proc.poll() is not None:
                raise RuntimeError(f"agent exited early with code {proc.returncode}")
            if time.monotonic() > end:
                break
            s.sendto(packet, ("127.0.0.1", port))
            try:
                decode_message(s.recvfrom(65535)[0])
                return
            except TimeoutError:
                continue
    raise RuntimeError(f"agent on 127.0.0.1:{port} did not answer within {deadline_s}s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def recordings_dir() -> Path:
    if not RECORDINGS.is_dir():
        pytest.skip(f"LibreNMS recordings not present at {RECORDINGS.resolve()} (../shared/data)")
    return RECORDINGS.resolve()


@pytest.fixture(scope="module")
def snmpsim_agent(recordings_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """snmpsim on 127.0.0.1:<port>; community = recording name (files copied: symlinks do not work)."""
    if not SNMPSIM.exists():
        pytest.skip("snmpsim-command-responder not installed (pip install snmpsim pysmi)")
    root = tmp_path_factory.mktemp("snmpsim")
    (root / "data").mkdir()
    (root / "cache").mkdir()
    for rec in recordings_dir.glob("*.snmprec"):
        shutil.copy(rec, root / "data" / rec.name)
    port = free_udp_port()
    with open(root / "snmpsim.log", "wb") as log:
        proc = subprocess.Popen(
            [str(SNMPSIM), f"--data-dir={root / 'data'}", f"--cache-dir={root / 'cache'}",
             "--log-level=error", f"--agent-udpv4-endpoint=127.0.0.1:{port}"],
            env={**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_agent(port, "routeros", proc, deadline_s=120)
            yield port
        finally:
            stop(proc)


def start_snmpd(workdir: Path, config: str, port: int) -> subprocess.Popen:
    """A private net-snmp snmpd: own config, persistent dir, pid file, log file; foreground."""
    snmpd = shutil.which("snmpd") or ("/usr/sbin/snmpd" if Path("/usr/sbin/snmpd").exists() else None)
    if snmpd is None:
        pytest.skip("net-snmp snmpd not installed (apt-get install snmpd)")
    persist = workdir / "persist"
    persist.mkdir(parents=True, exist_ok=True)
    conf = workdir / "snmpd.conf"
    conf.write_text(config)
    proc = subprocess.Popen(
        [snmpd, "-f", "-Lf", str(workdir / "snmpd.log"), "-C", "-c", str(conf),
         "-p", str(workdir / "snmpd.pid")],
        env={**os.environ, "SNMP_PERSISTENT_DIR": str(persist), "MIBS": ""},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_agent(port, "public", proc, deadline_s=20)
    except BaseException:
        stop(proc)
        raise
    return proc


@pytest.fixture(scope="module")
def snmpd_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """start(config_text, port) -> process; every snmpd started is killed by PID at teardown."""
    procs: list[subprocess.Popen] = []

    def start(config: str, port: int) -> subprocess.Popen:
        proc = start_snmpd(tmp_path_factory.mktemp("snmpd"), config, port)
        procs.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in procs:
            stop(proc)


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """A currently free UDP port on 127.0.0.1."""
    return free_udp_port
