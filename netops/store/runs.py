"""Stored playbook runs: insert-only; listed newest first, read back whole."""
from __future__ import annotations

from typing import Any

from sqlalchemy import column, insert, select, table

from netops.errors import NotFoundError
from netops.models.playbook_run import PlaybookRun
from netops.store.audit import record
from netops.store.db import Store

_runs = table("playbook_runs", column("id"), column("playbook"), column("sha256"), column("actor"),
              column("started_at"), column("finished_at"), column("check_only"), column("failed"), column("body"))


def save_run(store: Store, run: PlaybookRun) -> int:
    with store.transaction() as conn:
        row = conn.execute(insert(_runs).values(
            playbook=run.playbook, sha256=run.sha256, actor=run.actor, started_at=run.started_at.isoformat(),
            finished_at=run.finished_at.isoformat(), check_only=int(run.check), failed=len(run.failed_hosts),
            body=run.model_dump_json(exclude={"id"})).returning(_runs.c.id)).scalar_one()
        record(conn, "play.run", f"playbook:{run.playbook}", {"run": row, "check": run.check,
                                                               "failed": len(run.failed_hosts)})
    return int(row)


def list_runs(store: Store, playbook: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    query = select(_runs.c.id, _runs.c.playbook, _runs.c.sha256, _runs.c.actor, _runs.c.started_at,
                   _runs.c.check_only, _runs.c.failed).order_by(_runs.c.id.desc()).limit(limit)
    if playbook:
        query = query.where(_runs.c.playbook == playbook)
    with store.transaction() as conn:
        return [dict(r) for r in conn.execute(query).mappings().all()]


def load_run(store: Store, run_id: int) -> PlaybookRun:
    with store.transaction() as conn:
        body = conn.execute(select(_runs.c.body).where(_runs.c.id == run_id)).scalar()
    if body is None:
        raise NotFoundError(f"no playbook run {run_id} (see `netops play history`)")
    return PlaybookRun.model_validate_json(body).model_copy(update={"id": run_id})
