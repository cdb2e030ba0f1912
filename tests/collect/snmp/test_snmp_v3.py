"""SNMPv3 authPriv (SHA/AES) against a real net-snmp snmpd, through the same poll API as v2c."""
from __future__ import annotations

import time

import pytest

from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.normalize import normalize
from netops.collect.snmp.poll import DeviceSnmpData, SnmpFailure, run_poll

USER, AUTH_KEY, PRIV_KEY, SYSNAME = "netopsv3", "auth-secret-123", "priv-secret-456", "netops-v3-test"


@pytest.fixture(scope="module")
def v3_port(snmpd_factory, free_port) -> int:  # type: ignore[no-untyped-def]
    port = free_port()
    snmpd_factory(f"""agentaddress udp:127.0.0.1:{port}
createUser {USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"
rouser {USER} priv
rocommunity public 127.0.0.1
sysName {SYSNAME}
""", port)
    return port


def _v3(port: int, auth: str = AUTH_KEY, priv: str = PRIV_KEY, user: str = USER) -> SnmpTarget:
    creds = SnmpCredentials.v3(user, auth_protocol="sha", auth_key=auth, priv_protocol="aes", priv_key=priv)
    return SnmpTarget(name="v3dev", host="127.0.0.1", port=port, credentials=creds)


def test_v3_authpriv_polls_system_and_walks_iftable(v3_port: int) -> None:
    result = run_poll([_v3(v3_port)], "links", timeout=2.0, retries=1)["v3dev"]
    assert isinstance(result, DeviceSnmpData), result
    got = normalize(result)
    assert got["facts"]["hostname"] == SYSNAME
    assert got["facts"]["vendor"] == "Net-SNMP"
    assert "Loopback" in got["interfaces"]  # `lo`, canonicalised
    assert got["interfaces"]["Loopback"]["is_up"] is True


def test_v3_and_v2c_give_the_same_system_group(v3_port: int) -> None:
    v2 = SnmpTarget(name="v2dev", host="127.0.0.1", port=v3_port, credentials=SnmpCredentials.v2c("public"))
    results = run_poll([_v3(v3_port), v2], "system", timeout=2.0, retries=1)
    a, b = results["v3dev"], results["v2dev"]
    assert isinstance(a, DeviceSnmpData) and isinstance(b, DeviceSnmpData)
    def no_uptime(d: DeviceSnmpData) -> dict:
        return {k: v for k, v in d.system.items() if k[-2] != 3}
    assert no_uptime(a) == no_uptime(b)


@pytest.mark.parametrize("kwargs, reasons", [
    ({"auth": "wrong-auth-key-1"}, {"auth"}),   # net-snmp answers with a usmStatsWrongDigests report
    ({"user": "nosuchuser"}, {"auth"}),         # usmStatsUnknownUserNames report
    ({"priv": "wrong-priv-key-1"}, {"timeout"}),  # observed: net-snmp drops what it cannot decrypt
])
def test_v3_bad_credentials_fail_cleanly(v3_port: int, kwargs: dict, reasons: set) -> None:
    started = time.monotonic()
    result = run_poll([_v3(v3_port, **kwargs)], "system", timeout=1.0, retries=1)["v3dev"]
    assert isinstance(result, SnmpFailure)
    assert result.reason in reasons, result
    assert time.monotonic() - started < 2 * 1.0 + 2.0
    for secret in (AUTH_KEY, PRIV_KEY, "wrong-auth-key-1", "wrong-priv-key-1"):
        assert secret not in result.message


@pytest.mark.parametrize("v3", [True, False])
def test_closed_port_fails_without_hanging(free_port, v3: bool) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    target = _v3(port) if v3 else SnmpTarget(name="v3dev", host="127.0.0.1", port=port,
                                             credentials=SnmpCredentials.v2c("public"))
    started = time.monotonic()
    result = run_poll([target], "full", timeout=0.5, retries=1)["v3dev"]
    assert isinstance(result, SnmpFailure) and result.reason in ("timeout", "refused"), result
    assert time.monotonic() - started < 2 * 0.5 + 2.0


def test_secrets_never_in_repr() -> None:
    creds = SnmpCredentials.v3(USER, auth_protocol="sha", auth_key=AUTH_KEY,
                               priv_protocol="aes", priv_key=PRIV_KEY)
    target = SnmpTarget(name="x", host="127.0.0.1", credentials=creds)
    community = SnmpCredentials.v2c("s3cret-community")
    texts = (repr(creds), str(creds), repr(target), creds.model_dump_json(), repr(community), str(community))
    for text in texts:
        assert AUTH_KEY not in text and PRIV_KEY not in text and "s3cret-community" not in text


def test_credentials_are_validated() -> None:
    with pytest.raises(ValueError):
        SnmpCredentials(version="2c")
    with pytest.raises(ValueError):
        SnmpCredentials.v3(USER, priv_protocol="aes", priv_key=PRIV_KEY)  # privacy without auth
    with pytest.raises(ValueError):
        SnmpCredentials.v3(USER, auth_protocol="sha", auth_key="short")
