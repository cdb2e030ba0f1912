"""Playbook runs: which playbook (by content hash), who, when, dry run or not, every host's result."""
from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("playbook_runs", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("playbook", Text, nullable=False),
          Column("sha256", Text, nullable=False),
          Column("actor", Text, nullable=False),
          Column("started_at", Text, nullable=False),
          Column("finished_at", Text, nullable=False),
          Column("check_only", Integer, nullable=False),
          Column("failed", Integer, nullable=False),
          Column("body", Text, nullable=False))
    meta.create_all(conn)
