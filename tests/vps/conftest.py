"""VPS test fixtures: a scratch project per test, a dry-run backend writing into tmp, a clock."""
from __future__ import annotations

from pathlib import Path

import pytest
from vps_helpers import FakeClock, make_service, vps_project

from netops.provision.backends.dryrun import DryRunBackend
from netops.provision.service import VpsService


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = vps_project(tmp_path / "project")
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    monkeypatch.setenv("NETOPS_VPS_PLANS", str(tmp_path / "plans"))
    monkeypatch.delenv("NETOPS_VPS_BACKEND", raising=False)
    monkeypatch.delenv("NETOPS_LIBVIRT_URI", raising=False)
    return root


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def svc(project: Path, store_url: str, tmp_path: Path, clock: FakeClock) -> VpsService:
    return make_service(project, store_url, DryRunBackend(tmp_path / "plans"), clock)
