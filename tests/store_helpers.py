"""Reading a whole store back, whatever its backend: compare before/after, or SQLite with PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, create_engine, select


def dump(store_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal dumps mean equal stores."""
    engine = create_engine(store_url)
    try:
        meta = MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            return {name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                    for name, table in sorted(meta.tables.items())}
    finally:
        engine.dispose()
