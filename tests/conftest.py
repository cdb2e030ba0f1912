"""Shared test setup: every test gets a scratch store; real data paths are resolved here."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
pytest_plugins = ["netops.lab.pytest_plugin"]


@pytest.fixture(autouse=True)
def scratch_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """No test ever writes to the developer's store."""
    url = f"sqlite:///{tmp_path / 'netops-test.sqlite'}"
    monkeypatch.setenv("NETOPS_STORE", url)
    monkeypatch.setenv("NETOPS_CONFIG", str(REPO / "netops.yaml"))
    return url


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real device data not present at {SHARED_DATA} (../shared/data beside the repo)")
    return SHARED_DATA
