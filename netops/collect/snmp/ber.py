"""Hand-written BER for the few SNMP v1/v2c messages a poller needs.

Why not pyasn1/pysnmp: their object model costs ~0.1 ms CPU per varbind; a sweep of
1,000 devices spends most of its time there. Here a varbind is decoded into a plain
``(oid_tuple, value)`` pair: int, bytes, None (NULL), tuple (OID), str (IpAddress) or
an :class:`Exc` marker (noSuchObject, noSuchInstance, endOfMibView).
Anything malformed raises :class:`BerError`; nothing else escapes :func:`decode_message`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from netops.collect.snmp.errors import SnmpParseError
from netops.collect.snmp.values import Exc as Exc  # re-exported: the codec's callers import them from here
from netops.collect.snmp.values import Oid as Oid
from netops.collect.snmp.values import Value as Value
from netops.collect.snmp.values import VarBind as VarBind

INTEGER, OCTET_STRING, NULL, OBJECT_ID, SEQUENCE = 0x02, 0x04, 0x05, 0x06, 0x30
IP_ADDRESS, COUNTER32, GAUGE32, TIMETICKS, OPAQUE, COUNTER64 = 0x40, 0x41, 0x42, 0x43, 0x44, 0x46
GET, GET_NEXT, RESPONSE, GET_BULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA5, 0xA8
INFORM, TRAP_V2 = 0xA6, 0xA7  # notifications an agent sends to a manager (received, never sent by netops)
SNMP_TRAP_OID = (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0)  # varbind 2 of every v2 notification: which one it is
V1, V2C = 0, 1


class Tagged(NamedTuple):
    """An explicitly typed value to encode (Counter32, Gauge32, TimeTicks, Counter64, IpAddress)."""

    tag: int
    value: int | bytes | str




class Message(NamedTuple):
    version: int
    community: bytes
    pdu: int
    request_id: int
    error_status: int
    error_index: int
    varbinds: list[VarBind]


class BerError(SnmpParseError):
    """The bytes are not a well-formed SNMP message."""


_UNSIGNED = frozenset((COUNTER32, GAUGE32, TIMETICKS, COUNTER64))
_EXC = {e.value: e for e in Exc}


# ---------------------------------------------------------------- encoding
def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def encode_tlv(tag: int, content: bytes) -> bytes:
    return bytes((tag,)) + _length(len(content)) + content


def encode_int_content(v: int) -> bytes:
    n = (v.bit_length() if v >= 0 else (~v).bit_length()) // 8 + 1
    return v.to_bytes(n, "big", signed=True)


def _oid_content(oid: Oid) -> bytes:
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] >= 40):
        raise BerError(f"cannot encode OID {oid!r}")
    out = bytearray()
    for arc in (oid[0] * 40 + oid[1], *oid[2:]):
        if arc < 0x80:
            out.append(arc)
            continue
        chunk = bytearray()
        while arc:
            chunk.append((arc & 0x7F) | 0x80)
            arc >>= 7
        chunk[0] &= 0x7F
        out += chunk[::-1]
    return bytes(out)


def encode_value(value: object) -> bytes:
    """One value as TLV; plain ints are INTEGER, bytes OCTET STRING, tuples OID."""
    if value is None:
        return b"\x05\x00"
    if isinstance(value, Exc):
        return bytes((value.value, 0))
    if isinstance(value, bool):
        raise BerError("bool is not an SNMP value")
    if isinstance(value, int):
        return encode_tlv(INTEGER, encode_int_content(value))
    if isinstance(value, bytes):
        return encode_tlv(OCTET_STRING, value)
    if isinstance(value, Tagged):
        tag, v = value
        if tag == IP_ADDRESS and isinstance(v, str):
            return encode_tlv(IP_ADDRESS, bytes(int(p) for p in v.split(".")))
        if tag in _UNSIGNED and isinstance(v, int) and v >= 0:
            return encode_tlv(tag, v.to_bytes(v.bit_length() // 8 + 1, "big"))
        if tag == OPAQUE and isinstance(v, bytes):
            return encode_tlv(OPAQUE, v)
    elif isinstance(value, tuple):
        return encode_tlv(OBJECT_ID, _oid_content(value))
    raise BerError(f"cannot encode value {value!r}")


def encode_message(version: int, community: bytes, pdu: int, request_id: int,
                   varbinds: Sequence[tuple[Oid, object]], error_status: int = 0,
                   error_index: int = 0) -> bytes:
    """A whole message. For GetBulk, error_status/error_index carry non-repeaters/max-repetitions."""
    vbs = b"".join(encode_tlv(SEQUENCE, encode_tlv(OBJECT_ID, _oid_content(oid)) + encode_value(val))
                   for oid, val in varbinds)
    body = (encode_tlv(INTEGER, encode_int_content(request_id)) + encode_tlv(INTEGER, encode_int_content(error_status))
            + encode_tlv(INTEGER, encode_int_content(error_index)) + encode_tlv(SEQUENCE, vbs))
    return encode_tlv(SEQUENCE, encode_tlv(INTEGER, encode_int_content(version)) + encode_tlv(OCTET_STRING, community)
                + encode_tlv(pdu, body))


def encode_request(version: int, community: bytes, pdu: int, request_id: int, oids: Sequence[Oid],
                   non_repeaters: int = 0, max_repetitions: int = 0) -> bytes:
    """A Get/GetNext/GetBulk request: every varbind value is NULL."""
    return encode_message(version, community, pdu, request_id, [(o, None) for o in oids],
                          non_repeaters, max_repetitions)


# ---------------------------------------------------------------- decoding
def read_header(data: bytes, pos: int, limit: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the TLV at pos, bounded by limit."""
    tag = data[pos]
    n = data[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        if k == 0 or k > 4:
            raise BerError(f"unsupported length form 0x{n:02x}")
        n = int.from_bytes(data[pos:pos + k], "big")
        pos += k
    end = pos + n
    if end > limit:
        raise BerError("truncated TLV")
    return tag, pos, end


def read_expected(data: bytes, pos: int, limit: int, tag: int) -> tuple[int, int]:
    t, start, end = read_header(data, pos, limit)
    if t != tag:
        raise BerError(f"expected tag 0x{tag:02x}, got 0x{t:02x}")
    return start, end


def _decode_oid(raw: bytes) -> Oid:
    if not raw:
        raise BerError("empty OID")
    if raw.isascii():  # every arc < 128: the common case, done in C
        first = raw[0]
        head = (first // 40, first % 40) if first < 80 else (2, first - 80)
        return head + tuple(raw[1:])
    arcs = []
    v = 0
    for b in raw:
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            arcs.append(v)
            v = 0
    if raw[-1] & 0x80:
        raise BerError("truncated OID arc")
    first = arcs[0]
    head = (first // 40, first % 40) if first < 80 else (2, first - 80)
    return head + tuple(arcs[1:])


def _decode_value(tag: int, raw: bytes) -> Value:
    if tag == OCTET_STRING:
        return raw
    if tag == INTEGER:
        if not raw:
            raise BerError("empty INTEGER")
        return int.from_bytes(raw, "big", signed=True)
    if tag in _UNSIGNED:
        if not raw:
            raise BerError("empty unsigned integer")
        return int.from_bytes(raw, "big")
    if tag == OBJECT_ID:
        return _decode_oid(raw)
    if tag == NULL:
        return None
    if tag == IP_ADDRESS:
        if len(raw) != 4:
            raise BerError("IpAddress is not 4 bytes")
        return f"{raw[0]}.{raw[1]}.{raw[2]}.{raw[3]}"
    if tag in _EXC:
        return _EXC[tag]
    if tag == OPAQUE:
        return raw
    raise BerError(f"unknown value tag 0x{tag:02x}")


def decode_message(data: bytes) -> Message:
    """Parse one SNMP v1/v2c message; raise BerError on anything malformed."""
    try:
        return _decode(data)
    except (IndexError, ValueError, TypeError) as exc:   # a BerError passes through as it is
        raise BerError(f"malformed message: {exc}") from exc


def read_int(data: bytes, pos: int, limit: int) -> tuple[int, int]:
    s, e = read_expected(data, pos, limit, INTEGER)
    if s == e:
        raise BerError("empty INTEGER")
    return int.from_bytes(data[s:e], "big", signed=True), e


def _decode(data: bytes) -> Message:
    total = len(data)
    s, end = read_expected(data, 0, total, SEQUENCE)
    if end != total:
        raise BerError("trailing bytes after message")
    version, pos = read_int(data, s, end)
    s, pos = read_expected(data, pos, end, OCTET_STRING)
    community = data[s:pos]
    pdu, pos, pdu_end = read_header(data, pos, end)
    if pdu not in (GET, GET_NEXT, RESPONSE, GET_BULK, REPORT, INFORM, TRAP_V2) or pdu_end != end:
        raise BerError(f"unexpected PDU 0x{pdu:02x}")
    request_id, pos = read_int(data, pos, pdu_end)
    error_status, pos = read_int(data, pos, pdu_end)
    error_index, pos = read_int(data, pos, pdu_end)
    pos, vbl_end = read_expected(data, pos, pdu_end, SEQUENCE)
    if vbl_end != pdu_end:
        raise BerError("trailing bytes after varbind list")
    varbinds: list[VarBind] = []
    append = varbinds.append
    header, decode_oid, decode_value = read_header, _decode_oid, _decode_value
    while pos < vbl_end:  # hot loop: short-form lengths inline, long form via read_header
        tag, s, vb_end = header(data, pos, vbl_end)
        if tag != SEQUENCE:
            raise BerError("varbind is not a SEQUENCE")
        n = data[s + 1]
        if data[s] != OBJECT_ID or n & 0x80:
            raise BerError("varbind name is not a short OID")
        oid_end = s + 2 + n
        if oid_end > vb_end:
            raise BerError("truncated OID")
        oid = decode_oid(data[s + 2:oid_end])
        tag = data[oid_end]
        n = data[oid_end + 1]
        if n & 0x80:
            tag, s, val_end = header(data, oid_end, vb_end)
        else:
            s, val_end = oid_end + 2, oid_end + 2 + n
        if val_end != vb_end:
            raise BerError("varbind length mismatch")
        append((oid, data[s:val_end] if tag == OCTET_STRING else decode_value(tag, data[s:val_end])))
        pos = vb_end
    return Message(version, bytes(community), pdu, request_id, error_status, error_index, varbinds)
