"""`netops lab down` leaves nothing behind: after a normal `up`, and after `up` was killed half-way.

Each case runs in its own network and mount namespace (see isolated_run.py), so it can
build its lab while the session's `lab` fixture is up.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.lab
SCRIPT = Path(__file__).with_name("isolated_run.py")


def _isolated(mode: str, folder: Path) -> dict[str, Any]:
    out = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", sys.executable, str(SCRIPT),
                          mode, str(folder)], capture_output=True, text=True, timeout=180, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _assert_nothing_left(report: dict[str, Any]) -> None:
    assert report["down_exit"] == 0, report["down_stderr"]
    assert report["after"] == {"namespaces": [], "links": [], "routes": [], "pids_alive": [], "state_file": False,
                               "run_dir": False}


def test_down_after_a_full_up_leaves_nothing(tmp_path: Path) -> None:
    report = _isolated("clean", tmp_path)
    assert report["before"]["phase"] == "up" and report["before"]["bridge"] and report["before"]["routes"] >= 2
    assert report["before"]["pids_alive"] == report["before"]["pids"] > 0
    _assert_nothing_left(report)


def test_down_after_up_was_killed_half_way_leaves_nothing(tmp_path: Path) -> None:
    report = _isolated("crash", tmp_path)
    assert report["up_exit"] == -9 and report["before"]["phase"] == "building"
    assert report["before"]["namespaces"] > 0 and report["before"]["pids_alive"] > 0
    _assert_nothing_left(report)


def test_out_of_band_lab_answers_over_its_bridge_and_leaves_nothing(tmp_path: Path) -> None:
    report = _isolated("oob", tmp_path)
    assert report["before"]["phase"] == "up" and report["before"]["bridge"]
    assert report["before"]["routes"] == 1  # the bridge's own /16: no route into the lab is added
    assert report["before"]["answering"] == report["before"]["devices"]
    _assert_nothing_left(report)
