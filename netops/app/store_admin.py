"""Looking after the store: migrate, check, back up, restore, copy to another backend.

Each function opens what it needs and returns a pydantic result that renders itself as JSON;
the `netops store` commands only parse and print. Stores are named by SQLAlchemy URL; a URL
never leaves this module with its password (results carry `safe_url`).

Where the PostgreSQL password comes from (never from a file in the project): the URL in
NETOPS_STORE, or `store_password` in the secrets file (NETOPS_SECRETS_FILE), added to a
password-less URL from netops.yaml or NETOPS_STORE.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from netops.config import Config
from netops.errors import StoreError
from netops.sources.secrets import load_secrets
from netops.store import audit
from netops.store.backup import backup_store, copy_store, restore_store, row_counts
from netops.store.check import CheckItem, check_store
from netops.store.db import Store, latest_version, parse_url


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MigrateResult(_Result):
    store: str
    backend: str
    applied: list[str]
    schema_version: int


class CheckResult(_Result):
    store: str
    backend: str
    ok: bool
    checks: list[CheckItem]


class BackupResult(_Result):
    store: str
    backend: str
    file: Path
    size_bytes: int
    rows: dict[str, int]


class RestoreResult(_Result):
    store: str
    backend: str
    file: Path
    rows: dict[str, int]
    check: CheckResult


class CopyResult(_Result):
    source: str
    target: str
    rows: dict[str, int]
    check: CheckResult


def configured_store_url(config: Config) -> str:
    """The project's store URL with the secrets file's `store_password` when the URL has none."""
    url = parse_url(config.store_url)
    if url.password is None and url.get_backend_name() != "sqlite":
        fleet, _ = load_secrets(config.secrets_file, config.root)
        if fleet.store_password is not None:
            return url.set(password=fleet.store_password.get_secret_value()).render_as_string(hide_password=False)
    return config.store_url


def has_password(url: str) -> bool:
    """Whether a store URL carries a password (visible to other users when given on a command line)."""
    return bool(parse_url(url).password)


def open_existing(url: str) -> Store:
    """A store to read as it is (no migration); a SQLite file that is not there is an error, not a new store."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        raise StoreError(f"no SQLite store at {parsed.database}")
    return Store(url, migrate=False)


def migrate(url: str) -> MigrateResult:
    store = Store(url, migrate=False)
    applied = store.migrate()
    if applied:
        with store.transaction() as conn:
            audit.record(conn, "store.migrate", store.safe_url, {"applied": applied})
    return MigrateResult(store=store.safe_url, backend=store.backend, applied=applied,
                         schema_version=store.schema_version())


def _check(store: Store) -> CheckResult:
    items = check_store(store)
    return CheckResult(store=store.safe_url, backend=store.backend, ok=all(i.ok for i in items), checks=items)


def check(url: str) -> CheckResult:
    """Read-only: an old schema is reported, not migrated."""
    return _check(open_existing(url))


def backup(url: str, out: Path) -> BackupResult:
    store = open_existing(url)
    if store.schema_version() == 0:
        raise StoreError(f"store {store.safe_url} is empty (never migrated): nothing to back up")
    rows = row_counts(store)
    backup_store(store, out)
    return BackupResult(store=store.safe_url, backend=store.backend, file=out, size_bytes=out.stat().st_size,
                        rows=rows)


def restore(url: str, archive: Path, replace: bool = False) -> RestoreResult:
    """Only into an empty store unless `replace`: a restore must not wipe a live register by a typo."""
    store = Store(url, migrate=False)
    held = {t: n for t, n in row_counts(store).items() if n}
    if held and not replace:
        raise StoreError(f"store {store.safe_url} holds data ({sum(held.values())} rows): "
                         "restore into an empty store, or pass --replace to overwrite it")
    restore_store(store, archive)
    restored = Store(url, migrate=False)
    with restored.transaction() as conn:
        audit.record(conn, "store.restore", restored.safe_url, {"file": str(archive), "replaced": bool(held)})
    return RestoreResult(store=restored.safe_url, backend=restored.backend, file=archive,
                         rows=row_counts(restored), check=_check(restored))


def copy(from_url: str, to_url: str) -> CopyResult:
    """Every row of one store into another, empty one (migrated here); the target is then checked."""
    source = open_existing(from_url)
    if source.schema_version() != latest_version():
        raise StoreError(f"store {source.safe_url} is at schema version {source.schema_version()}, not "
                         f"{latest_version()}: run `netops store migrate` on it first")
    target = Store(to_url)
    if source.safe_url == target.safe_url:
        raise StoreError(f"{source.safe_url} is both source and target")
    if any(row_counts(target).values()):
        raise StoreError(f"store {target.safe_url} is not empty: copy only into a new, empty store")
    rows = copy_store(source, target)
    with target.transaction() as conn:
        audit.record(conn, "store.copy", target.safe_url, {"from": source.safe_url, "rows": rows})
    return CopyResult(source=source.safe_url, target=target.safe_url, rows=rows, check=_check(target))
