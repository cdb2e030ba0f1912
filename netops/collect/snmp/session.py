"""One SNMP session whatever the version: the PDU logic written once, the security as a strategy.

`PduSession` does what collectors ask (GET, with SNMPv1's missing-object dance; walks by GetBulk, or
GetNext on v1) and hands each PDU to its `Security`: a community string (v1/v2c, client.py) or USM
with keys, engine discovery and clock sync (v3.py). Both strategies talk to the socket through the
`Exchange` the client provides. client.py and v3.py import this module and ber.py, never each other's
sessions, so the package has no import cycle.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from netops.collect.snmp.ber import GET, GET_BULK, GET_NEXT, V1, Exc, Message, Oid, VarBind
from netops.collect.snmp.errors import SnmpError

Addr = tuple[str, int]
T = TypeVar("T")
_ERROR_STATUS = {1: "tooBig", 2: "noSuchName", 3: "badValue", 4: "readOnly", 5: "genErr",
                 6: "noAccess", 16: "authorizationError"}


class Session(Protocol):
    """What collectors use: the same for v1, v2c and v3."""

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]: ...

    async def bulk_walk(self, root: Oid) -> list[VarBind]: ...


class Exchange(Protocol):
    """What a security strategy needs from the client: one datagram out, its answer decoded, with
    the client's timeout and retries (a v1/v2c `request` must answer with a Response PDU)."""

    async def exchange(self, family: int, addr: Addr, packet_for: Callable[[int], bytes],
                       decode: Callable[[bytes], T]) -> T: ...

    async def request(self, family: int, addr: Addr, packet_for: Callable[[int], bytes]) -> Message: ...


class Security(Protocol):
    """How one PDU travels to the agent and back (community, or USM)."""

    async def send(self, pdu: int, oids: Sequence[Oid], nr: int = 0, mr: int = 0) -> Message: ...


def dotted(oid: Oid) -> str:
    return ".".join(map(str, oid))


async def walk(next_batch: Callable[[Oid], Awaitable[list[VarBind]]], root: Oid,
               max_requests: int) -> list[VarBind]:
    """Collect the subtree under root; stop at its end, on an exception value or an empty answer.

    A non-increasing OID or too many requests raise SnmpError carrying what was collected,
    so a buggy agent can never make us loop.
    """
    out: list[VarBind] = []
    n = len(root)
    last = root
    for _ in range(max_requests):
        try:
            batch = await next_batch(last)
        except SnmpError as exc:
            exc.partial = out
            raise
        if not batch:
            return out
        for oid, value in batch:
            if oid[:n] != root or isinstance(value, Exc):  # endOfMibView (or a broken agent's noSuch*)
                return out
            if oid <= last:
                raise SnmpError(f"OID not increasing: {dotted(oid)} after {dotted(last)}", out)
            out.append((oid, value))
            last = oid
    raise SnmpError(f"walk of {dotted(root)} stopped after {max_requests} requests", out)


class PduSession:
    """A device: GET, and walks by GetBulk (or GetNext on v1), each PDU sent through `security`."""

    __slots__ = ("_max_rep", "_max_requests", "_version", "addr", "label", "security")

    def __init__(self, security: Security, addr: Addr, version: int, *, max_repetitions: int,
                 max_requests: int, label: str) -> None:
        self.security = security
        self.addr = addr
        self.label = label
        self._version = version
        self._max_rep = max_repetitions
        self._max_requests = max_requests

    def __repr__(self) -> str:
        return f"Session({self.addr[0]}:{self.addr[1]}, {self.label})"

    def _fail(self, msg: Message) -> SnmpError:
        status = _ERROR_STATUS.get(msg.error_status, str(msg.error_status))
        return SnmpError(f"{self.addr[0]} error-status {status} at varbind {msg.error_index}")

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        """Values in request order; missing objects come back as Exc markers (also on v1)."""
        remaining = list(oids)
        missing: set[Oid] = set()
        for _ in range(len(oids) + 1):
            msg = await self.security.send(GET, remaining) if remaining else None
            if msg is None:
                break
            if msg.error_status == 2 and self._version == V1 and 0 < msg.error_index <= len(remaining):
                missing.add(remaining.pop(msg.error_index - 1))
                continue
            if msg.error_status:
                raise self._fail(msg)
            if not missing:
                return msg.varbinds
            got = dict(msg.varbinds)
            return [(o, Exc.NO_SUCH_OBJECT if o in missing else got.get(o, Exc.NO_SUCH_OBJECT))
                    for o in oids]
        return [(o, Exc.NO_SUCH_OBJECT) for o in oids]

    async def bulk_walk(self, root: Oid) -> list[VarBind]:
        return await walk(self._next_batch, root, self._max_requests)

    async def _next_batch(self, oid: Oid) -> list[VarBind]:
        if self._version == V1:
            msg = await self.security.send(GET_NEXT, (oid,))
            if msg.error_status == 2:  # v1 end of MIB
                return []
        else:
            msg = await self.security.send(GET_BULK, (oid,), 0, self._max_rep)
            while msg.error_status == 1 and self._max_rep > 1:  # tooBig: ask for less
                self._max_rep //= 2
                msg = await self.security.send(GET_BULK, (oid,), 0, self._max_rep)
        if msg.error_status:
            raise self._fail(msg)
        return msg.varbinds
