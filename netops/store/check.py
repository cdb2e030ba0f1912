"""Is this store sound? Schema version, the schema itself, and integrity, per backend.

Run after a restore, a copy, a crash or an upgrade (`netops store check`). Every check is a
read; nothing is repaired here. What each backend can get wrong differs:
- both: the schema version is the newest this netops knows; every table and column the
  migrations create exists; no row points at a missing parent (foreign keys, checked by query,
  because a bulk load with triggers off or SQLite with foreign_keys off would let one through);
- SQLite: `PRAGMA integrity_check` (pages, indexes, free list);
- PostgreSQL: no constraint left NOT VALID and no index left invalid (a failed concurrent build);
  every sequence at or beyond the largest id in its column, or the next insert collides
  (the classic trap after copying rows with explicit ids).
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, MetaData, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from netops.errors import StoreError
from netops.store.db import Store, latest_version


class CheckItem(BaseModel):
    """One check: what was checked, whether it passed, and what was found."""

    model_config = ConfigDict(extra="forbid")
    name: str
    ok: bool
    detail: str


def expected_tables() -> dict[str, set[str]]:
    """Table -> columns, as the migrations create them (on a scratch SQLite store)."""
    with tempfile.TemporaryDirectory(prefix="netops-schema-") as scratch:
        store = Store(f"sqlite:///{Path(scratch) / 'schema.sqlite'}")
        try:
            insp = inspect(store.engine)
            return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}
        finally:
            store.dispose()


def _schema_version(store: Store) -> CheckItem:
    found, latest = store.schema_version(), latest_version()
    if found == latest:
        return CheckItem(name="schema version", ok=True, detail=f"{found} (the newest)")
    hint = "run `netops store migrate`" if found < latest else "this netops is older than the store: upgrade netops"
    return CheckItem(name="schema version", ok=False, detail=f"{found}, expected {latest}: {hint}")


def _tables(conn: Connection) -> CheckItem:
    insp = inspect(conn)
    present = {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}
    problems = []
    for table, columns in sorted(expected_tables().items()):
        if table not in present:
            problems.append(f"table {table} missing")
        elif missing := sorted(columns - present[table]):
            problems.append(f"{table} lacks {', '.join(missing)}")
    return CheckItem(name="tables and columns", ok=not problems,
                     detail="; ".join(problems) or f"{len(present)} tables as the migrations define them")


def _orphans(conn: Connection) -> CheckItem:
    meta = MetaData()
    meta.reflect(conn)
    problems = []
    for table in meta.sorted_tables:
        for fk in table.foreign_key_constraints:
            child, parent = [e.parent.name for e in fk.elements], [e.column.name for e in fk.elements]
            join = " AND ".join(f"p.{p} = c.{c}" for c, p in zip(child, parent, strict=True))
            present = " AND ".join(f"c.{c} IS NOT NULL" for c in child)
            orphans = conn.execute(text(
                f"SELECT COUNT(*) FROM {table.name} c WHERE {present} "
                f"AND NOT EXISTS (SELECT 1 FROM {fk.referred_table.name} p WHERE {join})")).scalar_one()
            if orphans:
                problems.append(f"{orphans} row(s) of {table.name} point at no {fk.referred_table.name}")
    return CheckItem(name="foreign keys", ok=not problems, detail="; ".join(problems) or "every reference resolves")


def _sqlite_integrity(conn: Connection) -> list[CheckItem]:
    rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
    return [CheckItem(name="PRAGMA integrity_check", ok=rows == ["ok"], detail="; ".join(rows[:10]))]


def _postgresql_integrity(conn: Connection) -> list[CheckItem]:
    not_valid = [f"{r[0]}.{r[1]}" for r in conn.execute(text(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = current_schema() AND NOT c.convalidated"))]
    invalid_indexes = [r[0] for r in conn.execute(text(
        "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
        "AND NOT (i.indisvalid AND i.indisready)"))]
    behind = []
    serials = conn.execute(text(
        "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL ORDER BY table_name"))
    for table, column, sequence in serials.all():
        top = conn.execute(text(f"SELECT MAX({column}) FROM {table}")).scalar()
        last, called = conn.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        next_value = last + 1 if called else last
        if top is not None and next_value <= top:
            behind.append(f"{sequence} would give {next_value} but {table}.{column} reaches {top}")
    return [
        CheckItem(name="constraints validated", ok=not not_valid,
                  detail=", ".join(not_valid) or "every constraint is VALID"),
        CheckItem(name="indexes valid", ok=not invalid_indexes, detail=", ".join(invalid_indexes) or "all valid"),
        CheckItem(name="sequences", ok=not behind, detail="; ".join(behind) or "every sequence is past its column"),
    ]


def check_store(store: Store) -> list[CheckItem]:
    """Every check, each on its own connection: a store too damaged for one still gets the others."""
    integrity = _sqlite_integrity if store.backend == "sqlite" else _postgresql_integrity
    steps: list[tuple[str, Callable[[Connection], list[CheckItem]]]] = [
        ("integrity", integrity),
        ("schema version", lambda _conn: [_schema_version(store)]),
        ("tables and columns", lambda conn: [_tables(conn)]),
        ("foreign keys", lambda conn: [_orphans(conn)]),
    ]
    if store.backend != "sqlite":  # a server out of reach is an error; a SQLite file that fails is damaged
        with store.reading() as conn:
            conn.execute(text("SELECT 1"))
    items: list[CheckItem] = []
    for name, step in steps:
        try:
            with store.reading() as conn:
                items += step(conn)
        except (StoreError, SQLAlchemyError) as exc:
            items.append(CheckItem(name=name, ok=False, detail=str(exc)))
    return items
