"""100 SNMPv3 authPriv devices at concurrency 200 on one socket: no spurious timeouts, same data as v2c.

Every device has the same user and keys (as in the lab); the agent is one snmpd listening on 100
ports. Speed is measured in benchmarks/snmp_bench.py, not here.
"""
from __future__ import annotations

import pytest

from netops.collect.snmp import oids as O
from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.poll import DeviceSnmpData, run_poll

DEVICES, CONCURRENCY = 100, 200
USER, AUTH_KEY, PRIV_KEY = "sweepv3", "sweep-auth-key", "sweep-priv-key"
V3 = SnmpCredentials.v3(USER, auth_protocol="sha", auth_key=AUTH_KEY, priv_protocol="aes", priv_key=PRIV_KEY)


@pytest.fixture(scope="module")
def ports(snmpd_factory, free_port) -> list[int]:  # type: ignore[no-untyped-def]
    ports = sorted({free_port() for _ in range(DEVICES * 2)})[:DEVICES]
    assert len(ports) == DEVICES
    listen = "".join(f"agentaddress udp:127.0.0.1:{p}\n" for p in ports)  # one per line: 1 KB line limit
    snmpd_factory(f'{listen}createUser {USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"\nrouser {USER} priv\n'
                  "rocommunity public 127.0.0.1\nsysName sweep-v3\n", ports[0])
    return ports


def _shape(d: DeviceSnmpData) -> tuple:
    """What cannot move between two sweeps even while other sessions add and remove interfaces
    on this host: sysName, the tables walked (and any broken walk), loopback's ifTable row."""
    lo = sorted((o[len(O.IF_ENTRY)], v) for o, v in d.tables["if"] if o[-1] == 1 and o[len(O.IF_ENTRY)] in
                (O.IF_DESCR, O.IF_TYPE, O.IF_MTU))
    return d.system[O.SYS_NAME], sorted(d.tables), d.errors, lo


def test_v3_sweep_at_high_concurrency_matches_v2c(ports: list[int]) -> None:
    def targets(creds: SnmpCredentials) -> list[SnmpTarget]:
        return [SnmpTarget(name=f"dev{i:03d}", host="127.0.0.1", port=p, credentials=creds)
                for i, p in enumerate(ports)]

    v3 = run_poll(targets(V3), "full", concurrency=CONCURRENCY, timeout=2.0, retries=1)
    v2 = run_poll(targets(SnmpCredentials.v2c("public")), "full", concurrency=CONCURRENCY, timeout=2.0, retries=1)
    failed = {n: r for n, r in v3.items() if not isinstance(r, DeviceSnmpData)}
    assert not failed, list(failed.values())[:3]
    assert all(isinstance(r, DeviceSnmpData) for r in v2.values())
    shapes = {n: _shape(r) for n, r in v3.items()}  # type: ignore[arg-type]
    assert shapes == {n: _shape(r) for n, r in v2.items()}  # type: ignore[arg-type]
    assert shapes["dev000"] == (b"sweep-v3", sorted(shapes["dev000"][1]), {},
                                [(O.IF_DESCR, b"lo"), (O.IF_TYPE, 24), (O.IF_MTU, 65536)])
    assert "ip_address" in shapes["dev000"][1]
