"""One loop, many devices: dead devices cost one timeout window in parallel, never serially."""
from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.poll import DeviceSnmpData, run_poll
from netops.models.observation import DeviceFailure

LIVE, DEAD, TIMEOUT, RETRIES, MARGIN = 15, 5, 1.0, 1, 1.5


def targets_for(ports: list[int]) -> list[SnmpTarget]:
    creds = SnmpCredentials.v2c("public")
    return [SnmpTarget(name=f"dev{i:02d}", host="127.0.0.1", port=p, credentials=creds)
            for i, p in enumerate(ports)]


@pytest.fixture(scope="module")
def live_ports(snmpd_factory, free_port) -> list[int]:  # type: ignore[no-untyped-def]
    ports = sorted({free_port() for _ in range(LIVE * 2)})[:LIVE]
    addrs = ",".join(f"udp:127.0.0.1:{p}" for p in ports)
    snmpd_factory(f"agentaddress {addrs}\nrocommunity public 127.0.0.1\nsysName sweep-agent\n", ports[0])
    return ports


@pytest.fixture
def dead_ports() -> Iterator[list[int]]:
    """Bound sockets that never answer: a device that is up but silent."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(DEAD)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        yield [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def test_dead_devices_do_not_serialise_the_sweep(live_ports: list[int], dead_ports: list[int]) -> None:
    ports = live_ports + dead_ports
    targets = targets_for(ports)
    seen: list[str] = []
    started = time.monotonic()
    results = run_poll(targets, "links", concurrency=20, timeout=TIMEOUT, retries=RETRIES,
                       progress_cb=lambda name, _: seen.append(name))
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT * (RETRIES + 1) + MARGIN, elapsed
    failures = {n: r for n, r in results.items() if isinstance(r, DeviceFailure)}
    assert sorted(failures) == [f"dev{i:02d}" for i in range(LIVE, LIVE + DEAD)]
    assert {r.reason for r in failures.values()} == {"timeout"}
    live = [r for r in results.values() if isinstance(r, DeviceSnmpData)]
    assert len(live) == LIVE and all(r.tables["if"] for r in live)
    assert sorted(seen) == sorted(results)


def test_concurrency_bound_holds(live_ports: list[int], dead_ports: list[int]) -> None:
    """5 slots, the 5 silent devices first: live ones can only finish once a slot frees up."""
    ports = dead_ports + live_ports
    targets = targets_for(ports)
    done: dict[str, float] = {}
    started = time.monotonic()
    results = run_poll(targets, "system", concurrency=DEAD, timeout=0.5, retries=0,
                       progress_cb=lambda name, _: done.setdefault(name, time.monotonic() - started))
    live_done = [t for n, t in done.items() if isinstance(results[n], DeviceSnmpData)]
    assert len(live_done) == LIVE and min(live_done) >= 0.5
    assert max(done.values()) < 0.5 + MARGIN
    assert sum(isinstance(r, DeviceFailure) for r in results.values()) == DEAD
