"""Simulated devices: net-snmp `snmpd` agents answering on many loopback addresses (127.0.0.0/8).

Every address of 127.0.0.0/8 reaches `lo` with no setup, so one device per address lets an inventory
keep one SNMP port for all (as the sweep does) while each device has its own management address.
Agents are private (own config, persistent dir, log) and killed by PID. Used by the Dask runner
tests and by benchmarks/dask_sweep.py.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from netops.collect.snmp.ber import GET, V2C, decode_message, encode_request
from netops.collect.snmp.oids import SYS_NAME

COMMUNITY = "public"


def snmpd_path() -> str | None:
    return shutil.which("snmpd") or ("/usr/sbin/snmpd" if Path("/usr/sbin/snmpd").exists() else None)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loopback_addresses(n: int, first: str = "127.20.0.1") -> list[str]:
    """n consecutive addresses from `first` (within 127.0.0.0/8, skipping .0 and .255 host parts)."""
    a, b, c, d = (int(x) for x in first.split("."))
    out: list[str] = []
    while len(out) < n:
        if 0 < d < 255:
            out.append(f"{a}.{b}.{c}.{d}")
        d += 1
        if d > 255:
            d, c = 0, c + 1
            if c > 255:
                c, b = 0, b + 1
        if b > 255:
            raise ValueError("out of 127.0.0.0/8")
    return out


def start_agents(addresses: list[str], port: int, workdir: Path, count: int = 1) -> list[subprocess.Popen[bytes]]:
    """`count` snmpd processes sharing the addresses round-robin, all on `port`; listening addresses
    on the command line (snmpd.conf lines are limited to 1 KB)."""
    snmpd = snmpd_path()
    if snmpd is None:
        raise FileNotFoundError("net-snmp snmpd is not installed (apt-get install snmpd)")
    procs = []
    for k in range(count):
        d = workdir / f"agent{k}"
        (d / "persist").mkdir(parents=True)
        (d / "snmpd.conf").write_text(f"rocommunity {COMMUNITY} 127.0.0.0/8\nsysName loopback-agent-{k}\n")
        procs.append(subprocess.Popen(
            [snmpd, "-f", "-Lf", str(d / "snmpd.log"), "-C", "-c", str(d / "snmpd.conf"),
             "-p", str(d / "snmpd.pid"), *[f"udp:{a}:{port}" for a in addresses[k::count]]],
            env={**os.environ, "SNMP_PERSISTENT_DIR": str(d / "persist"), "MIBS": ""},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs


def wait_ready(addresses: list[str], port: int, procs: list[subprocess.Popen[bytes]], limit_s: float = 30.0) -> None:
    """Each given address answers a sysName GET (bounded in count and time)."""
    packet = encode_request(V2C, COMMUNITY.encode(), GET, 1, [SYS_NAME])
    end = time.monotonic() + limit_s
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.5)
        for address in addresses:
            while True:
                if any(p.poll() is not None for p in procs):
                    raise RuntimeError("an snmpd agent exited early (see its snmpd.log)")
                if time.monotonic() > end:
                    raise RuntimeError(f"agent on {address}:{port} did not answer within {limit_s:g} s")
                s.sendto(packet, (address, port))
                try:
                    decode_message(s.recvfrom(65535)[0])
                    break
                except TimeoutError:
                    continue


def stop_agents(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            os.kill(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=10)
