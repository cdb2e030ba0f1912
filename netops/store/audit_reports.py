"""Stored audit reports: insert-only, read back whole, listed newest first."""
from __future__ import annotations

from sqlalchemy import column, insert, select, table

from netops.errors import NotFoundError
from netops.models.audit import AuditReport
from netops.store.audit import record
from netops.store.db import Store

_reports = table("audit_reports", column("id"), column("generated_at"), column("actor"), column("lang"),
                 column("body"))


def save(store: Store, report: AuditReport) -> int:
    with store.transaction() as conn:
        row = conn.execute(insert(_reports).values(
            generated_at=report.generated_at.isoformat(), actor=report.actor, lang=report.lang,
            body=report.model_dump_json(exclude={"id"})).returning(_reports.c.id)).scalar_one()
        record(conn, "audit.report", f"audit_report:{row}", {"findings": len(report.findings)})
    return int(row)


def load(store: Store, report_id: int) -> AuditReport:
    with store.transaction() as conn:
        body = conn.execute(select(_reports.c.body).where(_reports.c.id == report_id)).scalar()
    if body is None:
        raise NotFoundError(f"no audit report with id {report_id} (see `netops audit list`)")
    return AuditReport.model_validate_json(body).model_copy(update={"id": report_id})


def list_reports(store: Store) -> list[dict[str, object]]:
    with store.transaction() as conn:
        rows = conn.execute(select(_reports.c.id, _reports.c.generated_at, _reports.c.actor, _reports.c.lang)
                            .order_by(_reports.c.id.desc())).mappings().all()
    return [dict(r) for r in rows]
