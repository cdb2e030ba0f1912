"""SNMPv3 against a real net-snmp snmpd, through the same poll API as v2c: every auth and privacy
protocol net-snmp and we share, and pysnmp as a second client that must read the same values."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from netops.collect.snmp import oids as O
from netops.collect.snmp.client import SnmpClient
from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.normalize import normalize
from netops.collect.snmp.poll import DeviceSnmpData, run_poll
from netops.models.observation import DeviceFailure
from tests.collect.snmp.conftest import start_snmpd, stop

USER, AUTH_KEY, PRIV_KEY, SYSNAME = "netopsv3", "auth-secret-123", "priv-secret-456", "netops-v3-test"
# user -> (our auth, our priv, net-snmp's createUser protocols); AES-192/256 with SHA-256 keys need no
# key extension, where net-snmp (Blumenthal) and Cisco/pysnmp (Reeder, ours) differ.
PROTOCOLS = {
    "umd5aes": ("md5", "aes", "MD5 {a} AES {p}"), "ushades": ("sha", "des", "SHA {a} DES {p}"),
    "usha224": ("sha224", "aes128", "SHA-224 {a} AES {p}"),
    "usha256": ("sha256", "aes192", "SHA-256 {a} AES192 {p}"),
    "usha256b": ("sha256", "aes256", "SHA-256 {a} AES256 {p}"),
    "usha384": ("sha384", "aes", "SHA-384 {a} AES {p}"), "usha512": ("sha512", "aes", "SHA-512 {a} AES {p}"),
    "uauthonly": ("sha", None, "SHA {a}"), "unoauth": (None, None, ""),
}
LEVEL = {2: "priv", 1: "auth", 0: "noauth"}
USM_NOT_IN_TIME_WINDOWS = O.oid("1.3.6.1.6.3.15.1.1.2.0")


def agent_config(port: int) -> str:
    users = "".join(f'createUser {u} {spec.format(a=AUTH_KEY, p=PRIV_KEY)}\n'
                    f"rouser {u} {LEVEL[(a is not None) + (p is not None)]}\n"
                    for u, (a, p, spec) in PROTOCOLS.items())
    return (f"agentaddress udp:127.0.0.1:{port}\ncreateUser {USER} SHA \"{AUTH_KEY}\" AES \"{PRIV_KEY}\"\n"
            f"rouser {USER} priv\n{users}rocommunity public 127.0.0.1\nsysName {SYSNAME}\n")


@pytest.fixture(scope="module")
def v3_port(snmpd_factory, free_port) -> int:  # type: ignore[no-untyped-def]
    port = free_port()
    snmpd_factory(agent_config(port), port)
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
    assert isinstance(result, DeviceFailure)
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
    assert isinstance(result, DeviceFailure) and result.reason in ("timeout", "refused"), result
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


def _creds(user: str) -> SnmpCredentials:
    auth, priv, _ = PROTOCOLS[user]
    return SnmpCredentials.v3(user, auth_protocol=auth, auth_key=AUTH_KEY if auth else None,  # type: ignore[arg-type]
                              priv_protocol=priv, priv_key=PRIV_KEY if priv else None)  # type: ignore[arg-type]


def _static(d: DeviceSnmpData) -> tuple[dict, list]:
    """What cannot change between two polls: system group without sysUpTime, ifTable names and types."""
    system = {k: v for k, v in d.system.items() if k != O.SYS_UPTIME}
    n = len(O.IF_ENTRY)
    return system, [(o, v) for o, v in d.tables["if"] if o[n] in (O.IF_DESCR, O.IF_TYPE, O.IF_MTU)]


@pytest.mark.parametrize("user", sorted(PROTOCOLS))
def test_every_protocol_reads_what_v2c_reads(v3_port: int, user: str) -> None:
    v2 = SnmpTarget(name="v2dev", host="127.0.0.1", port=v3_port, credentials=SnmpCredentials.v2c("public"))
    v3 = SnmpTarget(name="v3dev", host="127.0.0.1", port=v3_port, credentials=_creds(user))
    results = run_poll([v3, v2], "links", timeout=2.0, retries=1)
    a, b = results["v3dev"], results["v2dev"]
    assert isinstance(a, DeviceSnmpData) and isinstance(b, DeviceSnmpData), a
    assert _static(a) == _static(b) and _static(a)[1]


async def _pysnmp_read(port: int, user: str) -> tuple[dict, list]:
    """The same reads through pysnmp's own USM: system group and ifTable name/type/MTU columns."""
    from pyasn1.type import univ
    from pysnmp.hlapi.v3arch.asyncio import (
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        UdpTransportTarget,
        UsmUserData,
        bulk_walk_cmd,
        get_cmd,
    )
    from pysnmp.hlapi.v3arch.asyncio import auth as a

    auth, priv, _ = PROTOCOLS[user]
    protos = {"sha": a.USM_AUTH_HMAC96_SHA, "md5": a.USM_AUTH_HMAC96_MD5, "des": a.USM_PRIV_CBC56_DES,
              "aes": a.USM_PRIV_CFB128_AES, None: a.USM_PRIV_NONE}
    usm = UsmUserData(user, AUTH_KEY, PRIV_KEY if priv else None, authProtocol=protos[auth],
                      privProtocol=protos[priv]) if auth else UsmUserData(user)

    def plain(v: object) -> object:
        if isinstance(v, univ.ObjectIdentifier):
            return tuple(v)
        return v.asOctets() if isinstance(v, univ.OctetString) else int(v)  # type: ignore[call-overload]

    engine = SnmpEngine()
    try:
        target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=1)
        err, status, _, vbs = await get_cmd(engine, usm, target, ContextData(),
                                            *(ObjectType(ObjectIdentity(o)) for o in O.SYSTEM), lookupMib=False)
        assert not err and not status, err
        system = {tuple(k): plain(v) for k, v in vbs if tuple(k) != O.SYS_UPTIME}
        rows = []
        for column in (O.IF_DESCR, O.IF_TYPE, O.IF_MTU):
            async for err, status, _, vbs in bulk_walk_cmd(
                    engine, usm, target, ContextData(), 0, 25, ObjectType(ObjectIdentity(O.IF_ENTRY + (column,))),
                    lexicographicMode=False, lookupMib=False):
                assert not err and not status, err
                rows += [(tuple(k), plain(v)) for k, v in vbs]
        return system, rows
    finally:
        engine.close_dispatcher()


