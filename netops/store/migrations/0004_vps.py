"""The VPS register (Art. 15(7)-(9)), its IP allocations and recorded backups (Art. 17).

UNIQUE constraints are the last line of defence behind the allocation transaction:
a name once given is never reused, a MAC is never reused, an address is held by at
most one allocation that has not been freed, and a live request key maps to one VPS.
"""
from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    vps = Table("vps", meta,
                Column("id", Integer, primary_key=True, autoincrement=True),
                Column("name", Text, nullable=False, unique=True),
                Column("request_key", Text, nullable=False),
                Column("pd", Text, nullable=False),
                Column("purpose", Text, nullable=False),
                Column("purpose_slug", Text, nullable=False),
                Column("owner", Text, nullable=False, default=""),
                Column("vcpu", Integer, nullable=False),
                Column("memory_mib", Integer, nullable=False),
                Column("disk_gib", Integer, nullable=False),
                Column("os_template", Text, nullable=False),
                Column("host", Text, nullable=False),
                Column("mac", Text, nullable=False, unique=True),
                Column("state", Text, nullable=False),
                Column("backup_policy", Text, nullable=False),
                Column("created_at", Text, nullable=False),
                Column("created_by", Text, nullable=False),
                Column("changed_at", Text, nullable=False),
                Column("changed_by", Text, nullable=False),
                Column("decommissioned_at", Text))
    Index("uq_vps_live_request", vps.c.request_key, unique=True,
          sqlite_where=text("state <> 'decommissioned'"), postgresql_where=text("state <> 'decommissioned'"))
    Index("ix_vps_pd", vps.c.pd)
    ips = Table("vps_ip", meta,
                Column("id", Integer, primary_key=True, autoincrement=True),
                Column("vps_id", Integer, ForeignKey("vps.id"), nullable=False),
                Column("pool", Text, nullable=False),
                Column("ip", Text, nullable=False),
                Column("vlan", Integer, nullable=False),
                Column("allocated_at", Text, nullable=False),
                Column("freed_at", Text))
    Index("uq_vps_ip_held", ips.c.pool, ips.c.ip, unique=True,
          sqlite_where=text("freed_at IS NULL"), postgresql_where=text("freed_at IS NULL"))
    Index("ix_vps_ip_vps", ips.c.vps_id)
    Table("vps_backup", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("vps_id", Integer, ForeignKey("vps.id"), nullable=False),
          Column("at", Text, nullable=False),
          Column("status", Text, nullable=False),
          Column("snapshot", Text),
          Column("size_bytes", Integer),
          Column("source", Text, nullable=False),
          Column("recorded_at", Text, nullable=False),
          Column("recorded_by", Text, nullable=False),
          UniqueConstraint("vps_id", "at", "status", name="uq_vps_backup_event"))
    meta.create_all(conn)
