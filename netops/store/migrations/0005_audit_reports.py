"""Infrastructure audit reports (Art. 42): every report's figures, so the next one can say what changed."""
from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("audit_reports", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("generated_at", Text, nullable=False),
          Column("actor", Text, nullable=False),
          Column("lang", Text, nullable=False),
          Column("body", Text, nullable=False))
    meta.create_all(conn)
