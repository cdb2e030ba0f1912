"""`netops watch`: poll the network on a schedule, keep one incident per root cause, alarm once.

Each cycle is one bounded sweep and the same ranking `diagnose` uses. A cause must be the top one in two
consecutive cycles before its incident opens (a hold-down: one agent's cache lagging another's must not
open a wrong incident), and the network must look healthy for two cycles before the incident closes.
Devices silent only because of the cause raise no alarm of their own: one alarm per incident, with the
number it stands for. Incidents live in the store (the Service Desk's table), so a restarted watch picks
up the open ones; memory stays bounded (only the last cycle's verdict is kept).

linkDown/linkUp traps received at the NOC (v2c and v3, netops.collect.snmp.traps) start a poll at once
instead of at the next interval; the verdict still comes from polls, so a lost or spoofed trap costs at
most one poll.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from netops.analysis.graph import declared_graph, restrict
from netops.analysis.rootcause import Cause, cables_of, parse_label, rank_causes, whatif_failures
from netops.analysis.whatif import what_if
from netops.app.diagnose import symptoms_of
from netops.app.lab_use import lab_overlay
from netops.app.sweep import live_sweep
from netops.collect.runners import RunnerSpec, open_runner
from netops.collect.snmp.traps import TrapDecoder, TrapReceiver
from netops.collect.sweep import snmp_credentials
from netops.config import Config
from netops.errors import ConfigError
from netops.models.observation import Snapshot
from netops.sources.inventory import Inventory
from netops.store.db import Store
from netops.store.tickets import list_incidents, open_incident, resolve_incident

if TYPE_CHECKING:
    from netops.collect.runners.dask_runner import DaskRunner

HOLD_CYCLES = 2
CONFIRM_S = 2.0           # after a link trap: the next polls come this soon, so the hold-down ends quickly
TRAP_CHECK_S = 0.2
FLAP_CYCLES = 5
WATCH_TAG = "watch:"


@dataclass
class WatchEvent:
    at: str
    kind: str                  # opened | closed
    incident: int
    cause: str
    pds: list[str]
    silent_devices: int        # alarms suppressed: devices silent only because of this cause


@dataclass
class WatchState:
    last_cause: str | None = None
    streak: int = 0
    healthy_streak: int = 0
    cycles: int = 0
    alarms: int = 0            # incidents opened (one per root cause); a close is a clear, not an alarm
    clears: int = 0
    webhook_failures: int = 0
    trap_polls: int = 0        # polls started early by a linkDown/linkUp trap
    traps: dict[str, int] = field(default_factory=dict)      # received / accepted / dropped: reason
    events: list[WatchEvent] = field(default_factory=list)   # this run's, bounded by `keep`
    recently_closed: dict[frozenset[str], int] = field(default_factory=dict)   # elements -> cycle it closed
    on_event: Callable[[WatchEvent], None] | None = None


def _notify(url: str | None, event: WatchEvent, state: WatchState) -> None:
    if event.kind == "opened":
        state.alarms += 1
    else:
        state.clears += 1
    if not url:
        return
    request = urllib.request.Request(url, data=json.dumps(event.__dict__).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=3):
            pass
    except OSError:
        state.webhook_failures += 1      # a dead receiver never stops the watch


def live_poll(config: Config, inv: Inventory, scope: list[str] | None, timeout: float,
              runner: DaskRunner | None = None) -> Snapshot:
    """One bounded sweep of the devices in scope (every device by default), through the lab when one is up,
    on `runner` when given."""
    return live_sweep(config, inv, scope, timeout, lab_overlay(config), runner=runner)[0]


def watch_cycle(config: Config, inv: Inventory, store: Store, state: WatchState, scope: list[str] | None = None,
                in_band: bool = True, timeout: float = 1.0, webhook: str | None = None, keep: int = 100,
                poll: Callable[[], Snapshot] | None = None, runner: DaskRunner | None = None) -> None:
    """One poll (the live sweep, or `poll` when given), then open or close incidents with the hold-down."""
    g = declared_graph(inv) if scope is None else restrict(declared_graph(inv), scope)
    snapshot = poll() if poll is not None else live_poll(config, inv, scope, timeout, runner)
    symptoms = symptoms_of(snapshot, inv, g)
    ranked = rank_causes(g, symptoms, in_band)
    state.cycles += 1
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    mine = [i for i in list_incidents(store, open_only=True) if i.summary.startswith(WATCH_TAG)]
    cause = ranked[0].label if ranked and ranked[0].contradictions == 0 else None
    if cause is None and not symptoms.abnormal:
        state.healthy_streak += 1
        state.last_cause, state.streak = None, 0
        if state.healthy_streak >= HOLD_CYCLES:
            for incident in mine:
                resolve_incident(store, incident.id, "watch: the network looks healthy again")
                state.recently_closed[_elements(parse_label(incident.cause), g)] = state.cycles
                _record(state, WatchEvent(now, "closed", incident.id, incident.cause, incident.pds, 0), webhook, keep)
        return
    state.healthy_streak = 0
    state.streak = state.streak + 1 if cause == state.last_cause else 1
    state.last_cause = cause
    if cause is None or state.streak < HOLD_CYCLES or any(i.cause == cause for i in mine):
        return
    # the fibres and devices a cause names: a cause sharing them with an open incident, or with one closed
    # a few polls ago, is the same fault recovering port by port, not a new one (no new alarm)
    elements = _elements(ranked[0].causes, g)
    state.recently_closed = {k: c for k, c in state.recently_closed.items() if state.cycles - c <= FLAP_CYCLES}
    if any(elements & _elements(parse_label(i.cause), g) for i in mine) or any(elements & k for k in state.recently_closed):
        return
    failures = whatif_failures(ranked[0].causes)
    pds = what_if(g, failures).isolated_pds if failures else []
    incident = open_incident(store, cause, pds, f"{WATCH_TAG} {cause}")
    _record(state, WatchEvent(now, "opened", incident.id, cause, pds, len(symptoms.silent)), webhook, keep)


def _elements(causes: tuple[Cause, ...], g: nx.MultiGraph[str]) -> frozenset[str]:
    """What a cause touches: its names, its fibres and every device port on them, and a fibre's two ends."""
    fibres = {c.name for c in causes if c.kind == "fibre"}
    out = {c.name for c in causes} | {k for c in causes for k in cables_of(c, g, device_ports=True)}
    return frozenset(out | {n for u, v, k in g.edges(keys=True) if k in fibres for n in (u, v)})


