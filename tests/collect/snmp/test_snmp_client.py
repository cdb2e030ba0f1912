"""The v1/v2c client against a scripted in-process agent: every way a walk can end, or not."""
from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable

import pytest

from netops.collect.snmp.ber import (
    COUNTER32,
    GET_BULK,
    GET_NEXT,
    RESPONSE,
    V1,
    Exc,
    Message,
    Tagged,
    decode_message,
    encode_message,
)
from netops.collect.snmp.client import SnmpClient
from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.errors import SnmpError

ROOT = (1, 3, 6, 1, 2, 1, 2, 2, 1)
Handler = Callable[[Message], "bytes | None"]


class FakeAgent(asyncio.DatagramProtocol):
    def __init__(self, handler: Handler):
        self.handler = handler
        self.requests: list[Message] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple) -> None:  # type: ignore[override]
        msg = decode_message(data)
        self.requests.append(msg)
        if len(self.requests) > 10_000:  # hard bound: a test bug must not flood
            return
        reply = self.handler(msg)
        if reply is not None:
            self.transport.sendto(reply, addr)  # type: ignore[attr-defined]


def reply(msg: Message, varbinds: list, error_status: int = 0) -> bytes:
    return encode_message(msg.version, msg.community, RESPONSE, msg.request_id, varbinds, error_status)


def run(handler: Handler, op: Callable, version: str = "2c", **client_kw: float) -> tuple[object, FakeAgent]:
    async def main() -> tuple[object, FakeAgent]:
        loop = asyncio.get_running_loop()
        transport, agent = await loop.create_datagram_endpoint(lambda: FakeAgent(handler),
                                                               local_addr=("127.0.0.1", 0))
        port = transport.get_extra_info("sockname")[1]
        creds = SnmpCredentials(version=version, community="public")  # type: ignore[arg-type]
        try:
            async with SnmpClient(**{"timeout": 0.3, "retries": 1, **client_kw}) as client:
                target = SnmpTarget(name="d", host="127.0.0.1", port=port, credentials=creds)
                session = await client.session(target)
                try:
                    return await op(session), agent
                except SnmpError as exc:
                    return exc, agent
        finally:
            transport.close()
    return asyncio.run(asyncio.wait_for(main(), 30))


def rows(n: int) -> list:
    return [(ROOT + (2, i), f"if{i}".encode()) for i in range(1, n + 1)]


def table_agent(table: list) -> Handler:
    """A correct agent over a sorted table: GetBulk/GetNext semantics, endOfMibView at the end."""
    def handle(msg: Message) -> bytes:
        start = msg.varbinds[0][0]
        after = [vb for vb in table if vb[0] > start]
        count = msg.error_index if msg.pdu == GET_BULK else 1
        out = after[:count] or [(start, Exc.END_OF_MIB_VIEW)]
        if msg.version == V1 and not after:
            return reply(msg, msg.varbinds, error_status=2)  # v1: noSuchName at the end
        return reply(msg, out)
    return handle


def test_walk_stops_at_subtree_end_and_uses_bulk() -> None:
    table = rows(60) + [((1, 3, 6, 1, 2, 1, 2, 3), Tagged(COUNTER32, 1))]
    got, agent = run(table_agent(table), lambda s: s.bulk_walk(ROOT), max_repetitions=25)
    assert got == rows(60)
    assert [m.pdu for m in agent.requests] == [GET_BULK] * 3
    assert agent.requests[0].error_index == 25


def test_walk_stops_on_end_of_mib_view() -> None:
    got, _ = run(table_agent(rows(3)), lambda s: s.bulk_walk(ROOT))
    assert got == rows(3)


def test_v1_walks_by_getnext_until_nosuchname() -> None:
    got, agent = run(table_agent(rows(4)), lambda s: s.bulk_walk(ROOT), version="1")
    assert got == rows(4)
    assert {m.pdu for m in agent.requests} == {GET_NEXT}


def test_non_increasing_oid_is_an_error_not_a_loop() -> None:
    same_oid_twice = [(ROOT + (2, 5), b"x"), (ROOT + (2, 5), b"x")]
    got, agent = run(lambda m: reply(m, same_oid_twice), lambda s: s.bulk_walk(ROOT))
    assert isinstance(got, SnmpError) and got.reason == "error" and "not increasing" in str(got)
    assert got.partial == [(ROOT + (2, 5), b"x")]
    assert len(agent.requests) == 1


def test_endless_agent_is_bounded_by_max_requests() -> None:
    got, agent = run(lambda m: reply(m, [(m.varbinds[0][0] + (1,), 0)]), lambda s: s.bulk_walk(ROOT),
                     max_requests_per_walk=50)
    assert isinstance(got, SnmpError) and got.reason == "error" and len(agent.requests) == 50


