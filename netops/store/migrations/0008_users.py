"""Web users: a PD's clerks see only their PD; Service Desk, Dinas engineers and auditors see the city."""
from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("users", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("username", Text, nullable=False, unique=True),
          Column("role", Text, nullable=False),
          Column("pd", Text),
          Column("password_hash", Text, nullable=False),
          Column("disabled", Integer, nullable=False, default=0),
          Column("created_at", Text, nullable=False))
    meta.create_all(conn)
