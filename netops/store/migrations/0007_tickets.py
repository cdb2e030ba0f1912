"""Service Desk (Art. 40(7)-(11)): tickets from Tier 1, their timeline, and incidents that group them."""
from sqlalchemy import Column, Connection, ForeignKey, Integer, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("incidents", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("cause", Text, nullable=False),
          Column("status", Text, nullable=False),
          Column("opened_at", Text, nullable=False),
          Column("resolved_at", Text),
          Column("pds", Text, nullable=False, default="[]"),
          Column("summary", Text, nullable=False, default=""))
    Table("tickets", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("pd", Text, nullable=False),
          Column("summary", Text, nullable=False),
          Column("reporter", Text, nullable=False),
          Column("priority", Text, nullable=False),
          Column("status", Text, nullable=False),
          Column("tier", Integer, nullable=False, default=1),
          Column("assignee", Text),
          Column("opened_at", Text, nullable=False),
          Column("responded_at", Text),
          Column("resolved_at", Text),
          Column("resolution", Text),
          Column("incident_id", Integer, ForeignKey("incidents.id")),
          Column("diagnosis", Text))
    Table("ticket_events", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
          Column("at", Text, nullable=False),
          Column("actor", Text, nullable=False),
          Column("kind", Text, nullable=False),
          Column("text", Text, nullable=False, default=""))
    meta.create_all(conn)
