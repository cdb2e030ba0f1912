"""Snapshots round-trip through a real SQLite store, all rows or none."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from netops.cli.main import cli
from netops.errors import NotFoundError, StoreError
from netops.models.observation import (
    DeviceFailure,
    DeviceObservation,
    FailureReason,
    LinkObservation,
    LinkState,
    NewAdjacency,
    Snapshot,
)
from netops.store import snapshots as snapshots_module
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot, list_snapshots, load_snapshot, save_snapshot

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def sample(minute: int = 0) -> Snapshot:
    return Snapshot(
        started_at=T0 + timedelta(minutes=minute),
        finished_at=T0 + timedelta(minutes=minute, seconds=4),
        actor="rudi",
        request={"via": ["snmp"], "timeout": 3.0},
        observations={
            "edge-01": DeviceObservation(
                host="edge-01",
                via="snmp",
                facts={"serial_number": "HFG09KQ1", "vendor": "MikroTik"},
                interfaces={"sfp-sfpplus1": {"is_up": True, "is_enabled": True, "speed": 10000.0}},
                lldp_neighbors_detail={
                    "sfp-sfpplus1": [{"remote_system_name": "core-01", "remote_port": "xe-0/0/0"}]
                },
            )
        },
        failures={
            "edge-02": DeviceFailure(
                host="edge-02",
                via="snmp",
                reason=FailureReason.timeout,
                message="no response from 198.19.0.14:161 (2 x 3s)",
            )
        },
        links={
            "BTM-FO-0001": LinkObservation(
                link_id="BTM-FO-0001", state=LinkState.up, reason="LLDP both ways", speed_mbps=10000.0
            ),
            "BTM-FO-0002": LinkObservation(
                link_id="BTM-FO-0002", state=LinkState.unseen, reason="neither end"
            ),
        },
        new_adjacencies=[
            NewAdjacency(a_device="edge-01", a_interface="ether5", b_device="sw-01", b_interface="Gi0/1")
        ],
    )


def test_save_and_load_round_trip(store_url: str) -> None:
    store = Store(store_url)
    original = sample()
    sid = save_snapshot(store, original)
    loaded = load_snapshot(store, sid)
    assert loaded == original.model_copy(update={"id": sid})


def test_list_is_newest_first_with_link_counts_and_latest(store_url: str) -> None:
    store = Store(store_url)
    first, second = save_snapshot(store, sample(0)), save_snapshot(store, sample(5))
    listed = list_snapshots(store)
    assert [s.id for s in listed] == [second, first]
    assert listed[0].devices == 2 and listed[0].failed == 1
    assert listed[0].links == {"up": 1, "unseen": 1}
    latest = latest_snapshot(store)
    assert latest is not None and latest.id == second


def test_empty_store_has_no_latest_and_unknown_id_is_not_found(store_url: str) -> None:
    store = Store(store_url)
    assert latest_snapshot(store) is None and list_snapshots(store) == []
    with pytest.raises(NotFoundError, match="no snapshot 42"):
        load_snapshot(store, 42)


def test_failed_save_leaves_nothing_half_written(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(store_url)
    kept = save_snapshot(store, sample(0))

    def audit_fails(conn, *args, **kwargs):  # type: ignore[no-untyped-def]
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))  # a real database error, mid-transaction

    monkeypatch.setattr(snapshots_module, "record", audit_fails)
    with pytest.raises(StoreError):
        save_snapshot(store, sample(5))
    assert [s.id for s in list_snapshots(store)] == [kept]
    with store.transaction() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM snapshot_devices")).scalar_one() == 2
        assert conn.execute(text("SELECT COUNT(*) FROM snapshot_links")).scalar_one() == 2


def test_snapshots_commands_list_show_diff(store_url: str) -> None:
    store = Store(store_url)
    first = save_snapshot(store, sample(0))
    later = sample(5)
    later.links["BTM-FO-0001"] = LinkObservation(link_id="BTM-FO-0001", state=LinkState.down,
                                                 reason="edge-01 sfp-sfpplus1 oper down")
    second = save_snapshot(store, later)
    runner = CliRunner()
    listed = runner.invoke(cli, ["snapshots", "list"])
    assert listed.exit_code == 0 and f"{first}" in listed.output and "1 down" in listed.output
    shown = json.loads(runner.invoke(cli, ["snapshots", "show", str(second), "--json"]).stdout)
    assert shown["counts"]["links"]["down"] == 1 and shown["failures"]["edge-02"]["reason"] == "timeout"
    diff = json.loads(runner.invoke(cli, ["snapshots", "diff", str(first), str(second), "--json"]).stdout)
    changed = [(c["subject"], c["before"], c["after"]) for c in diff["links_changed"]]
    assert changed == [("BTM-FO-0001", "up", "down")]
    human = runner.invoke(cli, ["snapshots", "diff", str(first), str(second)])
    assert human.exit_code == 0 and "links changed" in human.output and "BTM-FO-0001" in human.output


def test_unknown_snapshot_is_a_one_line_error(store_url: str) -> None:
    result = CliRunner().invoke(cli, ["snapshots", "show", "99"])
    assert result.exit_code == 2 and "no snapshot 99" in result.output and "Traceback" not in result.output
