"""The watch's hold-down and incident lifecycle, fed with the fault simulator's snapshots: one cut duct over
several polls is one incident and one alarm; healthy polls close it; a restart finds the open incident."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from netops.analysis.graph import declared_graph
from netops.analysis.redundancy import check_topology
from netops.analysis.rootcause import Cause
from netops.analysis.whatif import Failure, what_if
from netops.app.watch import WatchState, watch_cycle
from netops.config import load_config
from netops.store.db import Store
from netops.store.tickets import list_incidents
from tests.conftest import REPO
from tests.desk.test_diagnose import snapshot_of
from tests.diagrams.conftest import sample_inventory


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/alarm"
    server.shutdown()


def test_one_cut_duct_is_one_incident_and_one_alarm(scratch_store: str, receiver: str):
    inv = sample_inventory()
    g = declared_graph(inv)
    duct = next(d.duct for d in check_topology(g).duct_spofs if len(d.pds) >= 2)
    cut, healthy = snapshot_of(inv, [Cause("duct", duct)]), snapshot_of(inv, [])
    config, store, state = load_config(REPO / "netops.yaml"), Store(scratch_store), WatchState()
    for snapshot in [healthy, cut, cut, cut, cut]:
        watch_cycle(config, inv, store, state, webhook=receiver, poll=lambda s=snapshot: s)
    (incident,) = list_incidents(store, open_only=True)
    assert incident.cause == f"duct:{duct}" and incident.pds == what_if(g, [Failure("duct", duct)]).isolated_pds
    assert state.alarms == 1 and [e["kind"] for e in _Receiver.received] == ["opened"]
    assert _Receiver.received[0]["silent_devices"] > 1           # the devices behind the duct: no alarm each
    restarted = WatchState()                                      # a new watch process: the incident is in the store
    watch_cycle(config, inv, store, restarted, webhook=receiver, poll=lambda: cut)
    watch_cycle(config, inv, store, restarted, webhook=receiver, poll=lambda: cut)
    assert restarted.alarms == 0 and len(list_incidents(store, open_only=True)) == 1
    watch_cycle(config, inv, store, restarted, webhook=receiver, poll=lambda: healthy)
    assert len(list_incidents(store, open_only=True)) == 1        # one healthy poll is not enough
    watch_cycle(config, inv, store, restarted, webhook=receiver, poll=lambda: healthy)
    assert list_incidents(store, open_only=True) == [] and [e["kind"] for e in _Receiver.received] == ["opened", "closed"]


def test_a_one_poll_glitch_opens_nothing_and_a_dead_webhook_is_counted(scratch_store: str):
    inv = sample_inventory()
    leaf = sorted(n for n in declared_graph(inv) if declared_graph(inv).degree(n) == 1)[0]
    glitch, healthy = snapshot_of(inv, [Cause("device-down", leaf)]), snapshot_of(inv, [])
    config, store, state = load_config(REPO / "netops.yaml"), Store(scratch_store), WatchState()
    for snapshot in [healthy, glitch, healthy, healthy]:
        watch_cycle(config, inv, store, state, poll=lambda s=snapshot: s)
    assert list_incidents(store) == [] and state.alarms == 0
    for _ in range(2):
        watch_cycle(config, inv, store, state, webhook="http://127.0.0.1:9/nobody", poll=lambda: glitch)
    assert state.alarms == 1 and state.webhook_failures == 1


def test_a_link_trap_starts_the_polls_at_once_instead_of_after_the_interval(scratch_store: str) -> None:
    from netops.app.watch import run_watch
    from netops.collect.snmp.credentials import SnmpCredentials
    from netops.collect.snmp.traps import TrapDecoder, TrapReceiver
    from tests.collect.snmp.test_traps import COMMUNITY, LINK_DOWN_ARGS, _send
    inv = sample_inventory()
    g = declared_graph(inv)
    duct = next(d.duct for d in check_topology(g).duct_spofs if len(d.pds) >= 2)
    cut = snapshot_of(inv, [Cause("duct", duct)])
    traps = TrapReceiver(TrapDecoder([SnmpCredentials.v2c(COMMUNITY)]), "127.0.0.1", 0).start()
    stop = threading.Event()
    guard = threading.Timer(30, stop.set)        # bounded even if no trap ever arrived
    sender = threading.Timer(0.5, _send, [["-v", "2c", "-c", COMMUNITY, f"127.0.0.1:{traps.port}", *LINK_DOWN_ARGS]])
    guard.start()
    sender.start()
    try:
        started = __import__("time").monotonic()
        state = run_watch(load_config(REPO / "netops.yaml"), inv, Store(scratch_store), interval=600, cycles=3,
                          stop=stop, traps=traps, poll=lambda: cut)
        elapsed = __import__("time").monotonic() - started
    finally:
        guard.cancel()
        traps.stop()
    assert state.cycles == 3 and state.trap_polls == 1 and not stop.is_set() and elapsed < 30
    assert state.traps["accepted"] == 1 and state.alarms == 1
    assert [i.cause for i in list_incidents(Store(scratch_store), open_only=True)] == [f"duct:{duct}"]


def test_a_trap_address_that_is_not_host_port_is_a_clear_error() -> None:
    from netops.app.watch import trap_receiver
    from netops.errors import ConfigError
    with pytest.raises(ConfigError, match="not HOST:PORT"):
        trap_receiver(load_config(REPO / "netops.yaml"), sample_inventory(), "198.18.254.1")
