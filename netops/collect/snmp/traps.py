"""SNMP notifications at the NOC: linkDown/linkUp traps (v2c and v3), decoded with the project's own codec.

A trap arrives within a second of a cut, long before the next poll: the watch uses one as a reason to poll
now, never as the verdict itself (a trap can be lost, spoofed or late; the poll and the ranking decide). So
the receiver only has to be safe and honest: every datagram is decoded with the same BER codec and USM code
the poller uses, and anything malformed, with an unknown community, an unknown v3 user or a wrong key, or not
a notification at all, is counted under its reason and dropped; nothing a sender writes can stop it.

v3: the sender of a notification is the authoritative engine, so keys are localised to the engine ID the
message names (cached per engine and user). The time window is not checked (no engine-time cache per sender
yet): a replayed authentic trap only causes one extra poll.
"""
from __future__ import annotations

import socket
import threading
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from netops.collect.snmp.ber import (
    INFORM,
    SNMP_TRAP_OID,
    TRAP_V2,
    V2C,
    BerError,
    Message,
    Oid,
    decode_message,
)
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp.errors import SnmpAuthError
from netops.collect.snmp.usm import KeyCache, UsmKeys
from netops.collect.snmp.v3 import decode_v3

LINK_DOWN: Oid = (1, 3, 6, 1, 6, 3, 1, 1, 5, 3)
LINK_UP: Oid = (1, 3, 6, 1, 6, 3, 1, 1, 5, 4)
IF_INDEX: Oid = (1, 3, 6, 1, 2, 1, 2, 2, 1, 1)
NAMES = {LINK_DOWN: "linkDown", LINK_UP: "linkUp"}
MAX_DATAGRAM = 65535
KEPT = 1000          # the last traps kept for display; older ones are only counted


@dataclass(frozen=True)
class Trap:
    source: str
    version: str
    name: str                 # linkDown | linkUp | the notification's OID, dotted
    if_index: int | None


def _version(data: bytes) -> int:
    """The message's version field, or -1 when the bytes do not start like an SNMP message."""
    if len(data) < 5 or data[0] != 0x30:
        return -1
    pos = 2 + (data[1] & 0x7F if data[1] & 0x80 else 0)
    if pos + 2 >= len(data) or data[pos] != 0x02 or data[pos + 1] != 1:
        return -1
    return data[pos + 2]


class TrapDecoder:
    """Datagram -> Trap or None, counting each drop under its reason (`counts`)."""

    def __init__(self, accepted: Iterable[SnmpCredentials]):
        creds = list(accepted)
        self.communities = {c.community.get_secret_value().encode() for c in creds if c.community is not None}
        self.users = {c.user.encode(): c for c in creds if c.version == "3" and c.user}
        self._masters = KeyCache()
        self._keys: dict[tuple[bytes, bytes], UsmKeys] = {}
        self.counts: Counter[str] = Counter()

    def _keys_for(self, engine_id: bytes, user: bytes) -> UsmKeys | None:
        creds = self.users.get(user)
        if creds is None:
            raise SnmpAuthError("unknown user")
        found = self._keys.get((engine_id, user))
        if found is None and len(self._keys) < 10_000:      # bounded: one entry per sending engine
            found = self._keys[(engine_id, user)] = UsmKeys.derive(
                self._masters, engine_id, creds.auth_protocol,
                creds.auth_key.get_secret_value().encode() if creds.auth_key else b"", creds.priv_protocol,
                creds.priv_key.get_secret_value().encode() if creds.priv_key else b"")
        return found

    def decode(self, data: bytes, source: str) -> Trap | None:
        self.counts["received"] += 1
        version = _version(data)
        try:
            if version == 3:
                message = decode_v3(data, self._keys_for).msg
                label = "3"
            elif version == V2C:
                message = decode_message(data)
                if message.community not in self.communities:
                    return self._dropped("unknown community")
                label = "2c"
            else:
                return self._dropped("malformed" if version < 0 else f"unsupported version {version}")
        except BerError:
            return self._dropped("malformed")
        except SnmpAuthError as exc:
            return self._dropped("unknown user" if str(exc) == "unknown user" else "failed authentication")
        if message.pdu not in (TRAP_V2, INFORM):
            return self._dropped("not a notification")
        trap = _trap(message, source, label)
        if trap is None:
            return self._dropped("no snmpTrapOID")
        self.counts["accepted"] += 1
        return trap

    def _dropped(self, reason: str) -> Trap | None:
        self.counts[f"dropped: {reason}"] += 1
        return None


def _trap(message: Message, source: str, version: str) -> Trap | None:
    kind = next((v for oid, v in message.varbinds if oid == SNMP_TRAP_OID and isinstance(v, tuple)), None)
    if kind is None:
        return None
    if_index = next((v for oid, v in message.varbinds if oid[:len(IF_INDEX)] == IF_INDEX and isinstance(v, int)), None)
    return Trap(source, version, NAMES.get(kind, ".".join(map(str, kind))), if_index)


@dataclass
class TrapReceiver:
    """A UDP listener in its own thread; `link_event` is set whenever a linkDown or linkUp is accepted."""

    decoder: TrapDecoder
    host: str
    port: int
    link_event: threading.Event = field(default_factory=threading.Event)
    recent: deque[Trap] = field(default_factory=lambda: deque(maxlen=KEPT))
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _sock: socket.socket | None = None

    def start(self) -> TrapReceiver:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        self._sock.bind((self.host, self.port))
        self._sock.settimeout(0.5)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="netops-traps", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                data, addr = self._sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                break
            trap = self.decoder.decode(data, addr[0])
            if trap is not None:
                self.recent.append(trap)
                if trap.name in ("linkDown", "linkUp"):
                    self.link_event.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._sock is not None:
            self._sock.close()
