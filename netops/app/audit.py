"""The infrastructure audit (Perwali Art. 42): gather the evidence netops holds into one report.

Every section is computed by the same functions the CLI's `--json` commands use (topology check,
diagram status, VPS capacity and backups, the latest sweep), so an auditor can re-run any figure.
Each report is stored with its figures, so the next one (`--since ID`) says what changed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

import networkx as nx
from pydantic import BaseModel

from netops.analysis.audit_findings import findings_of
from netops.analysis.graph import declared_graph
from netops.analysis.redundancy import TopologyCheck
from netops.app.session import Session
from netops.app.topology import run_check
from netops.app.vps import vps_service
from netops.config import Config
from netops.models.audit import (
    AuditReport,
    ConfigSection,
    DuctRisk,
    Evidence,
    Fix,
    InventorySection,
    LanRow,
    LanSection,
    Mismatch,
    PdRedundancy,
    PusatDataSection,
    ServiceDeskSection,
    WanSection,
)
from netops.models.names import short_host
from netops.models.observation import Snapshot
from netops.models.ticket import Ticket
from netops.provision.backups import backup_report
from netops.provision.usage import host_usage
from netops.sources.inventory import Inventory
from netops.store import audit_reports
from netops.store import submissions as subs
from netops.store.audit import current_actor
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot


def _inventory_digest(config: Config) -> tuple[str, int]:
    digest = hashlib.sha256()
    files = sorted([*config.inventory_dir.rglob("*.yaml"), *config.topology_dir.rglob("*.yaml")])
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest(), len(files)


def _inventory_section(inv: Inventory, snap: Snapshot | None) -> InventorySection:
    devices = inv.devices
    links = inv.links
    known = {short_host(n) for n in devices}
    failed = [{"device": h, "pd": devices[h].pd if h in devices else "", "reason": f.reason.value}
              for h, f in sorted((snap.failures if snap else {}).items())]
    observed = snap.observations if snap else {}
    undeclared, mismatches = [], []
    for host, obs in sorted(observed.items()):
        for port, entries in sorted(obs.lldp_neighbors_detail.items()):
            for e in entries:
                name = str(e.get("remote_system_name") or "")
                if name and short_host(name) not in known:
                    undeclared.append({"device": host, "port": port, "neighbour": name})
        declared = devices.get(host)
        if declared is None:
            continue
        for field, fact in (("model", "model"), ("serial", "serial_number"), ("vendor", "vendor")):
            want, got = getattr(declared, field), str(obs.facts.get(fact) or "")
            if want and got and want.lower() != got.lower():
                mismatches.append(Mismatch(device=host, field=field, declared=want, observed=got))
    swept = set(observed) | {f["device"] for f in failed}
    states = Counter(link.state.value for link in (snap.links.values() if snap else ()))
    return InventorySection(
        declared=len(devices), answering=len(observed) if snap else None, failed=failed,
        not_swept=sorted(set(devices) - swept) if snap else sorted(devices),
        undeclared_neighbours=undeclared, mismatches=mismatches,
        by_vendor=dict(Counter(d.vendor or "(not declared)" for d in devices.values()).most_common()),
        by_role=dict(Counter(d.role.value for d in devices.values()).most_common()),
        by_model=dict(Counter(d.model or "(not declared)" for d in devices.values()).most_common()),
        fibre_links=len(links), fibre_km=round(sum(lk.length_m or 0 for lk in links.values()) / 1000, 2),
        ducts=len(inv.ducts), shared_ducts=sum(1 for d in inv.ducts.values() if d.shared_with),
        links_by_state=dict(sorted(states.items())))


def _wan_section(config: Config, inv: Inventory, cost_per_m: int, previous: AuditReport | None,
                 g: nx.MultiGraph[str]) -> tuple[WanSection, TopologyCheck]:
    result, suggestions = run_check(config, inv, g, external=False)
    verdicts = Counter(r.verdict.value for r in result.pds.values())
    pds = [PdRedundancy(code=r.code, name=r.name, kind=r.kind, verdict=r.verdict.value, min_ducts=r.min_ducts,
                        cut_by=r.cut_by) for r in sorted(result.pds.values(), key=lambda r: (r.verdict.rank, r.code))]
    changed = None
    if previous is not None:
        before = {p.code: p.verdict for p in previous.wan.pds}
        changed = [{"pd": p.code, "before": before.get(p.code, "(new)"), "after": p.verdict}
                   for p in pds if before.get(p.code) != p.verdict]
    return WanSection(
        verdicts={v: verdicts.get(v, 0) for v in ("isolated", "single-homed", "dual-homed-shared-duct", "diverse")},
        pds=pds,
        duct_spofs=[DuctRisk(duct=d.duct, route=inv.ducts[d.duct].route if d.duct in inv.ducts else "",
                             pds=d.pds, links=d.links) for d in result.duct_spofs],
        fixes=[Fix(pd=s.pd, a=s.a, b=s.b, length_m=s.length_m, cost_idr=s.length_m * cost_per_m, source=s.source)
               for s in sorted(suggestions, key=lambda s: (s.length_m, s.pd))],
        fibre_cost_idr_per_m=cost_per_m, violations=[str(v) for v in result.violations],
        changed_since=changed), result


def _lan_section(inv: Inventory, store: Store, as_of: dt.date) -> tuple[LanSection, list[dict[str, str | int]]]:
    history = subs.submissions(store)
    rows = subs.compliance({code: pd.name for code, pd in inv.pds.items()}, history, as_of)
    lan = LanSection(
        as_of=as_of, rows=[LanRow(pd=r.pd, name=r.name, last_submission=r.last_submission,
                                  last_verdict=r.last_verdict.value if r.last_verdict else None,
                                  findings=r.findings, overdue=r.overdue) for r in rows],
        overdue=sum(r.overdue for r in rows), on_time=sum(not r.overdue for r in rows),
        with_findings=sum(1 for r in rows if r.findings))
    evidence: list[dict[str, str | int]] = [{"pd": s.pd, "id": s.id, "sha256": s.sha256, "received": s.received_at.isoformat()}
                for s in history if s.received_at.date() <= as_of]
    return lan, evidence


def _pusat_data_section(config: Config, inv: Inventory, store: Store) -> tuple[PusatDataSection, int, int]:
    service = vps_service(config, inv, store)
    live = service.list(include_decommissioned=False)
    backups = backup_report(service)
    ever_ok = {b.vps for b in backups if b.last_ok is not None}
    no_backup = sorted({v.pd for v in live} - {v.pd for v in live if v.name in ever_ok})
    section = PusatDataSection(
        vps_by_pd=dict(sorted(Counter(v.pd for v in live).items())),
        hosts=[u.as_dict() for u in host_usage(inv.pusat_data, live)],
        backups_overdue=[b.as_dict() for b in backups if b.overdue],
        pds_without_backup=no_backup)
    return section, len(service.list()), len(backups)


def _config_section(config: Config, inv: Inventory, store: Store) -> ConfigSection:
    """The backup repository's newest commit, routers never backed up, the latest compliance run's failures."""
    from netops.configs.gitstore import head
    from netops.models.inventory import ROUTER_ROLES
    from netops.store.runs import list_runs, load_run
    revision, devices = head(config.root / "var" / "configs")
    stored = (load_run(store, int(r["id"])) for r in list_runs(store, limit=200) if not r["check_only"])
    compliance = next((run for run in stored if any(x.type == "assert" for x in run.results)), None)
    if revision is None and compliance is None:
        return ConfigSection(collected=False, reason="no configuration backup and no compliance run stored yet "
                                                     "(run `netops play playbooks/config-backup.yaml` and "
                                                     "`netops play playbooks/compliance.yaml`)")
    routers = sorted(n for n, d in inv.devices.items() if d.role in ROUTER_ROLES)
    failures = [{"device": r.host, "rule": str(item.get("rule")), "evidence": str(item.get("evidence"))}
                for r in (compliance.results if compliance else []) if r.type == "assert" and r.status == "failed"
                for item in (r.data or []) if isinstance(item, dict) and not item.get("passed")]
    return ConfigSection(collected=True, commit=revision.commit if revision else None,
                         commit_at=revision.at if revision else None, backed_up=len(set(devices) & set(routers)),
                         never_backed_up=sorted(set(routers) - set(devices)),
                         compliance_run=compliance.id if compliance else None, compliance_failures=failures)


def _service_desk_section(store: Store) -> ServiceDeskSection:
    """Tickets and incidents since the first ticket, per PD (the same figures as `ticket report`)."""
    from netops.store.tickets import list_incidents, list_tickets
    tickets = list_tickets(store)
    if not tickets:
        return ServiceDeskSection(collected=False, reason="no Service Desk ticket is stored yet")
    by_pd: dict[str, list[Ticket]] = {}
    for t in tickets:
        by_pd.setdefault(t.pd, []).append(t)
    rows: list[dict[str, object]] = []
    for pd, mine in sorted(by_pd.items()):
        hours = [(t.resolved_at - t.opened_at).total_seconds() / 3600 for t in mine if t.resolved_at]
        rows.append({"pd": pd, "opened": len(mine), "resolved": len(hours),
                     "mean_hours_to_resolve": round(sum(hours) / len(hours), 2) if hours else None,
                     "breaches": sum(len(t.breaches) for t in mine)})
    return ServiceDeskSection(collected=True, tickets=len(tickets), open=sum(t.status.value != "resolved" for t in tickets),
                              incidents=len(list_incidents(store)), breaches=sum(len(t.breaches) for t in tickets),
                              per_pd=rows, ticket_range=f"#{tickets[0].id}-#{tickets[-1].id}")


@dataclass
class AuditBuild:
    """The stored report and what its pictures are drawn from (the declared graph and its check)."""

    report: AuditReport
    graph: nx.MultiGraph[str]
    check: TopologyCheck


def build_audit(config: Config, inv: Inventory, store: Store, lang: str = "id", since: int | None = None,
                as_of: dt.date | None = None) -> AuditBuild:
    """The whole report from what the store and the inventory hold now, stored under a new id."""
    now = dt.datetime.now(dt.UTC)
    day = as_of or now.date()
    previous = audit_reports.load(store, since) if since is not None else None
    snap = latest_snapshot(store)
    digest, files = _inventory_digest(config)
    lans, submitted = _lan_section(inv, store, day)
    pusat, register_rows, backup_rows = _pusat_data_section(config, inv, store)
    inventory = _inventory_section(inv, snap)
    graph = declared_graph(inv)
    wan, check = _wan_section(config, inv, config.audit.fibre_cost_idr_per_m, previous, graph)
    config_section, desk = _config_section(config, inv, store), _service_desk_section(store)
    report = AuditReport(
        generated_at=now, actor=current_actor(), lang=lang, since=since,
        evidence=Evidence(snapshot_id=snap.id if snap else None, snapshot_at=snap.finished_at if snap else None,
                          inventory_sha256=digest, inventory_files=files, submissions=submitted,
                          vps_register_rows=register_rows, backup_events=backup_rows,
                          config_backup_commit=config_section.commit, ticket_range=desk.ticket_range),
        inventory=inventory, wan=wan, lans=lans, pusat_data=pusat,
        config_security=config_section, service_desk=desk,
        findings=[])
    report.findings = findings_of(report)
    report.id = audit_reports.save(store, report)
    return AuditBuild(report, graph, check)



class AuditListed(BaseModel):
    id: int
    generated_at: str
    actor: str
    lang: str


def stored_reports(session: Session) -> list[AuditListed]:
    """Stored audit reports, newest first."""
    return [AuditListed.model_validate(row) for row in audit_reports.list_reports(session.store)]
