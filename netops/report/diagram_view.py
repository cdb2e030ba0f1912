"""How a person reads the diagram use cases: findings, hand-ins with their changes, who is overdue."""
from __future__ import annotations

from netops.app.diagrams import HistoryEntry, HistoryReport, StatusReport, SubmitReport, ValidateReport
from netops.report.output import console, err_console, shown, table


def print_validate(report: ValidateReport) -> None:
    for note in report.notes:
        err_console.print(f"[dim]note[/dim] {shown(note)}", highlight=False, soft_wrap=True)
    if report.findings:
        console.print(table(f"{report.pd}: {len(report.findings)} finding(s) against snapshot {report.snapshot_id}",
                            ["severity", "kind", "subject", "reason"],
                            [(f.severity.value, f.kind.value, f.subject, f.reason) for f in report.findings], keys=0))
    else:
        console.print(f"[green]MATCHES[/green]: {shown(report.pd)}'s diagram ({report.devices} devices, "
                      f"{report.links} links) agrees with snapshot {report.snapshot_id}")


def print_submit(sub: SubmitReport) -> None:
    console.print(f"submission {sub.id} of {shown(sub.pd)} stored ({sub.sha256[:12]}), received "
                  f"{sub.received_at:%Y-%m-%d}: {sub.verdict.value}"
                  + (f", {sub.findings} finding(s)" if sub.findings else ""))


def _changes(row: HistoryEntry) -> str:
    if row.first:
        return "first submission"
    c = row.changes
    parts = [f"+{len(c.devices_added)} / -{len(c.devices_removed)} devices",
             f"+{len(c.links_added)} / -{len(c.links_removed)} links"]
    detail = [*(f"+ {d}" for d in c.devices_added), *(f"- {d}" for d in c.devices_removed),
              *(f"+ {k}" for k in c.links_added), *(f"- {k}" for k in c.links_removed)]
    return ", ".join(parts) + ("\n" + "\n".join(detail) if detail else "")


def print_history(report: HistoryReport) -> None:
    console.print(table(f"{report.pd}: {len(report.submissions)} submission(s)",
                        ["id", "received", "file", "by", "verdict", "changes"],
                        [(r.id, f"{r.received_at:%Y-%m-%d}", r.filename, r.actor, r.verdict.value, _changes(r))
                         for r in report.submissions]))


def print_status(report: StatusReport) -> None:
    year = report.year
    console.print(table(f"LAN diagram submissions as of {report.as_of} ({report.overdue} overdue)",
                        ["PD", "name", "last submission", "verdict", "findings", "overdue",
                         *([f"in {year}"] if year else [])],
                        [(r.pd, r.name, r.last_submission or "never", r.last_verdict.value if r.last_verdict else "",
                          r.findings, "OVERDUE" if r.overdue else "", *([r.submitted_in_year] if year else []))
                         for r in report.pds]))
