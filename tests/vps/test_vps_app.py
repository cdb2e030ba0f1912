"""The VPS use cases called as the web would (no click): typed results, one row model in store and service."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from netops.app import vps as app_vps
from netops.app.session import Session
from netops.errors import InputError
from netops.models.vps import VpsRecord


def ask() -> app_vps.VpsRequest:
    return app_vps.VpsRequest(pd="BAPENDA", purpose="Pajak Daerah", vcpu=2, memory_mib=4096, disk_gib=40,
                              os_template="debian-12")


def test_create_list_stop_quota_reconcile_without_click(project: Path) -> None:
    session = Session()
    dry = app_vps.create_vps(session, ask(), dry_run=True)
    assert dry.dry_run and not dry.applied and dry.plan is not None and "<domain" in dry.plan.domain_xml
    assert app_vps.list_vps(session) == []                      # a dry run writes nothing
    made = app_vps.create_vps(session, ask())
    assert made.created and made.applied and made.plan is None and made.backend == "dryrun"
    assert [v.name for v in app_vps.list_vps(session, "bapenda")] == [made.vps.name]
    assert app_vps.change_state(session, "stop", made.vps.name).state.value == "stopped"
    quota = app_vps.vps_quota(session, "bapenda").model_dump(mode="json")
    assert quota["used"] == {"vcpu": 2, "memory_mib": 4096, "disk_gib": 40} and quota["vps"] == 1
    assert app_vps.reconcile(session).drift == []
    with pytest.raises(InputError, match="at least one of"):
        app_vps.resize_vps(session, made.vps.name, None, None, None)


def test_the_register_row_has_exactly_the_columns_of_the_row_model(project: Path) -> None:
    session = Session()
    name = app_vps.create_vps(session, ask()).vps.name
    with session.store.transaction() as conn:
        row = dict(conn.execute(text("SELECT * FROM vps WHERE name = :n"), {"n": name}).mappings().one())
    assert set(row) == set(VpsRecord.model_fields)
    assert row["created_at"].endswith("+00:00") and "T" in row["created_at"]      # stored times compare as text
    assert VpsRecord.model_validate(row).columns() == row
