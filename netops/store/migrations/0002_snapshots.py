"""Sweep snapshots: one row per sweep, one per device answer or failure, one per judged link."""

from sqlalchemy import Column, Connection, Float, ForeignKey, Integer, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "snapshots",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("started_at", Text, nullable=False),
        Column("finished_at", Text, nullable=False),
        Column("actor", Text, nullable=False),
        Column("request", Text, nullable=False),
        Column("devices", Integer, nullable=False),
        Column("failed", Integer, nullable=False),
        Column("new_adjacencies", Text, nullable=False, default="[]"),
    )
    Table(
        "snapshot_devices",
        meta,
        Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        Column("host", Text, primary_key=True),
        Column("via", Text, nullable=False),
        Column("reason", Text, nullable=True),  # NULL: the device answered; else a FailureReason
        Column("body", Text, nullable=False),
    )  # the DeviceObservation or DeviceFailure as JSON
    Table(
        "snapshot_links",
        meta,
        Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        Column("link_id", Text, primary_key=True),
        Column("state", Text, nullable=False),
        Column("reason", Text, nullable=False),
        Column("speed_mbps", Float, nullable=True),
    )
    meta.create_all(conn)
