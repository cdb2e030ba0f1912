"""Run `netops lab up` then `netops lab down` in a private network + mount namespace; report leftovers.

Started by tests/lab/test_teardown.py as `unshare -n -m python isolated_run.py MODE DIR`, so the
lab it builds (bridge, namespaces) cannot meet the session's `lab` fixture. MODE `crash` kills
`up` with SIGKILL half-way (daemons started, lab not finished); MODE `clean` lets it finish;
MODE `oob` lets an out-of-band lab (`--mgmt oob`) finish and pings every device over its bridge.
Prints one JSON object: what existed before `down` and what is left after it.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from netops.lab.plan import LAB_NETWORK, MGMT_BRIDGE, NOC_BRIDGE
from netops.lab.system import alive, namespaces

REPO = Path(__file__).resolve().parents[2]
PDS = ["DISDUKCAPIL", "DPMPTSP", "BAPENDA", "KEC-BATAMKOTA"]


def _private_views() -> None:
    """Our own /run/netns and a /sys showing this network namespace's links."""
    Path("/run/netns").mkdir(exist_ok=True)
    for cmd in (["mount", "-t", "tmpfs", "tmpfs", "/run/netns"], ["mount", "-t", "sysfs", "sysfs", "/sys"],
                ["ip", "link", "set", "lo", "up"]):
        subprocess.run(cmd, check=True)


def _links() -> list[str]:
    return sorted(p.name for p in Path("/sys/class/net").iterdir() if p.name != "lo")


def _lab_routes() -> list[str]:
    """Routes of this (private) root namespace into the lab's range."""
    out = subprocess.run(["ip", "-4", "route", "show", "root", str(LAB_NETWORK)], capture_output=True, text=True,
                         check=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def _answering(state: dict) -> int:  # type: ignore[type-arg]
    """Devices whose management address answers a ping from here (one try each, all at once)."""
    procs = [subprocess.Popen(["ping", "-n", "-q", "-c", "1", "-W", "2", d["mgmt_ip"].split("/")[0]],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for d in state["plan"]["devices"].values()]
    return sum(p.wait() == 0 for p in procs)


def main(mode: str, folder: Path) -> None:
    _private_views()
    state_path = folder / "state.json"
    env = {**os.environ, "NETOPS_LAB_STATE": str(state_path), "NETOPS_CONFIG": str(REPO / "netops.yaml")}
    netops = [sys.executable, "-m", "netops"]
    args = [a for pd in PDS for a in ("--pd", pd)]
    mgmt = ["--mgmt", "oob"] if mode == "oob" else []
    up = subprocess.Popen(netops + ["lab", "up", "--json", *mgmt, *args], env=env, cwd=REPO,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    phase = "?"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and up.poll() is None:
        try:
            state = json.loads(state_path.read_text())
        except (OSError, ValueError):
            time.sleep(0.02)
            continue
        phase = state["phase"]
        if mode == "crash" and state["pids"]:
            up.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    up.wait(timeout=60)
    state = json.loads(state_path.read_text())
    pids = [p for by_daemon in state["pids"].values() for p in by_daemon.values()]
    before = {"phase": state["phase"], "namespaces": len(namespaces()), "pids": len(pids),
              "pids_alive": sum(alive(p) for p in pids),
              "bridge": (MGMT_BRIDGE if mode == "oob" else NOC_BRIDGE) in _links(), "routes": len(_lab_routes()),
              "answering": _answering(state) if state["phase"] == "up" else 0,
              "devices": len(state["plan"]["devices"])}
    down = subprocess.run(netops + ["lab", "down", "--json"], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=False)
    time.sleep(0.2)
    after = {"namespaces": sorted(namespaces()), "links": _links(), "routes": _lab_routes(),
             "pids_alive": [p for p in pids if alive(p)],
             "state_file": state_path.exists(), "run_dir": Path(state["run_dir"]).exists()}
    print(json.dumps({"mode": mode, "phase_seen": phase, "up_exit": up.returncode, "down_exit": down.returncode,
                      "down_stderr": down.stderr[-500:], "before": before, "after": after}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
