"""The store: SQLite by default (one file), any SQLAlchemy 2 URL (e.g. PostgreSQL) works.

Migrations are numbered modules in netops/store/migrations (`NNNN_name.py`, each with
`upgrade(conn)`), applied in order inside one transaction each, and recorded in
`schema_version`. Every write goes through `Store.transaction()`: all or nothing.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from netops.errors import StoreError
from netops.files import create_private
from netops.store import migrations as migrations_pkg


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    # SQLite: take the write lock at BEGIN, so read-then-write allocations cannot interleave.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite:///"):
            # 0600 from the first byte: SQLite gives its -wal and -shm files the database's mode.
            path = url.removeprefix("sqlite:///")
            if path and not path.startswith(":memory:"):
                create_private(Path(path))
            self.engine: Engine = create_engine(url, connect_args={"timeout": 60, "isolation_level": None})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _begin_immediate)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self.migrate()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic unit of work; on PostgreSQL it runs SERIALIZABLE for allocations."""
        try:
            with self.engine.begin() as conn:
                if self.engine.dialect.name == "postgresql":
                    conn.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"store {self.safe_url}: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}") from exc

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied."""
        applied: list[str] = []
        with self.transaction() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"))
            done = {row[0] for row in conn.execute(text("SELECT version FROM schema_version"))}
            for version, name, module in available_migrations():
                if version in done:
                    continue
                module.upgrade(conn)
                conn.execute(text("INSERT INTO schema_version (version, name) VALUES (:v, :n)"), {"v": version, "n": name})
                applied.append(name)
        return applied

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM schema_version")).scalar_one())


def available_migrations() -> list[tuple[int, str, ModuleType]]:
    found = []
    for info in pkgutil.iter_modules(migrations_pkg.__path__):
        head, _, rest = info.name.partition("_")
        if head.isdigit():
            found.append((int(head), info.name, importlib.import_module(f"{migrations_pkg.__name__}.{info.name}")))
    return sorted(found, key=lambda item: item[0])
