"""SNMPv3 through pysnmp 7 (v3arch), behind the same Session interface as our v1/v2c client.

Why pysnmp here: USM (key localisation, engine discovery, time windows, AES/DES) is where
hand-rolled code goes wrong. One long-lived SnmpEngine: pysnmp's cost grows with every new
engine. Every pysnmp error is translated to netops.collect.snmp.errors in this module.
"""
from __future__ import annotations

from collections.abc import Sequence

from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
)
from pysnmp.hlapi.v3arch.asyncio import auth as _auth
from pysnmp.proto import errind, rfc1902, rfc1905

from netops.collect.snmp.ber import Exc, Oid, VarBind
from netops.collect.snmp.client import dotted, walk
from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.errors import SnmpAuthError, SnmpError, SnmpParseError, SnmpRefused, SnmpTimeout

_AUTH = {"md5": _auth.USM_AUTH_HMAC96_MD5, "sha": _auth.USM_AUTH_HMAC96_SHA,
         "sha1": _auth.USM_AUTH_HMAC96_SHA, "sha224": _auth.USM_AUTH_HMAC128_SHA224,
         "sha256": _auth.USM_AUTH_HMAC192_SHA256, "sha384": _auth.USM_AUTH_HMAC256_SHA384,
         "sha512": _auth.USM_AUTH_HMAC384_SHA512}
_PRIV = {"des": _auth.USM_PRIV_CBC56_DES, "3des": _auth.USM_PRIV_CBC168_3DES,
         "aes": _auth.USM_PRIV_CFB128_AES, "aes128": _auth.USM_PRIV_CFB128_AES,
         "aes192": _auth.USM_PRIV_CFB192_AES, "aes256": _auth.USM_PRIV_CFB256_AES}
_AUTH_ERRORS = (errind.UnknownUserName, errind.WrongDigest, errind.AuthenticationError,
                errind.AuthenticationFailure, errind.DecryptionError, errind.UnknownSecurityName,
                errind.UnsupportedSecurityLevel, errind.NotInTimeWindow, errind.NoAuthentication,
                errind.NoEncryption)
_PARSE_ERRORS = (errind.DeserializationError, errind.SerializationError)
_EXC = {rfc1905.NoSuchObject: Exc.NO_SUCH_OBJECT, rfc1905.NoSuchInstance: Exc.NO_SUCH_INSTANCE,
        rfc1905.EndOfMibView: Exc.END_OF_MIB_VIEW}


def _usm(creds: SnmpCredentials) -> UsmUserData:
    assert creds.user is not None
    return UsmUserData(
        creds.user,
        authKey=creds.auth_key.get_secret_value() if creds.auth_key else None,
        privKey=creds.priv_key.get_secret_value() if creds.priv_key else None,
        authProtocol=_AUTH[creds.auth_protocol] if creds.auth_protocol else _auth.USM_AUTH_NONE,
        privProtocol=_PRIV[creds.priv_protocol] if creds.priv_protocol else _auth.USM_PRIV_NONE)


def _value(v: object) -> object:
    """pysnmp value -> the plain Python value our own decoder would have produced."""
    exc = _EXC.get(type(v))  # type: ignore[call-overload]
    if exc is not None:
        return exc
    if isinstance(v, rfc1902.IpAddress):
        return ".".join(map(str, v.asOctets()))
    if isinstance(v, univ.OctetString):
        return v.asOctets()
    if isinstance(v, univ.ObjectIdentifier):
        return tuple(v)
    if isinstance(v, univ.Integer):
        return int(v)
    if isinstance(v, univ.Null):
        return None
    raise SnmpParseError(f"unexpected value type {type(v).__name__}")


def _translate(host: str, indication: object) -> SnmpError:
    text = f"{host}: {indication}"
    if isinstance(indication, errind.RequestTimedOut):
        return SnmpTimeout(text)
    if isinstance(indication, _AUTH_ERRORS):
        return SnmpAuthError(text)
    if isinstance(indication, _PARSE_ERRORS):
        return SnmpParseError(text)
    if "refused" in str(indication).lower():
        return SnmpRefused(text)
    return SnmpError(text)


class V3Backend:
    """The one SnmpEngine shared by every v3 session of an SnmpClient."""

    def __init__(self) -> None:
        self.engine = SnmpEngine()

    def close(self) -> None:
        self.engine.close_dispatcher()

    async def session(self, target: SnmpTarget, timeout: float, retries: int, max_repetitions: int,
                      max_requests: int) -> V3Session:
        try:
            transport = await UdpTransportTarget.create((target.host, target.port),
                                                        timeout=timeout, retries=retries)
        except PySnmpError as exc:
            raise SnmpError(f"{target.host}: {exc}") from None
        return V3Session(self.engine, target, _usm(target.credentials), transport,
                         max_repetitions, max_requests)


class V3Session:
    """A v3 device. Same contract as V2cSession: get(oids), bulk_walk(root)."""

    def __init__(self, engine: SnmpEngine, target: SnmpTarget, usm: UsmUserData,
                 transport: UdpTransportTarget, max_repetitions: int, max_requests: int):
        self._engine = engine
        self._host = target.host
        self._usm = usm
        self._transport = transport
        self._context = ContextData(contextName=target.credentials.context)
        self._max_rep = max_repetitions
        self._max_requests = max_requests

    def __repr__(self) -> str:
        return f"V3Session({self._host})"

    def _check(self, result: tuple) -> list[VarBind]:
        indication, status, index, varbinds = result
        if indication:
            raise _translate(self._host, indication)
        if status:
            raise SnmpError(f"{self._host} error-status {status.prettyPrint()} at varbind {index}")
        return [(tuple(name), _value(val)) for name, val in varbinds]

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        try:
            result = await get_cmd(self._engine, self._usm, self._transport, self._context,
                                   *(ObjectType(ObjectIdentity(dotted(o))) for o in oids),
                                   lookupMib=False)
        except (PySnmpError, PyAsn1Error) as exc:
            raise SnmpError(f"{self._host}: {exc}") from None
        return self._check(result)

    async def bulk_walk(self, root: Oid) -> list[VarBind]:
        return await walk(self._next_batch, root, self._max_requests)

    async def _next_batch(self, oid: Oid) -> list[VarBind]:
        try:
            result = await bulk_cmd(self._engine, self._usm, self._transport, self._context, 0,
                                    self._max_rep, ObjectType(ObjectIdentity(dotted(oid))),
                                    lookupMib=False)
        except (PySnmpError, PyAsn1Error) as exc:
            raise SnmpError(f"{self._host}: {exc}") from None
        return self._check(result)
