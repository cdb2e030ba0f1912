"""`netops store migrate|check|backup|restore|copy` on both backends, through the real CLI."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text
from store_helpers import dump, fill_sample_store

from netops.cli.main import cli
from netops.provision.backends.dryrun import DryRunBackend
from netops.provision.service import VpsRequest, VpsService
from netops.store.db import Store, available_migrations, latest_version
from netops.store.pg_cluster import PgCluster
from tests.diagrams.conftest import sample_inventory


def run(*args: str, store: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["store", *args], env={"NETOPS_STORE": store} if store else None)


def as_json(result: Result) -> Any:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def without(rows: dict[str, list[tuple[Any, ...]]], action: str) -> dict[str, list[tuple[Any, ...]]]:
    """The dump less the audit records of one action (the copy or restore records itself)."""
    return {t: [r for r in v if not (t == "audit_log" and r[3] == action)] for t, v in rows.items()}


def test_migrate_then_nothing_left_to_apply(store_url: str) -> None:
    first = as_json(run("migrate", "--json"))
    assert first["applied"] == [name for _, name, _ in available_migrations()]
    assert first["schema_version"] == latest_version() and first["backend"] in store_url
    again = run("migrate")
    assert again.exit_code == 0 and "nothing to apply" in again.output


def test_check_is_clean_on_a_used_store(store_url: str, tmp_path: Path) -> None:
    fill_sample_store(store_url, tmp_path / "plans")
    report = as_json(run("check", "--json"))
    assert report["ok"], report
    names = {c["name"] for c in report["checks"]}
    specific = {"PRAGMA integrity_check"} if store_url.startswith("sqlite") else {"constraints validated", "sequences"}
    assert {"schema version", "tables and columns", "foreign keys"} | specific <= names


def test_check_reports_an_old_schema_and_does_not_migrate_it(store_url: str) -> None:
    Store(store_url, migrate=False).migrate(up_to=3)
    result = run("check", "--json")
    assert result.exit_code == 1
    version = next(c for c in as_json(result)["checks"] if c["name"] == "schema version")
    assert not version["ok"] and "store migrate" in version["detail"]
    assert Store(store_url, migrate=False).schema_version() == 3


def test_check_finds_a_row_pointing_at_nothing(store_url: str) -> None:
    store = Store(store_url)
    orphan = "INSERT INTO vps_ip (vps_id, pool, ip, vlan, allocated_at) VALUES (99, 'p', '10.0.0.9', 1, '2025-01-01')"
    if store.backend == "sqlite":  # what an old tool with foreign keys off (SQLite's default) could write
        with closing(sqlite3.connect(store.url_obj.database)) as conn:
            conn.execute(orphan)
            conn.commit()
    else:  # what a bulk load with triggers off could leave behind
        with store.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(orphan))
    result = run("check")
    assert result.exit_code == 1 and "1 row(s) of vps_ip point at no vps" in result.output


def test_check_finds_a_sequence_behind_its_ids(pg_cluster: PgCluster) -> None:
    database = pg_cluster.create_database()
    try:
        url = pg_cluster.url(database)
        with Store(url).transaction() as conn:
            conn.execute(text("INSERT INTO audit_log (id, at, actor, action, subject, detail) "
                              "VALUES (7, 'now', 'me', 'test', 'x', '{}')"))
        result = run("check", "--json", store=url)
        sequences = next(c for c in as_json(result)["checks"] if c["name"] == "sequences")
        assert result.exit_code == 1 and "audit_log.id reaches 7" in sequences["detail"]
    finally:
        pg_cluster.release_database(database)


def test_backup_then_restore_into_an_empty_store(store_url: str, other_store_url: str, tmp_path: Path) -> None:
    fill_sample_store(store_url, tmp_path / "plans")
    before = dump(store_url)
    archive = tmp_path / "backups" / "netops.bak"
    made = as_json(run("backup", str(archive), "--json"))
    assert made["size_bytes"] == archive.stat().st_size > 0 and made["rows"]["vps"] == 5
    restored = as_json(run("restore", str(archive), "--json", store=other_store_url))
    assert restored["check"]["ok"] and restored["rows"]["diagram_files"] == 8
    assert without(dump(other_store_url), "store.restore") == before
    again = run("backup", str(archive))
    assert again.exit_code == 2 and "never overwrites" in again.output


def test_restore_refuses_a_store_with_data_unless_replace(store_url: str, tmp_path: Path) -> None:
    fill_sample_store(store_url, tmp_path / "plans")
    archive = tmp_path / "netops.bak"
    assert run("backup", str(archive)).exit_code == 0
    before = dump(store_url)
    inv = sample_inventory()
    svc = VpsService(Store(store_url), inv.pusat_data, inv.pds.keys(), DryRunBackend(tmp_path / "plans"))
    late = svc.create(VpsRequest("BPKAD", "arsip", 1, 1024, 10, "debian-12")).vps
    svc.store.dispose()
    refused = run("restore", str(archive))
    assert refused.exit_code == 2 and "--replace" in refused.output and late.name in {r[1] for r in dump(store_url)["vps"]}
    assert run("restore", str(archive), "--replace").exit_code == 0
    assert without(dump(store_url), "store.restore") == before  # the VPS made after the backup is gone


def test_restore_refuses_the_other_backends_backup(store_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "other.bak"
    archive.write_bytes(b"PGDMP" + bytes(64) if store_url.startswith("sqlite") else b"SQLite format 3\x00" + bytes(84))
    result = run("restore", str(archive))
    assert result.exit_code == 2 and "netops store copy" in result.output and "Traceback" not in result.output


def test_copy_moves_the_sample_store_from_sqlite_to_postgresql_and_back(pg_cluster: PgCluster, tmp_path: Path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    fill_sample_store(sqlite_url, tmp_path / "plans")
    database = pg_cluster.create_database()
    try:
        pg_url = pg_cluster.url(database)
        copied = as_json(run("copy", sqlite_url, "--json", store=pg_url))  # TO defaults to the configured store
        assert copied["check"]["ok"], copied
        assert copied["rows"] == {t: len(r) for t, r in dump(sqlite_url).items() if t != "schema_version"}
        assert without(dump(pg_url), "store.copy") == dump(sqlite_url)
        assert as_json(run("check", "--json", store=pg_url))["ok"]
        inv = sample_inventory()  # the sequences moved past the copied ids: new rows go in
        svc = VpsService(Store(pg_url), inv.pusat_data, inv.pds.keys(), DryRunBackend(tmp_path / "plans"))
        assert svc.create(VpsRequest("BPKAD", "arsip", 1, 1024, 10, "debian-12")).vps.id == 6
        svc.store.dispose()
        refused = run("copy", sqlite_url, store=pg_url)
        assert refused.exit_code == 2 and "not empty" in refused.output
        back = f"sqlite:///{tmp_path / 'back.sqlite'}"
        assert run("copy", pg_url, back).exit_code == 0
        assert without(dump(back), "store.copy") == without(dump(pg_url), "store.copy")
    finally:
        pg_cluster.release_database(database)


def test_copy_refuses_a_source_on_an_older_schema(tmp_path: Path) -> None:
    old = f"sqlite:///{tmp_path / 'old.sqlite'}"
    Store(old, migrate=False).migrate(up_to=2)
    result = run("copy", old, f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert result.exit_code == 2 and "store migrate" in result.output


@pytest.mark.parametrize("command", [["migrate"], ["check"]])
def test_an_unreachable_store_is_one_line(command: list[str], tmp_path: Path) -> None:
    result = run(*command, store=f"postgresql+psycopg://netops@/netops?host={tmp_path}")
    assert result.exit_code == 2 and "Traceback" not in result.output and result.output.count("\n") <= 2


def test_check_reports_a_damaged_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'damaged.sqlite'}"
    fill_sample_store(url, tmp_path / "plans")
    with closing(sqlite3.connect(tmp_path / "damaged.sqlite")) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    with (tmp_path / "damaged.sqlite").open("r+b") as f:
        for page in range(1, 40, 3):  # scribble over the headers of a dozen b-tree pages
            f.seek(4096 * page + 8)
            f.write(bytes(range(64)))
    result = run("check", "--json", store=url)
    report = as_json(result)
    assert result.exit_code == 1 and not report["ok"]
    assert any("malformed" in c["detail"] or not c["ok"] for c in report["checks"] if "integrity" in c["name"])


def test_check_of_a_missing_sqlite_file_does_not_create_it(tmp_path: Path) -> None:
    result = run("check", store=f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert result.exit_code == 2 and "no SQLite store at" in result.output and not (tmp_path / "none.sqlite").exists()
