"""Web tests: a portal on the sample city with users of each role and a sweep of DISDUKCAPIL in the store."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from netops.config import load_config
from netops.models.user import WebRole
from netops.store.db import Store
from netops.store.snapshots import save_snapshot
from netops.store.users import add_user
from netops.web.app import create_app
from tests.conftest import REPO
from tests.diagrams.conftest import observe, sample_inventory

PASSWORD = "correct horse battery"
USERS = {"disduk": (WebRole.pd, "DISDUKCAPIL"), "bapenda": (WebRole.pd, "BAPENDA"), "desk": (WebRole.desk, None),
         "eng": (WebRole.engineer, None), "audit": (WebRole.auditor, None)}


@pytest.fixture
def portal(scratch_store: str) -> Iterator[TestClient]:
    store = Store(scratch_store)
    for name, (role, pd) in USERS.items():
        add_user(store, name, role, pd, PASSWORD)
    save_snapshot(store, observe(sample_inventory(), "DISDUKCAPIL"))
    with TestClient(create_app(load_config(REPO / "netops.yaml")), follow_redirects=False) as client:
        yield client


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, user: str, password: str = PASSWORD) -> int:
    return client.post("/login", data={"username": user, "password": password, "csrf": csrf_of(client)}).status_code
