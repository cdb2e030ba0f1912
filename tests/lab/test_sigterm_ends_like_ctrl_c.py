"""A test run stopped by SIGTERM (a CI time-out, a `kill`) still runs every fixture's teardown, so a lab
fixture deletes its namespaces and daemons (netops.lab.pytest_plugin). Checked on a real pytest process:
its session fixture writes a file on teardown; the run is sent SIGTERM mid-test. Needs no lab."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

RUN = '''
import time
from pathlib import Path
import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def resource():
    yield
    (HERE / "torn-down").write_text("yes")


def test_runs_until_stopped(resource):
    (HERE / "started").write_text("yes")
    time.sleep(60)
'''


def test_sigterm_runs_the_fixture_teardowns(tmp_path: Path) -> None:
    (tmp_path / "test_stopped.py").write_text(RUN)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "netops.lab.pytest_plugin",
                             "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path / "test_stopped.py")],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert (tmp_path / "started").exists(), proc.communicate(timeout=10)[0].decode()
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=30)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert (tmp_path / "torn-down").read_text() == "yes", out
    assert proc.returncode == 2 and "KeyboardInterrupt" in out, out  # pytest's "interrupted" exit code
