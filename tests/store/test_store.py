"""The store migrates itself (from empty and from every earlier version), and a failed transaction
leaves nothing behind: on SQLite and on PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text

from netops.errors import StoreError
from netops.store.audit import record
from netops.store.db import Store, available_migrations, latest_version

VERSIONS = [v for v, _, _ in available_migrations()]


def schema(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, indexes, unique and foreign keys, as the database reports them."""
    insp = inspect(engine)
    return {t: {"columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(t)],
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(t)),
                "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(t))}
            for t in sorted(insp.get_table_names())}


def test_migrations_apply_once_in_order(store_url: str) -> None:
    store = Store(store_url)
    assert sorted(VERSIONS) == VERSIONS and store.schema_version() == latest_version() == VERSIONS[-1]
    assert Store(store_url).migrate() == []
    with store.transaction() as conn:
        assert [r[0] for r in conn.execute(text("SELECT version FROM schema_version ORDER BY version"))] == VERSIONS


@pytest.mark.parametrize("start", VERSIONS[:-1])
def test_migrating_from_each_earlier_version_gives_the_schema_of_a_fresh_store(
        store_url: str, other_store_url: str, start: int) -> None:
    old = Store(store_url, migrate=False)
    assert old.schema_version() == 0
    old.migrate(up_to=start)
    assert old.schema_version() == start
    with old.transaction() as conn:
        record(conn, "test", f"written at version {start}")
    assert old.migrate() == [name for v, name, _ in available_migrations() if v > start]
    assert schema(old.engine) == schema(Store(other_store_url).engine)
    with old.transaction() as conn:
        assert [r[0] for r in conn.execute(text("SELECT subject FROM audit_log"))] == [f"written at version {start}"]


def test_failed_transaction_leaves_previous_state(store_url: str) -> None:
    store = Store(store_url)
    with store.transaction() as conn:
        record(conn, "test", "first")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        record(conn, "test", "second")
        raise RuntimeError("process died mid-write")
    with store.transaction() as conn:
        subjects = [r[0] for r in conn.execute(text("SELECT subject FROM audit_log"))]
    assert subjects == ["first"]


def test_database_errors_become_store_errors(store_url: str) -> None:
    store = Store(store_url)
    with pytest.raises(StoreError, match=r"no such table|does not exist"), store.transaction() as conn:
        conn.execute(text("SELECT * FROM not_there"))
