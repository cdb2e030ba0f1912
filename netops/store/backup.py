"""Backups of the store and restoring them, and copying a whole store between backends.

SQLite: the online backup API (a consistent copy while other processes keep writing; the
restore goes the same way back). PostgreSQL: pg_dump's custom format and pg_restore, found on
the PATH or in Debian's /usr/lib/postgresql/VERSION/bin; the connection is handed to them in
PG* environment variables, never on a command line where `ps` would show the password.
`copy_store` moves every row through SQLAlchemy, so it goes either way (SQLite -> PostgreSQL is
how a city moves its laptop store to production) and then moves each sequence past its ids.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from sqlalchemy import Connection, MetaData, Table, insert, select, text

from netops.errors import StoreError
from netops.store.db import Store, redact
from netops.store.pg_cluster import find_pg_binary

SQLITE_MAGIC, PG_DUMP_MAGIC = b"SQLite format 3\x00", b"PGDMP"
BATCH = 1000


def row_counts(store: Store) -> dict[str, int]:
    """Rows per table (schema_version left out): an empty dict or all zeros is an empty store."""
    meta = MetaData()
    with store.reading() as conn:
        meta.reflect(conn)
        return {t.name: int(conn.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar_one())
                for t in sorted(meta.sorted_tables, key=lambda t: t.name) if t.name != "schema_version"}


def archive_kind(path: Path) -> str:
    """`sqlite` or `postgresql`: which backend's backup a file is, from its first bytes."""
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise StoreError(f"{path}: neither a SQLite database nor a pg_dump archive")


# -- SQLite ------------------------------------------------------------------------------------------
def _sqlite_path(store: Store) -> str:
    database = store.url_obj.database
    if not database or database == ":memory:":
        raise StoreError("an in-memory SQLite store has nothing to back up or restore")
    return database


def _sqlite_copy(source: str, target: str) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


# -- PostgreSQL --------------------------------------------------------------------------------------
def _pg_tool(store: Store, name: str, args: list[str]) -> None:
    binary = find_pg_binary(name)
    if binary is None:
        raise StoreError(f"{name} not found: install Debian's postgresql-client (scripts/setup.sh does)")
    url = store.url_obj
    env = {**os.environ, "PGDATABASE": url.database or "", "PGUSER": url.username or "",
           "PGHOST": str(url.host or url.query.get("host") or ""), "PGPORT": str(url.port or "")}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if "sslmode" in url.query:
        env["PGSSLMODE"] = str(url.query["sslmode"])
    done = subprocess.run([binary, *args], env={k: v for k, v in env.items() if v}, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        message = redact(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no message", url)
        raise StoreError(f"{name} failed on {store.safe_url}: {message}")


# -- operations ----------------------------------------------------------------------------------------
def backup_store(store: Store, out: Path) -> None:
    """Write a consistent backup of `store` to `out`, which must not exist yet."""
    if out.exists():
        raise StoreError(f"{out} exists: a backup never overwrites a file, choose a new name")
    out.parent.mkdir(parents=True, exist_ok=True)
    if store.backend == "sqlite":
        _sqlite_copy(_sqlite_path(store), str(out))
    else:
        _pg_tool(store, "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={out}"])


def restore_store(store: Store, archive: Path) -> None:
    """Replace the store's content with a backup of the same backend."""
    if not archive.is_file():
        raise StoreError(f"{archive}: no such backup file")
    kind = archive_kind(archive)
    if kind != store.backend:
        raise StoreError(f"{archive} is a {kind} backup and the store is {store.backend}: restore it into a "
                         f"{kind} store, then `netops store copy` it across")
    if kind == "sqlite":
        with closing(sqlite3.connect(archive)) as probe:
            if probe.execute("SELECT name FROM sqlite_master WHERE name = 'schema_version'").fetchone() is None:
                raise StoreError(f"{archive} is a SQLite database but not a netops store (no schema_version)")
        store.dispose()
        _sqlite_copy(str(archive), _sqlite_path(store))
    else:
        store.dispose()
        _pg_tool(store, "pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                                       "--single-transaction", f"--dbname={store.url_obj.database}", str(archive)])


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    result = conn.execute(select(table))
    while rows := result.mappings().fetchmany(BATCH):
        yield [dict(r) for r in rows]


def copy_store(source: Store, target: Store) -> dict[str, int]:
    """Every row of `source` into the empty, migrated `target`, in one target transaction; rows per table."""
    source_meta, target_meta = MetaData(), MetaData()
    copied: dict[str, int] = {}
    with source.transaction() as src:
        source_meta.reflect(src)
        with target.transaction() as dst:
            target_meta.reflect(dst)
            for table in source_meta.sorted_tables:  # parents before children
                if table.name == "schema_version":
                    continue
                if table.name not in target_meta.tables:
                    raise StoreError(f"table {table.name} of {source.safe_url} is unknown to {target.safe_url}")
                copied[table.name] = 0
                for batch in _batches(src, table):
                    dst.execute(insert(target_meta.tables[table.name]), batch)
                    copied[table.name] += len(batch)
            if target.backend == "postgresql":
                _advance_sequences(dst, target_meta)
    return copied


def _advance_sequences(conn: Connection, meta: MetaData) -> None:
    """Rows came with their ids: move each serial sequence to its column's largest id."""
    for table in meta.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:
                conn.execute(text(f"SELECT setval('{sequence}', COALESCE(MAX({column.name}), 1), "
                                  f"MAX({column.name}) IS NOT NULL) FROM {table.name}"))
