"""SNMP client: v1, v2c and v3 over one shared asyncio UDP socket, one interface.

Why one socket: thousands of devices polled from one event loop need no thread and no
socket per device; responses are matched to requests by request-id (v3: msgID) and source
address. A session (session.py) is the same for every version; its security is a strategy:
`CommunitySecurity` here for v1/v2c, USM in v3.py, both talking through `exchange`.

A closed port answers with an ICMP port-unreachable. An unconnected socket is not told which
request that was, so on Linux the socket asks for its ICMP errors (IP_RECVERR): each comes back
on the error queue with the datagram that caused it, whose id names the request, which fails
at once as `refused` instead of waiting out every retry. With IP_RECVERR a pending error also
fails the socket's next send (to any device): `send` reads the error queue and sends again, so
one closed port never costs another device its datagram.
"""
from __future__ import annotations

import asyncio
import errno
import ipaddress
import itertools
import random
import socket
import struct
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar

from netops.collect.snmp.ber import (
    OCTET_STRING,
    RESPONSE,
    SEQUENCE,
    V1,
    V2C,
    BerError,
    Message,
    Oid,
    decode_message,
    encode_request,
    read_expected,
    read_header,
    read_int,
)
from netops.collect.snmp.credentials import SnmpTarget
from netops.collect.snmp.errors import SnmpError, SnmpParseError, SnmpRefused, SnmpTimeout
from netops.collect.snmp.session import Addr, Exchange, PduSession, Session

if TYPE_CHECKING:
    from netops.collect.snmp.v3 import V3Backend

T = TypeVar("T")
# Linux <linux/in.h>, <linux/in6.h>, <linux/errqueue.h>; Python's socket module lacks them.
_IP_RECVERR, _IPV6_RECVERR, _MSG_ERRQUEUE = 11, 25, 0x2000


def message_id(data: bytes) -> int:
    """The id a datagram answers: request-id (v1/v2c) or msgID (v3). Raises BerError."""
    try:
        pos, end = read_expected(data, 0, len(data), SEQUENCE)
        version, pos = read_int(data, pos, end)
        if version == 3:
            pos, header_end = read_expected(data, pos, end, SEQUENCE)
        else:
            pos = read_expected(data, pos, end, OCTET_STRING)[1]
            _, pos, header_end = read_header(data, pos, end)
        return read_int(data, pos, header_end)[0]
    except IndexError:
        raise BerError("truncated message") from None


class _Dispatcher(asyncio.DatagramProtocol):
    """Routes each datagram to the pending request with its id and source address; that request's
    decoder turns it into a result (or an SnmpError) right here."""

    def __init__(self, sock: socket.socket | None = None) -> None:
        self.pending: dict[int, tuple[Addr, asyncio.Future[Any], Callable[[bytes], object]]] = {}
        self.sock = sock

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        try:
            entry = self.pending.get(message_id(data))
        except BerError as exc:
            for src, fut, _ in self.pending.values():
                if src == addr[:2] and not fut.done():
                    fut.set_exception(SnmpParseError(f"bad response from {addr[0]}: {exc}"))
            return
        if entry is None or entry[0] != addr[:2] or entry[1].done():
            return
        try:
            entry[1].set_result(entry[2](data))
        except BerError as exc:
            entry[1].set_exception(SnmpParseError(f"bad response from {addr[0]}: {exc}"))
        except SnmpError as exc:
            entry[1].set_exception(exc)

    def send(self, transport: asyncio.DatagramTransport, packet: bytes, addr: Addr) -> None:
        """Send now; an error left pending by another device's ICMP message is read, then the send retried."""
        if self.sock is not None:
            for _ in range(2):
                try:
                    self.sock.sendto(packet, addr)
                    return
                except (BlockingIOError, InterruptedError):
                    break                       # the transport queues it until the socket is writable
                except OSError as exc:          # that pending error, consumed by this send
                    self.error_received(exc)
        transport.sendto(packet, addr)

    def error_received(self, exc: Exception) -> None:
        """An ICMP error: the error queue says which datagram caused it; a refused one fails its request."""
        if self.sock is None:
            return
        for _ in range(1024):       # bounded: the queue holds at most what the kernel's buffer allows
            try:
                data, ancillary, _flags, addr = self.sock.recvmsg(65535, 512, _MSG_ERRQUEUE)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if not any(len(cmsg) >= 4 and struct.unpack_from("=I", cmsg)[0] == errno.ECONNREFUSED
                       for _level, _type, cmsg in ancillary):
                continue
            try:
                entry = self.pending.get(message_id(data))
            except BerError:
                continue
            if entry is not None and entry[0] == tuple(addr[:2]) and not entry[1].done():
                entry[1].set_exception(SnmpRefused(f"{addr[0]}:{addr[1]} refused (ICMP port unreachable)"))


def _expire(fut: asyncio.Future[Any]) -> None:
    if not fut.done():
        fut.set_result(None)


