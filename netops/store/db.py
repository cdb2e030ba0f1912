"""The store: SQLite by default (one file), PostgreSQL for a city's production (many users at once).

Migrations are numbered modules in netops/store/migrations (`NNNN_name.py`, each with
`upgrade(conn)`), applied in order inside one transaction each, and recorded in
`schema_version`. Every write goes through `Store.transaction()` (all or nothing), and every
read-check-write goes through `Store.atomic()`, which re-runs the whole unit of work when a
concurrent writer won: SQLite takes its write lock at BEGIN (IMMEDIATE), so the unit of work
never interleaves; PostgreSQL runs it SERIALIZABLE and refuses one of two conflicting
transactions (SQLSTATE 40001/40P01), which `atomic()` runs again, queued behind an advisory
lock, and counts in `Store.retries`.

The URL may carry a password (PostgreSQL); it is never part of a message: errors name
`safe_url` and any text from the driver is scrubbed of the password before it is shown.
"""
from __future__ import annotations

import importlib
import pkgutil
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from netops.errors import StoreError
from netops.files import create_private
from netops.store import migrations as migrations_pkg

T = TypeVar("T")
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock (PostgreSQL)
MIGRATION_LOCK = 0x6E65746F  # pg_advisory_xact_lock key: concurrent first starts migrate one at a time
RETRY_LOCK = 0x6E657472  # pg_advisory_lock key: units of work that lost once queue for their re-run


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:   # a DB-API connection of sqlite3
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _begin_immediate(conn: Connection) -> None:
    # SQLite: take the write lock at BEGIN, so read-then-write allocations cannot interleave.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL, or a StoreError that never repeats the string (it may hold a password).

    A password given as `?password=` moves into the URL's password field, which is always masked.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        scheme = url.partition("://")[0] if "://" in url else "?"
        raise StoreError(f"store URL is not a valid SQLAlchemy URL (scheme {scheme!r}); "
                         "expected e.g. sqlite:///var/netops.sqlite or postgresql+psycopg://USER@HOST/DB") from exc
    if "password" in parsed.query:  # ?password=... is one more way to write it: keep it where it is masked
        password = parsed.query["password"]
        parsed = parsed.difference_update_query(["password"]).set(
            password=password if isinstance(password, str) else password[0])
    return parsed


def redact(message: str, url: URL) -> str:
    """`message` with the URL's password (raw and percent-encoded forms) replaced by ***."""
    password = url.password
    if not password:
        return message
    for form in sorted({str(password), quote(str(password), safe=""), quote_plus(str(password))}, key=len,
                       reverse=True):
        message = message.replace(form, "***")
    return message


def is_retryable(exc: BaseException | None) -> bool:
    """A concurrent writer got there first: the whole transaction can simply run again.

    A UNIQUE violation counts too: every unit of work reads before it inserts, so on the
    re-run it sees the row the other writer committed and decides again.
    """
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        sqlite_code = getattr(orig, "sqlite_errorcode", None)   # extended code; the low byte is the primary
        return state in RETRYABLE_SQLSTATES or (
            isinstance(sqlite_code, int) and (sqlite_code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED))
    return False


