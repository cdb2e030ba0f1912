"""BER encoder/decoder: round trips, the wire format of known packets, malformed input."""
from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netops.collect.snmp.ber import (
    COUNTER32,
    COUNTER64,
    GAUGE32,
    GET,
    GET_BULK,
    IP_ADDRESS,
    RESPONSE,
    TIMETICKS,
    V1,
    V2C,
    BerError,
    Exc,
    Tagged,
    decode_message,
    encode_message,
    encode_request,
)

# Captured from net-snmp 5.9.3: `snmpget -v2c -c public HOST 1.3.6.1.2.1.1.5.0` (request-id 0x3d566e3d)
KNOWN_GET = bytes.fromhex("302902010104067075626c6963a01c02043d566e3d020100020100"
                          "300e300c06082b060102010105000500")
# and `snmpbulkwalk -v2c -c public -Cr25 HOST 1.3.6.1.2.1.2.2` (first request, request-id 0x49927aed)
KNOWN_BULK = bytes.fromhex("302802010104067075626c6963a51b020449927aed020100020119"
                           "300d300b06072b0601020102020500")

oids = st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20).flatmap(
    lambda tail: st.tuples(st.integers(0, 2), st.integers(0, 39)).map(lambda head: head + tuple(tail)))
values = st.one_of(
    st.none(), st.integers(-(2**31), 2**31 - 1), st.binary(max_size=300), oids,
    st.sampled_from(list(Exc)),
    st.integers(0, 2**32 - 1).map(lambda v: Tagged(COUNTER32, v)),
    st.integers(0, 2**32 - 1).map(lambda v: Tagged(GAUGE32, v)),
    st.integers(0, 2**32 - 1).map(lambda v: Tagged(TIMETICKS, v)),
    st.integers(0, 2**64 - 1).map(lambda v: Tagged(COUNTER64, v)),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: Tagged(IP_ADDRESS, ".".join(map(str, t)))),
)


def _plain(v: object) -> object:
    return v.value if isinstance(v, Tagged) else v


def test_encodes_like_net_snmp() -> None:
    assert encode_request(V2C, b"public", GET, 0x3D566E3D, [(1, 3, 6, 1, 2, 1, 1, 5, 0)]) == KNOWN_GET
    bulk = encode_request(V2C, b"public", GET_BULK, 0x49927AED, [(1, 3, 6, 1, 2, 1, 2, 2)], 0, 25)
    assert bulk == KNOWN_BULK


def test_decodes_known_packet() -> None:
    msg = decode_message(KNOWN_GET)
    assert (msg.version, msg.community, msg.pdu, msg.request_id) == (V2C, b"public", GET, 0x3D566E3D)
    assert msg.varbinds == [((1, 3, 6, 1, 2, 1, 1, 5, 0), None)]


def test_getbulk_carries_repetitions_in_error_fields() -> None:
    msg = decode_message(encode_request(V2C, b"c", GET_BULK, 7, [(1, 3, 6, 1)], 0, 25))
    assert (msg.pdu, msg.error_status, msg.error_index) == (GET_BULK, 0, 25)


def test_value_types_round_trip() -> None:
    vbs = [((1, 3, 6, 1, 2, 1, 1, 3, 0), Tagged(TIMETICKS, 4294967295)),
           ((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 1), Tagged(COUNTER64, 2**64 - 1)),
           ((1, 3, 6, 1, 2, 1, 4, 20, 1, 1, 10, 0, 0, 1), Tagged(IP_ADDRESS, "10.0.0.1")),
           ((1, 3, 6, 1, 2, 1, 1, 2, 0), (1, 3, 6, 1, 4, 1, 2636, 1, 1, 1, 4, 82, 5)),
           ((1, 3, 6, 1, 2, 1, 1, 1, 0), b"\x00\xffbinary"), ((1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 1), -129),
           ((1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2), Exc.END_OF_MIB_VIEW)]
    msg = decode_message(encode_message(V1, b"x", RESPONSE, 2**31 - 1, vbs))
    assert msg.varbinds == [(o, _plain(v)) for o, v in vbs]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**31 - 1), st.binary(max_size=40), st.lists(st.tuples(oids, values), max_size=30))
def test_round_trip_property(request_id: int, community: bytes, varbinds: list) -> None:
    msg = decode_message(encode_message(V2C, community, RESPONSE, request_id, varbinds))
    assert msg.request_id == request_id and msg.community == community
    assert msg.varbinds == [(o, _plain(v)) for o, v in varbinds]


@pytest.mark.parametrize("cut", range(1, len(KNOWN_GET)))
def test_every_truncation_is_a_parse_error(cut: int) -> None:
    with pytest.raises(BerError):
        decode_message(KNOWN_GET[:cut])


@pytest.mark.parametrize("data", [
    b"", b"\x30", b"\x31\x00", b"\x30\x84\xff\xff\xff\xff", b"\x30\x85\x00\x00\x00\x00\x00",
    KNOWN_GET.replace(b"\xa0\x1c", b"\xa9\x1c"),          # unknown PDU tag
    KNOWN_GET.replace(b"\x05\x00", b"\x09\x00"),          # unknown value tag
    KNOWN_GET.replace(b"\x06\x08\x2b", b"\x04\x08\x2b"),  # varbind name is not an OID
    KNOWN_GET + b"\x00",                                  # trailing garbage
    KNOWN_GET[:-2] + b"\x41\x00",                         # empty Counter32
    KNOWN_GET[:-12] + b"\x06\x08\x2b\x06\x01\x02\x01\x01\x05\x80" + b"\x05\x00",  # truncated OID arc
])
def test_malformed_packets_are_parse_errors(data: bytes) -> None:
    with pytest.raises(BerError):
        decode_message(data)


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_random_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(BerError):
        decode_message(data)


@settings(max_examples=1000, deadline=None)
@given(st.data())
def test_fuzz_mutated_valid_packets_never_crash(data: st.DataObject) -> None:
    packet = bytearray(encode_message(V2C, b"public", RESPONSE, 99, [
        ((1, 3, 6, 1, 2, 1, 1, 5, 0), b"router-1"), ((1, 3, 6, 1, 2, 1, 1, 3, 0), Tagged(TIMETICKS, 123)),
        ((1, 3, 6, 1, 2, 1, 1, 2, 0), (1, 3, 6, 1, 4, 1, 9, 1, 1208))]))
    for _ in range(data.draw(st.integers(1, 4))):
        packet[data.draw(st.integers(0, len(packet) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(BerError):
        decode_message(bytes(packet))
