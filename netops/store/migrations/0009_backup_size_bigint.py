"""Backup sizes in bytes outgrow 32 bits (a 40 GB disk image): `vps_backup.size_bytes` becomes BIGINT.

Found when the store's tests first ran on PostgreSQL, where INTEGER is 4 bytes and recording a
2.5 GB backup failed with "integer out of range". SQLite's INTEGER already holds 8 bytes (and
SQLite cannot alter a column's type), so only PostgreSQL changes.
"""
from sqlalchemy import Connection, text


def upgrade(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE vps_backup ALTER COLUMN size_bytes TYPE BIGINT"))
