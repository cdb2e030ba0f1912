"""pytest plugin: the session-scoped `lab` fixture and the `lab` marker's skip rule.

Tests marked `@pytest.mark.lab` skip only when this machine cannot run a lab (not root,
Debian daemons missing), saying which. The fixture brings up a small lab from the real
sample inventory, with its own state file under pytest's temporary directory, and always
tears it down, even when a test fails, and even when the run is stopped by SIGTERM (a CI time-out,
a `kill`): that ends the run as Ctrl-C does, so pytest stops and every fixture's teardown runs.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from netops.config import load_config
from netops.lab.build import lab_down
from netops.lab.handle import LabHandle, small_lab_pds, start_lab
from netops.lab.system import missing_prerequisites
from netops.sources.inventory import load_inventory

REPO = Path(__file__).resolve().parents[2]


_stash_previous = pytest.StashKey[Callable[[int, FrameType | None], Any] | int | None]()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def pytest_sessionstart(session: pytest.Session) -> None:
    if threading.current_thread() is threading.main_thread():
        session.stash[_stash_previous] = signal.signal(signal.SIGTERM, _interrupt)


def pytest_sessionfinish(session: pytest.Session) -> None:
    previous = session.stash.get(_stash_previous, None)
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("lab") is not None:
        reason = missing_prerequisites()
        if reason:
            pytest.skip(f"lab test: {reason}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHandle]:
    """A small lab of the sample city (a ring, a shared duct, a PD LAN), in-band, OSPF and LLDP converged."""
    reason = missing_prerequisites()
    if reason:
        pytest.skip(f"lab fixture: {reason}")
    config_file = REPO / "netops.yaml"
    config = load_config(config_file)
    inv = load_inventory(config.inventory_dir, config.topology_dir)
    state_path = tmp_path_factory.mktemp("lab") / "state.json"
    try:
        handle = start_lab(state_path, inv, small_lab_pds(inv), config_file=config_file)
        if not handle.wait_for(handle.lldp_converged, timeout=30):
            pytest.fail("lab fixture: LLDP did not converge within 30 s")
        if not handle.wait_for(handle.converged, timeout=60):
            unreachable = sorted(h for h, ok in handle.reachable().items() if not ok)
            pytest.fail(f"lab fixture: not every device reachable in-band within 60 s: {unreachable}")
        yield handle
    finally:
        lab_down(state_path)
