"""The NOC's trap receiver against net-snmp's own `snmptrap` on loopback (v2c and v3 authPriv, the real
sender), and against hostile datagrams: bad BER, unknown community, v3 with a wrong key or an unknown user,
a request instead of a notification. Every one is counted under its reason; none stops the receiver."""
from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from netops.collect.snmp.ber import GET, V2C, encode_message
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp.traps import TrapDecoder, TrapReceiver

COMMUNITY = "trap-" + os.urandom(4).hex()
USER = SnmpCredentials.v3("noc", auth_protocol="sha", auth_key="auth-" + os.urandom(4).hex(),
                          priv_protocol="aes", priv_key="priv-" + os.urandom(4).hex())
ENGINE = "0x80001f8804" + os.urandom(6).hex()
LINK_DOWN_ARGS = ["", "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.7", "i", "7", "1.3.6.1.2.1.2.2.1.8.7", "i", "2"]


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    found = TrapReceiver(TrapDecoder([SnmpCredentials.v2c(COMMUNITY), USER]), "127.0.0.1", 0).start()
    yield found
    found.stop()


def _send(args: list[str]) -> None:
    subprocess.run(["snmptrap", "-r", "0", "-t", "1", *args], check=True, timeout=10, capture_output=True,
                   env={**os.environ, "MIBS": "", "SNMPCONFPATH": "/nonexistent"})


def _v3(receiver: TrapReceiver, auth_key: str, user: str = "noc") -> list[str]:
    assert USER.priv_key is not None
    return ["-v", "3", "-e", ENGINE, "-u", user, "-l", "authPriv", "-a", "SHA", "-A", auth_key, "-x", "AES",
            "-X", USER.priv_key.get_secret_value(), f"127.0.0.1:{receiver.port}", *LINK_DOWN_ARGS]


def _wait(receiver: TrapReceiver, count: int) -> None:
    """Until `count` datagrams arrived and each was decided (accepted or dropped: v3 derives keys first)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        counts = receiver.decoder.counts
        decided = counts["accepted"] + sum(n for k, n in counts.items() if k.startswith("dropped"))
        if counts["received"] >= count and decided >= counts["received"]:
            return
        time.sleep(0.05)


def test_v2c_and_v3_link_down_from_net_snmp_are_accepted(receiver: TrapReceiver) -> None:
    assert USER.auth_key is not None
    _send(["-v", "2c", "-c", COMMUNITY, f"127.0.0.1:{receiver.port}", *LINK_DOWN_ARGS])
    _send(_v3(receiver, USER.auth_key.get_secret_value()))
    _wait(receiver, 2)
    assert [(t.version, t.name, t.if_index, t.source) for t in receiver.recent] == [

        ("2c", "linkDown", 7, "127.0.0.1"), ("3", "linkDown", 7, "127.0.0.1")], dict(receiver.decoder.counts)
    assert receiver.link_event.is_set() and receiver.decoder.counts["accepted"] == 2


def test_spoofed_and_malformed_datagrams_are_counted_and_dropped(receiver: TrapReceiver) -> None:
    _send(["-v", "2c", "-c", "guess", f"127.0.0.1:{receiver.port}", *LINK_DOWN_ARGS])
    _send(_v3(receiver, "wrong-auth-key"))
    _send(_v3(receiver, "whatever-key", user="intruder"))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for junk in (b"", b"\x30\x03\x02\x01", os.urandom(300), b"\x30\x82\xff\xff" + b"\0" * 10,
                     encode_message(V2C, COMMUNITY.encode(), GET, 1, [((1, 3, 6, 1, 2, 1, 1, 3, 0), None)])):
            sock.sendto(junk, ("127.0.0.1", receiver.port))
    _wait(receiver, 8)
    counts = receiver.decoder.counts
    assert counts["received"] == 8 and counts["accepted"] == 0 and not receiver.link_event.is_set()
    assert counts["dropped: unknown community"] == 1 and counts["dropped: failed authentication"] == 1
    assert counts["dropped: unknown user"] == 1 and counts["dropped: not a notification"] == 1
    assert counts["dropped: malformed"] == 4
    assert receiver._thread is not None and receiver._thread.is_alive()