def test_timeout_mid_walk_reports_timeout_with_partial_rows() -> None:
    def handler(m: Message) -> bytes | None:
        return table_agent(rows(30))(m) if m.varbinds[0][0] == ROOT else None
    got, agent = run(handler, lambda s: s.bulk_walk(ROOT), max_repetitions=10)
    assert isinstance(got, SnmpError) and got.reason == "timeout"
    assert got.partial == rows(10)
    assert len(agent.requests) == 1 + 2  # one answered, then 1 try + 1 retry, same request-id
    assert agent.requests[1].request_id == agent.requests[2].request_id


def test_garbage_reply_is_a_parse_failure() -> None:
    got, _ = run(lambda m: b"\x30\x05junk!", lambda s: s.get([(1, 3, 6, 1, 2, 1, 1, 5, 0)]))
    assert isinstance(got, SnmpError) and got.reason == "parse"


def test_reply_with_other_request_id_is_ignored() -> None:
    got, _ = run(lambda m: reply(m._replace(request_id=m.request_id + 1), []),
                 lambda s: s.get([(1, 3, 6, 1, 2, 1, 1, 5, 0)]))
    assert isinstance(got, SnmpError) and got.reason == "timeout"


def test_too_big_halves_max_repetitions() -> None:
    inner = table_agent(rows(12))

    def handler(m: Message) -> bytes:
        return reply(m, [], error_status=1) if m.error_index > 6 else inner(m)
    got, agent = run(handler, lambda s: s.bulk_walk(ROOT), max_repetitions=25)
    assert got == rows(12)
    assert [m.error_index for m in agent.requests][:3] == [25, 12, 6]


def test_v1_get_with_a_missing_object_returns_the_rest() -> None:
    name, missing = (1, 3, 6, 1, 2, 1, 1, 5, 0), (1, 3, 6, 1, 2, 1, 1, 99, 0)

    def handler(m: Message) -> bytes:
        oids = [o for o, _ in m.varbinds]
        if missing in oids:
            return encode_message(m.version, m.community, RESPONSE, m.request_id, m.varbinds, 2,
                                  oids.index(missing) + 1)
        return reply(m, [(name, b"r1")])
    got, _ = run(handler, lambda s: s.get([missing, name]), version="1")
    assert got == [(missing, Exc.NO_SUCH_OBJECT), (name, b"r1")]


@pytest.mark.parametrize("status", [5, 16])
def test_error_status_is_an_error(status: int) -> None:
    got, _ = run(lambda m: reply(m, m.varbinds, error_status=status),
                 lambda s: s.get([(1, 3, 6, 1, 2, 1, 1, 5, 0)]))
    assert isinstance(got, SnmpError) and got.reason == "error"


def test_a_refused_port_costs_no_other_device_its_datagram() -> None:
    """The ICMP error of a closed port is pending on the shared socket when the next device is asked:
    that device still gets its request (no retries to hide a lost one), the closed port is `refused`."""
    sys_name = (1, 3, 6, 1, 2, 1, 1, 5, 0)

    async def main() -> tuple[object, object, FakeAgent]:
        loop = asyncio.get_running_loop()
        transport, agent = await loop.create_datagram_endpoint(lambda: FakeAgent(lambda m: reply(m, [(sys_name, b"sw")])),
                                                               local_addr=("127.0.0.1", 0))
        closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
        closed.close()
        creds = SnmpCredentials.v2c("public")
        try:
            async with SnmpClient(timeout=2, retries=0) as client:
                dead = await client.session(SnmpTarget(name="dead", host="127.0.0.1", port=closed_port, credentials=creds))
                live = await client.session(SnmpTarget(name="live", host="127.0.0.1",
                                                       port=transport.get_extra_info("sockname")[1], credentials=creds))
                refused = asyncio.ensure_future(dead.get([sys_name]))
                await asyncio.sleep(0)      # its request is sent
                time.sleep(0.05)            # the ICMP error arrives while the loop is busy (not reading)
                answered = await live.get([sys_name])
                return await asyncio.gather(refused, return_exceptions=True), answered, agent
        finally:
            transport.close()

    (refused,), answered, agent = asyncio.run(asyncio.wait_for(main(), 30))
    # `timeout` only if the kernel's machine-wide ICMP rate limit dropped the port-unreachable
    assert isinstance(refused, SnmpError) and refused.reason in ("refused", "timeout")
    assert answered == [((1, 3, 6, 1, 2, 1, 1, 5, 0), b"sw")] and len(agent.requests) == 1


def test_snmp_package_has_no_import_cycle() -> None:
    """client.py and v3.py share session.py (the PDU logic) and ber.py; v3 never imports the client."""
    import ast
    from pathlib import Path

    import netops.collect.snmp as pkg

    folder = Path(pkg.__file__).parent
    imports: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text())
        imports[path.stem] = {n.module.rsplit(".", 1)[-1] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                              and n.module and n.module.startswith("netops.collect.snmp.")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in imports.get(start, ()))

    assert "client" not in imports["v3"] and "v3" not in imports["session"]
    assert [m for m in imports if reaches(m, m, set())] == []
