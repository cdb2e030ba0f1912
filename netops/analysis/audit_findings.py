"""The audit's findings from its figures: each with a severity, the article it concerns, the evidence
(naming where it can be re-checked) and a recommendation. Pure: a report in, findings out.

Severity rules, in words: a PD the city's policy requires to be diverse but is not, a duct whose loss
isolates three PDs or more, no sweep at all, VPS with no or stale backups, and no LAN diagram from more
than a quarter of the PDs are **high**; other single-homed PDs, ducts isolating one or two PDs, devices
that did not answer, undeclared neighbours, overdue diagrams, hosts over 85 % full and the evidence not
yet collected are **medium**; mismatched model/serial and diagrams with open findings are **low**.
"""
from __future__ import annotations

from typing import cast

from netops.models.audit import AuditReport, Finding, Fix, Severity

FULL_HOST = 0.85


def _names(items: list[str], limit: int = 8) -> str:
    return ", ".join(items[:limit]) + (f" (+{len(items) - limit})" if len(items) > limit else "")


def _idr(amount: int) -> str:
    return f"Rp {amount:,.0f}".replace(",", ".")


def findings_of(report: AuditReport) -> list[Finding]:
    """Findings, high first; their words come from the report's message catalogue (`audit.f.<key>`)."""
    out: list[Finding] = []

    def add(severity: Severity, article: str, key: str, evidence: str, **values: object) -> None:
        out.append(Finding(severity=severity, article=article, key=key, evidence=evidence,
                           values={k: str(v) for k, v in values.items()}))

    wan, inv, lans, pusat = report.wan, report.inventory, report.lans, report.pusat_data
    fix_of: dict[str, Fix] = {}
    for candidate in wan.fixes:
        fix_of.setdefault(candidate.pd, candidate)
    snap = f"sweep #{report.evidence.snapshot_id}" if report.evidence.snapshot_id else "-"
    for violation in wan.violations:
        pd = violation.split(": ", 1)[1].split(" is ", 1)[0]
        fix = fix_of.get(pd)
        add(Severity.high, "Art. 19(6)", "policy", f"topology check (inventory {report.evidence.inventory_sha256[:12]}): "
            f"{violation}", pd=pd, fix=f"{fix.a} - {fix.b}, {fix.length_m} m, {_idr(fix.cost_idr)}" if fix else "-")
    policy_pds = {v.split(": ", 1)[1].split(" is ", 1)[0] for v in wan.violations}
    single = [p.code for p in wan.pds if p.verdict in ("single-homed", "isolated") and p.code not in policy_pds]
    if single:
        cost = sum(fix_of[c].cost_idr for c in single if c in fix_of)
        add(Severity.medium, "Art. 19(6)", "single", f"topology check: {_names(single)}", n=len(single),
            cost=_idr(cost))
    for duct in wan.duct_spofs[:10]:
        severity = Severity.high if len(duct.pds) >= 3 else Severity.medium
        add(severity, "Art. 19(6)", "duct", f"duct {duct.duct} ({duct.route}): fibres {_names(duct.links, 6)}",
            duct=duct.duct, n=len(duct.pds), pds=_names(duct.pds))
    if inv.answering is None:
        add(Severity.high, "Art. 19(6), 42", "nosweep", "store: no sweep snapshot")
    elif inv.failed:
        add(Severity.medium, "Art. 19(6)", "failed", f"{snap}: {_names([f['device'] for f in inv.failed])}",
            n=len(inv.failed), declared=inv.declared)
    if inv.undeclared_neighbours:
        add(Severity.medium, "Art. 20(2), 21(2)", "undeclared",
            f"{snap}: " + _names([f"{u['device']} {u['port']} -> {u['neighbour']}" for u in inv.undeclared_neighbours], 5),
            n=len(inv.undeclared_neighbours))
    if inv.mismatches:
        add(Severity.low, "Art. 21(2)", "mismatch",
            f"{snap}: " + _names([f"{m.device} {m.field} {m.declared} != {m.observed}" for m in inv.mismatches], 4),
            n=len(inv.mismatches))
    overdue = [r.pd for r in lans.rows if r.overdue]
    if overdue:
        severity = Severity.high if len(overdue) * 4 > len(lans.rows) else Severity.medium
        add(severity, "Art. 21(1)", "overdue", f"diagram status --as-of {lans.as_of}: {_names(overdue)}",
            n=len(overdue), total=len(lans.rows))
    with_findings = [r.pd for r in lans.rows if r.findings]
    if with_findings:
        add(Severity.low, "Art. 21(2)", "lanfindings", f"diagram status: {_names(with_findings)}", n=len(with_findings))
    if pusat.backups_overdue:
        add(Severity.high, "Art. 17", "backups", "vps backups: " + _names([str(b["vps"]) for b in pusat.backups_overdue]),
            n=len(pusat.backups_overdue))
    if pusat.pds_without_backup:
        add(Severity.high, "Art. 17", "nobackup", "vps backups: " + _names(pusat.pds_without_backup),
            n=len(pusat.pds_without_backup))
    for host in pusat.hosts:
        # the row's `used`/`capacity` are {resource: amount} maps (models.audit.PusatDataSection.hosts)
        used, cap = cast(dict[str, float], host["used"]), cast(dict[str, object], host["capacity"])
        fullest = max((used[k] / c, k) for k, c in cap.items() if isinstance(c, (int, float)) and c)
        if fullest[0] > FULL_HOST:
            add(Severity.medium, "Art. 15(9)", "full", f"vps capacity: {host['host']} {fullest[1]} "
                f"{fullest[0]:.0%}", host=host["host"], pct=f"{fullest[0]:.0%}")
    cfg, desk = report.config_security, report.service_desk
    if not cfg.collected:
        add(Severity.medium, "Art. 13(2), 26", "noconfig", cfg.reason)
    else:
        if cfg.never_backed_up:
            add(Severity.medium, "Art. 26", "nobackupcfg", f"git {(cfg.commit or '-')[:12]}: {_names(cfg.never_backed_up)}",
                n=len(cfg.never_backed_up))
        if cfg.compliance_failures:
            devices = sorted({f["device"] for f in cfg.compliance_failures})
            add(Severity.high, "Art. 13(2), 26", "compliance", f"play run #{cfg.compliance_run}: " + _names(
                [f"{f['device']}: {f['rule']}" for f in cfg.compliance_failures], 5), n=len(devices))
    if not desk.collected:
        add(Severity.low, "Art. 40(7)-(11)", "nodesk", desk.reason)
    elif desk.breaches:
        add(Severity.medium, "Art. 40(9)", "sla", f"tickets {desk.ticket_range}: {desk.breaches} breach(es)",
            n=desk.breaches)
    order = {Severity.high: 0, Severity.medium: 1, Severity.low: 2}
    return sorted(out, key=lambda f: order[f.severity])
