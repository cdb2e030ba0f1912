"""Base schema: an audit log of who changed what through netops, and when."""
from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("audit_log", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("at", Text, nullable=False),
          Column("actor", Text, nullable=False),
          Column("action", Text, nullable=False),
          Column("subject", Text, nullable=False),
          Column("detail", Text, nullable=False, default="{}"))
    meta.create_all(conn)