class SnmpClient:
    """Long-lived: owns the UDP socket(s) and, when first needed, the SNMPv3 key cache.

    Use as ``async with SnmpClient(timeout=2, retries=1) as client:`` then
    ``session = await client.session(target)``.
    """

    def __init__(self, *, timeout: float = 2.0, retries: int = 1, max_repetitions: int = 25,
                 max_requests_per_walk: int = 2000, rcvbuf: int = 4 << 20):
        self.timeout = timeout
        self.retries = retries
        self.max_repetitions = max_repetitions
        self.max_requests = max_requests_per_walk
        self._rcvbuf = rcvbuf
        self._endpoints: dict[int, tuple[asyncio.DatagramTransport, _Dispatcher]] = {}
        self._ids = itertools.count(random.randrange(1, 1 << 30))
        self._v3: V3Backend | None = None
        self._ep_lock = asyncio.Lock()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for transport, _ in self._endpoints.values():
            transport.close()
        self._endpoints.clear()
        self._v3 = None

    async def session(self, target: SnmpTarget) -> Session:
        creds = target.credentials
        addr, family = await self._resolve(target.host, target.port)
        sizes = {"max_repetitions": self.max_repetitions, "max_requests": self.max_requests}
        if creds.version == "3":
            if self._v3 is None:
                from netops.collect.snmp.v3 import V3Backend  # crypto imports: only for v3
                self._v3 = V3Backend()
            return PduSession(self._v3.security(self, family, addr, creds), addr, V2C, **sizes,
                              label=f"v3, user {creds.user}")
        assert creds.community is not None
        version = V1 if creds.version == "1" else V2C
        security = CommunitySecurity(self, family, addr, version, creds.community.get_secret_value().encode())
        return PduSession(security, addr, version, **sizes, label=f"v{creds.version}")

    async def _resolve(self, host: str, port: int) -> tuple[Addr, int]:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_DGRAM)
            if not infos:
                raise SnmpError(f"cannot resolve {host}") from None
            family, _, _, _, sockaddr = infos[0]
            return (str(sockaddr[0]), port), family
        return (str(ip), port), socket.AF_INET6 if ip.version == 6 else socket.AF_INET

    async def _endpoint(self, family: int) -> tuple[asyncio.DatagramTransport, _Dispatcher]:
        ep = self._endpoints.get(family)
        if ep is not None:
            return ep
        async with self._ep_lock:
            ep = self._endpoints.get(family)
            if ep is not None:
                return ep
            sock = socket.socket(family, socket.SOCK_DGRAM)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self._rcvbuf)
                if sys.platform == "linux":
                    v6 = family == socket.AF_INET6
                    sock.setsockopt(socket.IPPROTO_IPV6 if v6 else socket.IPPROTO_IP,
                                    _IPV6_RECVERR if v6 else _IP_RECVERR, 1)
                sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
                sock.setblocking(False)
            except OSError:
                sock.close()
                raise
            loop = asyncio.get_running_loop()
            has_errors = sys.platform == "linux"
            transport, proto = await loop.create_datagram_endpoint(
                lambda: _Dispatcher(sock if has_errors else None), sock=sock)
            self._endpoints[family] = (transport, proto)
            return transport, proto

    def _new_id(self) -> int:
        rid = next(self._ids) & 0x7FFFFFFF
        if rid == 0:
            rid = next(self._ids) & 0x7FFFFFFF
        return rid

    async def request(self, family: int, addr: Addr, packet_for: Callable[[int], bytes]) -> Message:
        """A v1/v2c request: the answer must be a Response PDU."""
        msg = await self.exchange(family, addr, packet_for, decode_message)
        if msg.pdu != RESPONSE:
            raise SnmpParseError(f"{addr[0]} answered with PDU 0x{msg.pdu:02x}")
        return msg

    async def exchange(self, family: int, addr: Addr, packet_for: Callable[[int], bytes],
                       decode: Callable[[bytes], T]) -> T:
        """Send, wait up to `timeout`, resend `retries` times with the same id; the answer decoded."""
        transport, proto = await self._endpoint(family)
        loop = asyncio.get_running_loop()
        rid = self._new_id()
        while rid in proto.pending:
            rid = self._new_id()
        packet = packet_for(rid)
        try:
            for _ in range(self.retries + 1):
                fut: asyncio.Future[T | None] = loop.create_future()
                proto.pending[rid] = (addr, fut, decode)
                proto.send(transport, packet, addr)
                handle = loop.call_later(self.timeout, _expire, fut)
                try:
                    answer = await fut
                finally:
                    handle.cancel()
                if answer is not None:
                    return answer
        finally:
            proto.pending.pop(rid, None)
        raise SnmpTimeout(f"no response from {addr[0]}:{addr[1]} "
                          f"({self.retries + 1} x {self.timeout:g}s)")


class CommunitySecurity:
    """v1/v2c: the PDU in a community-string message, answered by a Response PDU."""

    __slots__ = ("_addr", "_client", "_community", "_family", "_version")

    def __init__(self, client: Exchange, family: int, addr: Addr, version: int, community: bytes) -> None:
        self._client, self._family, self._addr = client, family, addr
        self._version, self._community = version, community

    async def send(self, pdu: int, oids: Sequence[Oid], nr: int = 0, mr: int = 0) -> Message:
        version, community = self._version, self._community
        return await self._client.request(
            self._family, self._addr, lambda rid: encode_request(version, community, pdu, rid, oids, nr, mr))
