"""USM primitives without an agent: RFC 3414 key vectors, pysnmp's key derivation as a second
implementation, and v3 messages that must survive a round trip and fail on any tampering."""
from __future__ import annotations

import pysnmp.hlapi.v3arch.asyncio  # noqa: F401 - pysnmp's secmod modules import circularly on their own
import pytest
from pysnmp.proto.rfc1902 import OctetString
from pysnmp.proto.secmod.eso.priv import aes192, aes256
from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
from pysnmp.proto.secmod.rfc3414.localkey import hash_passphrase, localize_key
from pysnmp.proto.secmod.rfc7860.auth import hmacsha2

from netops.collect.snmp.ber import GET, GET_BULK
from netops.collect.snmp.errors import SnmpAuthError
from netops.collect.snmp.usm import KeyCache, UsmKeys, localize, password_to_key
from netops.collect.snmp.v3 import AUTH_FLAG, PRIV_FLAG, REPORTABLE_FLAG, decode_v3, encode_v3, pdu_bytes

ENGINE = bytes.fromhex("000000000000000000000002")  # RFC 3414 A.3
PYSNMP_ENGINE = OctetString(ENGINE)
AUTH_PW, PRIV_PW = b"auth-secret-123", b"priv-secret-456"
SYS_NAME = (1, 3, 6, 1, 2, 1, 1, 5, 0)


@pytest.mark.parametrize("hash_name, ku, kul", [
    ("md5", "9faf3283884e92834ebc9847d8edd963", "526f5eed9fcce26f8964c2930787d82b"),
    ("sha1", "9fb5cc0381497b3793528939ff788d5d79145211", "6695febc9288e36282235fc7151f128497b38f3f"),
])
def test_rfc3414_key_vectors(hash_name: str, ku: str, kul: str) -> None:
    master = password_to_key(hash_name, b"maplesyrup")
    assert master.hex() == ku
    assert localize(hash_name, master, ENGINE).hex() == kul


@pytest.mark.parametrize("auth", ["sha224", "sha256", "sha384", "sha512"])
def test_sha2_keys_match_pysnmp(auth: str) -> None:
    hash_fn = hmacsha2.HmacSha2.HASH_ALGORITHM[_PYSNMP_AUTH[auth]]
    ours = UsmKeys.derive(KeyCache(), ENGINE, auth, AUTH_PW, None, b"")
    assert ours.auth_key == bytes(localize_key(hash_passphrase(AUTH_PW, hash_fn), PYSNMP_ENGINE, hash_fn))


@pytest.mark.parametrize("auth", ["md5", "sha", "sha256"])
@pytest.mark.parametrize("priv, pysnmp_priv", [("aes192", aes192.Aes192), ("aes256", aes256.Aes256)])
def test_long_aes_keys_extend_like_pysnmp(auth: str, priv: str, pysnmp_priv: type) -> None:
    """AES-192/256 keys longer than the hash: extended as pysnmp (and Cisco) do."""
    hash_fn = {"md5": hmacmd5.md5, "sha": hmacsha.sha1}.get(
        auth) or hmacsha2.HmacSha2.HASH_ALGORITHM[_PYSNMP_AUTH[auth]]
    theirs = pysnmp_priv().localize_key(_PYSNMP_AUTH[auth], hash_passphrase(PRIV_PW, hash_fn), PYSNMP_ENGINE)
    ours = UsmKeys.derive(KeyCache(), ENGINE, auth, AUTH_PW, priv, PRIV_PW)
    assert ours.priv_key == bytes(theirs)


_PYSNMP_AUTH = {"md5": hmacmd5.HmacMd5.SERVICE_ID, "sha": hmacsha.HmacSha.SERVICE_ID,
                **{f"sha{n}": oid for oid, n in ((o, hmacsha2.HmacSha2.HASH_ALGORITHM[o]().digest_size * 8)
                                                 for o in hmacsha2.HmacSha2.HASH_ALGORITHM)}}


def test_master_key_is_derived_once_per_password() -> None:
    cache = KeyCache()
    a = UsmKeys.derive(cache, ENGINE, "sha", AUTH_PW, "aes", PRIV_PW)
    b = UsmKeys.derive(cache, b"\x80\x00\x1f\x88\x04other", "sha", AUTH_PW, "aes", PRIV_PW)
    assert len(cache._masters) == 2  # auth and priv password, shared by both engines
    assert a.auth_key != b.auth_key and a.priv_key != b.priv_key  # localised per engine


def _message(keys: UsmKeys, flags: int) -> bytes:
    pdu = pdu_bytes(GET_BULK, 4242, [SYS_NAME], 0, 25)
    return encode_v3(4242, flags, ENGINE, 7, 12345, b"netopsv3", b"", pdu, keys)


@pytest.mark.parametrize("auth, priv", [("sha", "aes"), ("md5", "des"), ("sha256", "aes256"),
                                        ("sha512", None), (None, None)])
def test_message_round_trip(auth: str | None, priv: str | None) -> None:
    keys = UsmKeys.derive(KeyCache(), ENGINE, auth, AUTH_PW, priv, PRIV_PW)
    flags = REPORTABLE_FLAG | (AUTH_FLAG if auth else 0) | (PRIV_FLAG if priv else 0)
    data = _message(keys, flags)
    if priv:
        assert b"\x2b\x06\x01\x02\x01\x01\x05" not in data  # the OID is not visible in clear
    reply = decode_v3(data, keys)
    assert (reply.engine_id, reply.boots, reply.time, reply.authenticated) == (ENGINE, 7, 12345, bool(auth))
    assert (reply.msg.pdu, reply.msg.request_id, reply.msg.error_index) == (GET_BULK, 4242, 25)
    assert reply.msg.varbinds == [(SYS_NAME, None)]


@pytest.mark.parametrize("priv", ["aes", "des"])
def test_tampered_or_foreign_messages_are_rejected(priv: str) -> None:
    keys = UsmKeys.derive(KeyCache(), ENGINE, "sha", AUTH_PW, priv, PRIV_PW)
    data = _message(keys, REPORTABLE_FLAG | AUTH_FLAG | PRIV_FLAG)
    for i in (len(data) - 1, len(data) // 2):
        tampered = bytearray(data)
        tampered[i] ^= 0x01
        with pytest.raises(SnmpAuthError):
            decode_v3(bytes(tampered), keys)
    other = UsmKeys.derive(KeyCache(), ENGINE, "sha", b"another-auth-key", priv, PRIV_PW)
    with pytest.raises(SnmpAuthError):
        decode_v3(data, other)
    with pytest.raises(SnmpAuthError):  # an authenticated answer to a session without keys
        decode_v3(data, None)


def test_unauthenticated_discovery_message_decodes_without_keys() -> None:
    data = encode_v3(9, REPORTABLE_FLAG, b"", 0, 0, b"", b"", pdu_bytes(GET, 9, ()), None)
    reply = decode_v3(data, None)
    assert (reply.engine_id, reply.authenticated, reply.msg.pdu, reply.msg.varbinds) == (b"", False, GET, [])


def test_no_key_material_in_repr() -> None:
    cache = KeyCache()
    keys = UsmKeys.derive(cache, ENGINE, "sha", AUTH_PW, "aes", PRIV_PW)
    for text in (repr(keys), str(keys), repr(cache)):
        for secret in (keys.auth_key, keys.priv_key, AUTH_PW, PRIV_PW):
            assert secret.hex() not in text and repr(secret) not in text