class Store:
    def __init__(self, url: str, *, migrate: bool = True):
        self.url_obj = parse_url(url)
        self.retries = 0  # units of work re-run because a concurrent writer won (see atomic())
        try:
            if self.url_obj.get_backend_name() == "sqlite":
                if self.url_obj.database and self.url_obj.database != ":memory:":
                    Path(self.url_obj.database).parent.mkdir(parents=True, exist_ok=True)
                    if migrate:  # 0600 from the first byte: SQLite gives its -wal and -shm files the same mode
                        create_private(Path(self.url_obj.database))
                self.engine: Engine = create_engine(self.url_obj, connect_args={"timeout": 60,
                                                                                "isolation_level": None})
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _begin_immediate)
            else:
                self.engine = create_engine(self.url_obj, pool_pre_ping=True, isolation_level="SERIALIZABLE")
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"store {self.safe_url}: {redact(str(exc), self.url_obj)}") from exc
        if migrate:
            self.migrate()

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql` (the SQLAlchemy dialect name)."""
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        return self.url_obj.render_as_string(hide_password=True)

    def error(self, exc: BaseException) -> StoreError:
        """A StoreError naming the store (without password) and what the database said."""
        detail = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        return StoreError(f"store {self.safe_url}: {exc.__class__.__name__}: {redact(str(detail), self.url_obj)}")

    @contextmanager
    def transaction(self, engine: Engine | None = None) -> Iterator[Connection]:
        """One atomic unit of work (SERIALIZABLE on PostgreSQL, write-locked from BEGIN on SQLite)."""
        try:
            with (engine or self.engine).begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self.error(exc) from exc

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A plain connection for reads that take no lock (checks, counts, reflection)."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self.error(exc) from exc

    def atomic(self, work: Callable[[Connection], T], attempts: int = 40) -> T:
        """Run `work` in one transaction, again from the start when a concurrent writer won.

        PostgreSQL: the first attempt is optimistic (SERIALIZABLE, no lock); a unit of work that
        lost re-runs holding a session advisory lock, taken before its transaction begins, so
        the losers queue instead of colliding again (50 creates at once: about one re-run each,
        not hundreds in all). `self.retries` counts the re-runs; backoff is jittered.
        """
        for attempt in range(attempts):
            try:
                if attempt and self.backend == "postgresql":
                    return self._queued(work)
                with self.transaction() as conn:
                    return work(conn)
            except StoreError as exc:
                if attempt == attempts - 1 or not is_retryable(exc.__cause__):
                    raise
                self.retries += 1
                time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** attempt)))
        raise AssertionError("unreachable")

    def _queued(self, work: Callable[[Connection], T]) -> T:
        """`work` in a SERIALIZABLE transaction begun only once this session holds the retry lock."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": RETRY_LOCK})
                conn.commit()  # the lock is the session's; the work's snapshot is taken after it is held
                try:
                    with conn.begin():
                        return work(conn)
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": RETRY_LOCK})
                    conn.commit()
        except SQLAlchemyError as exc:
            raise self.error(exc) from exc

    def migrate(self, up_to: int | None = None) -> list[str]:
        """Apply pending migrations (all, or those numbered up to `up_to`); returns the names applied.

        On PostgreSQL migrations run READ COMMITTED under an advisory lock: fifty processes
        starting at once on an empty database migrate it once, the others then see it done.
        """
        target = latest_version() if up_to is None else up_to
        if self.schema_version() >= target:
            return []
        applied: list[str] = []
        engine = self.engine
        if self.backend == "postgresql":
            engine = self.engine.execution_options(isolation_level="READ COMMITTED")
        with self.transaction(engine) as conn:
            if self.backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            conn.execute(text("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"))
            done = {row[0] for row in conn.execute(text("SELECT version FROM schema_version"))}
            for version, name, module in available_migrations():
                if version in done or version > target:
                    continue
                module.upgrade(conn)
                conn.execute(text("INSERT INTO schema_version (version, name) VALUES (:v, :n)"), {"v": version, "n": name})
                applied.append(name)
        return applied

    def schema_version(self) -> int:
        """The newest migration applied; 0 for an empty database."""
        with self.reading() as conn:
            if not self.engine.dialect.has_table(conn, "schema_version"):
                return 0
            return int(conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM schema_version")).scalar_one())

    def dispose(self) -> None:
        """Close pooled connections (a command that is done with the store, a test tearing down)."""
        self.engine.dispose()


def available_migrations() -> list[tuple[int, str, ModuleType]]:
    found = []
    for info in pkgutil.iter_modules(migrations_pkg.__path__):
        head = info.name.partition("_")[0]
        if head.isdigit():
            found.append((int(head), info.name, importlib.import_module(f"{migrations_pkg.__name__}.{info.name}")))
    return sorted(found, key=lambda item: item[0])


def latest_version() -> int:
    return available_migrations()[-1][0]
