"""The PostgreSQL password comes only from NETOPS_STORE or the secrets file, and is never shown.

The throwaway cluster's password is random and required (SCRAM), so it is the marker: after
every command below, right or wrong, it must appear in no output, no error, no log record,
no row of the store and no backup file.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from store_helpers import dump, fill_sample_store

from netops.cli.main import cli
from netops.store.pg_cluster import PgCluster


@pytest.fixture
def database(pg_cluster: PgCluster) -> Iterator[str]:
    name = pg_cluster.create_database()
    yield name
    pg_cluster.release_database(name)


@pytest.fixture(autouse=True)
def every_log_record(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # SQLAlchemy's and psycopg's loggers included


def invoke(args: list[str], **env: str) -> Result:
    return CliRunner().invoke(cli, args, env=env)


def shown(result: Result) -> str:
    return result.stdout + result.stderr + (repr(result.exception) if result.exception else "")


def test_commands_with_the_password_in_netops_store_never_show_it(
        pg_cluster: PgCluster, database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    marker, url = pg_cluster.password, pg_cluster.url(database)
    laptop = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    fill_sample_store(laptop, tmp_path / "plans")
    runs = [invoke(["store", "copy", laptop, "--json"], NETOPS_STORE=url),
            invoke(["store", "migrate"], NETOPS_STORE=url),
            invoke(["store", "check", "--json"], NETOPS_STORE=url),
            invoke(["store", "backup", str(tmp_path / "pg.bak")], NETOPS_STORE=url),
            invoke(["vps", "list", "--json"], NETOPS_STORE=url),
            invoke(["snapshots", "list"], NETOPS_STORE=url)]
    assert [r.exit_code for r in runs] == [0] * len(runs), [shown(r) for r in runs]
    assert "netops:***@" in runs[0].stdout  # the store is named, its password masked
    wrong = [invoke(["store", "check"], NETOPS_STORE=pg_cluster.url("no_such_database")),
             invoke(["store", "check"], NETOPS_STORE=f"postgresql+psycopg://netops:{marker}@localhost:notaport/x"),
             invoke(["store", "check"], NETOPS_STORE=f"postgresql+psycopg://netops@/nothing?host={pg_cluster.root}"
                                                     f"&password={marker}"),
             invoke(["store", "backup", str(tmp_path / "pg.bak")], NETOPS_STORE=url),  # exists: refused
             invoke(["store", "restore", str(tmp_path / "pg.bak")], NETOPS_STORE=url)]  # holds data: refused
    assert [r.exit_code for r in wrong] == [2] * len(wrong), [shown(r) for r in wrong]
    assert "no_such_database" in shown(wrong[0]) and "not a valid SQLAlchemy URL" in shown(wrong[1])
    assert '"nothing" does not exist' in shown(wrong[2])  # ?password= was used, and masked
    for result in runs + wrong:
        assert marker not in shown(result)
    assert marker not in caplog.text
    assert marker not in repr(dump(url)) and marker.encode() not in (tmp_path / "pg.bak").read_bytes()


def test_a_wrong_password_is_refused_without_being_echoed(pg_cluster: PgCluster, database: str) -> None:
    wrong = "wrong-" + pg_cluster.password[::-1]
    result = invoke(["store", "check"], NETOPS_STORE=pg_cluster.url(database, password=wrong))
    assert result.exit_code == 2 and "password authentication failed" in result.stderr
    assert wrong not in shown(result) and "Traceback" not in shown(result)


def test_password_from_the_secrets_file(pg_cluster: PgCluster, database: str, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text(f"store_password: {pg_cluster.password}\n")
    secrets.chmod(0o600)
    bare = pg_cluster.url(database).replace(f":{pg_cluster.password}@", "@")
    without_secret = invoke(["store", "migrate"], NETOPS_STORE=bare)
    assert without_secret.exit_code == 2 and pg_cluster.password not in shown(without_secret)
    with_secret = invoke(["store", "migrate", "--json"], NETOPS_STORE=bare, NETOPS_SECRETS_FILE=str(secrets))
    assert with_secret.exit_code == 0, shown(with_secret)
    assert pg_cluster.password not in shown(with_secret)


def test_a_password_in_the_project_file_is_refused(tmp_path: Path) -> None:
    marker = "marker-in-project-file"
    config = tmp_path / "netops.yaml"
    config.write_text(f"store: postgresql+psycopg://netops:{marker}@db.example/netops\n")
    result = invoke(["store", "check"], NETOPS_CONFIG=str(config), NETOPS_STORE="")
    assert result.exit_code == 2 and "netops.yaml:1: store: holds a password" in result.stderr
    assert marker not in shown(result)


def test_a_password_on_the_command_line_is_warned_about(pg_cluster: PgCluster, database: str, tmp_path: Path) -> None:
    laptop = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    fill_sample_store(laptop, tmp_path / "plans")
    result = invoke(["store", "copy", laptop, pg_cluster.url(database)])
    assert result.exit_code == 0 and "visible to other users" in result.stderr
    assert pg_cluster.password not in shown(result)
