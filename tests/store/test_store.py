"""The store migrates itself, and a transaction that fails leaves nothing behind."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from netops.errors import StoreError
from netops.store.audit import record
from netops.store.db import Store, available_migrations


def test_migrations_apply_once_in_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store(url)
    versions = [v for v, _, _ in available_migrations()]
    assert versions == sorted(versions) and store.schema_version() == versions[-1]
    assert Store(url).migrate() == []


def test_failed_transaction_leaves_previous_state(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    with store.transaction() as conn:
        record(conn, "test", "first")
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            record(conn, "test", "second")
            raise RuntimeError("process died mid-write")
    with store.transaction() as conn:
        subjects = [r[0] for r in conn.execute(text("SELECT subject FROM audit_log"))]
    assert subjects == ["first"]


def test_database_errors_become_store_errors(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    with pytest.raises(StoreError, match="no such table"):
        with store.transaction() as conn:
            conn.execute(text("SELECT * FROM not_there"))