@pytest.mark.parametrize("user", ["umd5aes", "ushades", "uauthonly", "unoauth"])
def test_pysnmp_reads_the_same_values(v3_port: int, user: str) -> None:
    theirs = asyncio.run(_pysnmp_read(v3_port, user))
    target = SnmpTarget(name="v3dev", host="127.0.0.1", port=v3_port, credentials=_creds(user))
    ours = run_poll([target], "links", timeout=2.0, retries=1)["v3dev"]
    assert isinstance(ours, DeviceSnmpData), ours
    assert _static(ours) == theirs and theirs[1]


def test_agent_rebuilt_with_a_new_engine_id_is_rediscovered(tmp_path: Path, free_port) -> None:  # type: ignore[no-untyped-def]
    """snmpd restarted with a fresh engine ID: the session's next request gets an unknownEngineIDs
    report, rediscovers the engine, localises its keys again and retries."""
    port = free_port()
    config = agent_config(port)

    async def poll_twice() -> tuple[object, object, bytes, bytes]:
        async with SnmpClient(timeout=1.0, retries=1) as client:
            session = await client.session(_v3(port))
            before = await session.get([O.SYS_NAME])
            first_engine = session.security._engine_id  # type: ignore[attr-defined]
            stop(proc)
            restarted.append(start_snmpd(tmp_path, config, port))
            return before, await session.get([O.SYS_NAME]), first_engine, session.security._engine_id  # type: ignore[attr-defined]

    restarted: list = []
    proc = start_snmpd(tmp_path, config, port)
    try:
        before, after, first_engine, second_engine = asyncio.run(poll_twice())
    finally:
        for p in (proc, *restarted):
            stop(p)
    assert before == after == [(O.SYS_NAME, SYSNAME.encode())]
    assert first_engine and second_engine and first_engine != second_engine


def test_stale_clock_is_resynchronised_once(v3_port: int) -> None:
    """A session whose idea of the agent's engineTime is 1,000 s off (RFC 3414 allows 150 s) gets a
    notInTimeWindow report, takes the agent's time from it and succeeds on the one retry."""
    async def run() -> tuple[object, object]:
        async with SnmpClient(timeout=1.0, retries=0) as client:
            session = await client.session(_v3(v3_port))
            reports = (await session.get([USM_NOT_IN_TIME_WINDOWS]))[0][1]
            session.security._synced_at -= 1000  # type: ignore[attr-defined]  # as if the agent's clock ran slow
            return reports, await session.get([O.SYS_NAME, USM_NOT_IN_TIME_WINDOWS])

    reports_before, after = asyncio.run(run())
    assert after[0] == (O.SYS_NAME, SYSNAME.encode())  # type: ignore[index]
    assert after[1][1] == reports_before + 1  # type: ignore[index,operator]


def test_unsupported_privacy_protocol_is_a_clear_failure(v3_port: int) -> None:
    creds = SnmpCredentials.v3(USER, auth_protocol="sha", auth_key=AUTH_KEY, priv_protocol="3des",
                               priv_key=PRIV_KEY)
    result = run_poll([SnmpTarget(name="v3dev", host="127.0.0.1", port=v3_port, credentials=creds)],
                      "system", timeout=1.0, retries=0)["v3dev"]
    assert isinstance(result, DeviceFailure) and result.reason == "error"
    assert "3des is not supported" in result.message and PRIV_KEY not in result.message
