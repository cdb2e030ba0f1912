"""The property tests of fuzz_targets.py, run in a child process that cannot take the machine down.

The child gets RLIMIT_AS (address space), RLIMIT_CPU and a wall-clock timeout: a reader that
expands a bomb fails with MemoryError or is killed, and this test fails, instead of the machine
swapping. NETOPS_FUZZ_EXAMPLES (default 40 per property) trades depth for CI time.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGETS = Path(__file__).with_name("fuzz_targets.py")
MEMORY = 1536 * 2**20        # netops, click and hypothesis need ~700 MB of address space; the rest is headroom
CPU_SECONDS = 600
WALL_SECONDS = 900


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@pytest.mark.slow
def test_fuzz_targets_pass_within_memory_and_time_bounds(tmp_path: Path) -> None:
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not lab",
                          "--basetemp", str(tmp_path / "fuzz"), str(TARGETS)],
                         cwd=REPO, capture_output=True, text=True, timeout=WALL_SECONDS, preexec_fn=_limits,
                         env={**os.environ, "NETOPS_FUZZ_EXAMPLES": os.environ.get("NETOPS_FUZZ_EXAMPLES", "40")})
    took = time.monotonic() - started
    assert run.returncode == 0, f"after {took:.0f} s:\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
    assert " passed" in run.stdout and "failed" not in run.stdout
    print(f"fuzz targets: {run.stdout.strip().splitlines()[-1]} (wall {took:.1f} s)")