def _record(state: WatchState, event: WatchEvent, webhook: str | None, keep: int) -> None:
    state.events = [*state.events, event][-keep:]
    _notify(webhook, event, state)
    if state.on_event:
        state.on_event(event)


def trap_receiver(config: Config, inv: Inventory, listen: str) -> TrapReceiver:
    """A started receiver on `listen` (HOST:PORT) accepting the fleet's own SNMP credentials."""
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"trap listen address {listen!r} is not HOST:PORT")
    lookup = snmp_credentials(config, lab_overlay(config))
    accepted = [c for c in (lookup(name) for name in inv.devices) if c is not None]
    try:
        return TrapReceiver(TrapDecoder(accepted), host.strip("[]"), int(port)).start()
    except OSError as exc:
        raise ConfigError(f"cannot listen for traps on {listen}: {exc.strerror}") from None


def _pause(stop: threading.Event, seconds: float, traps: TrapReceiver | None) -> bool:
    """Wait up to `seconds`; True when a linkDown/linkUp trap cut the wait short."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
        if traps is not None and traps.link_event.is_set():
            traps.link_event.clear()
            return True
        stop.wait(min(TRAP_CHECK_S, left))
    return False


def run_watch(config: Config, inv: Inventory, store: Store, interval: float = 10.0, cycles: int | None = None,
              stop: threading.Event | None = None, on_event: Callable[[WatchEvent], None] | None = None,
              traps: TrapReceiver | None = None, runner: RunnerSpec | None = None, scope: list[str] | None = None,
              in_band: bool = True, timeout: float = 1.0, webhook: str | None = None,
              poll: Callable[[], Snapshot] | None = None) -> WatchState:
    """Cycles until `stop` is set or `cycles` have run; each cycle at most every `interval` seconds, or at once
    when a link trap arrives (then the hold-down's second poll follows after CONFIRM_S, not a whole interval).

    `runner`: where the polls run; a Dask cluster is connected once, before the first poll, and kept.
    """
    state = WatchState(on_event=on_event)
    stop = stop or threading.Event()
    confirm = 0
    with open_runner(runner, inv) as opened:
        while not stop.is_set() and (cycles is None or state.cycles < cycles):
            started = time.monotonic()
            watch_cycle(config, inv, store, state, scope, in_band, timeout, webhook, poll=poll, runner=opened)
            wait = min(interval, CONFIRM_S) if confirm else interval
            confirm = max(0, confirm - 1)
            if _pause(stop, max(0.0, wait - (time.monotonic() - started)), traps):
                state.trap_polls += 1
                confirm = HOLD_CYCLES
    if traps is not None:
        state.traps = dict(traps.decoder.counts)
    return state
