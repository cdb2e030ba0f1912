"""PD LAN diagram submissions (Perwali Art. 21): the files, content-addressed, and each hand-in.

The file bytes live in the database (`diagram_files`, keyed by SHA-256), not in a folder:
a submission and its file are then written in one transaction (no orphan or missing file
after a crash), PostgreSQL deployments need no shared disk, and one backup of the store
holds everything. Diagrams are capped at 10 MB, so BLOBs stay small. Rows are only ever
inserted: a file once stored is never overwritten, a submission never edited.
"""
from sqlalchemy import Column, Connection, ForeignKey, Integer, LargeBinary, MetaData, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("diagram_files", meta,
          Column("sha256", Text, primary_key=True),
          Column("size", Integer, nullable=False),
          Column("content", LargeBinary, nullable=False),
          Column("first_seen", Text, nullable=False))
    Table("diagram_submissions", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("pd", Text, nullable=False, index=True),
          Column("sha256", Text, ForeignKey("diagram_files.sha256"), nullable=False),
          Column("filename", Text, nullable=False),
          Column("format", Text, nullable=False),
          Column("received_at", Text, nullable=False),   # when the PD handed it in (ISO date-time, UTC)
          Column("recorded_at", Text, nullable=False),   # when netops stored it
          Column("actor", Text, nullable=False),
          Column("verdict", Text, nullable=False),       # matches | findings | not-checked
          Column("snapshot_id", Integer, nullable=True),
          Column("findings", Text, nullable=False),      # JSON list of Finding
          Column("diagram", Text, nullable=False))       # the LanDiagram as read, JSON
    meta.create_all(conn)
