"""Shared test setup: every test gets a scratch store; real data paths are resolved here.

`store_url` runs a store-facing test twice: on SQLite (the scratch file) and on a database
of one throwaway PostgreSQL cluster started for the session (netops.store.pg_cluster).
Those runs, and tests that use the cluster directly, carry the `postgresql` marker (`-m postgresql`).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from netops.store.pg_cluster import PgCluster, PgUnavailable

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
BACKENDS = ["sqlite", "postgresql"]
pytest_plugins = ["netops.lab.pytest_plugin"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("store_url") == "postgresql"
        if on_postgresql or "pg_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(autouse=True)
def scratch_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """No test ever writes to the developer's store."""
    url = f"sqlite:///{tmp_path / 'netops-test.sqlite'}"
    monkeypatch.setenv("NETOPS_STORE", url)
    monkeypatch.setenv("NETOPS_CONFIG", str(REPO / "netops.yaml"))
    return url


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One PostgreSQL server for the whole session, removed at the end."""
    try:
        cluster = PgCluster.start()
    except PgUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}; CI runs the store tests on both backends")
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, scratch_store: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty store on each backend; NETOPS_STORE names it, so CLI tests use it too."""
    if request.param == "sqlite":
        yield scratch_store
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    database = cluster.create_database()
    url = cluster.url(database)
    monkeypatch.setenv("NETOPS_STORE", url)
    yield url
    cluster.release_database(database)


@pytest.fixture
def other_store_url(store_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second empty store on the same backend as `store_url` (restore into it, compare with it)."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.sqlite'}"
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    database = cluster.create_database()
    yield cluster.url(database)
    cluster.release_database(database)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real device data not present at {SHARED_DATA} (../shared/data beside the repo)")
    return SHARED_DATA
