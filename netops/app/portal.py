"""What the web portal shows, computed here so routes only check who asks and render.

`pd_overview` is one PD's page (diagram status, hand-ins, routes to the Pusat Data, VPS and backups,
tickets); `dashboard` is the Dinas's shared view of the city.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from netops.analysis.graph import declared_graph
from netops.analysis.paths import pd_routes
from netops.app.topology import run_check
from netops.app.vps import vps_service
from netops.config import Config
from netops.provision.backups import backup_report
from netops.provision.usage import host_usage
from netops.sources.inventory import Inventory
from netops.store import submissions as subs
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot
from netops.store.tickets import list_incidents, list_tickets


def pd_overview(config: Config, inv: Inventory, store: Store, pd: str) -> dict[str, Any]:
    today = dt.datetime.now(dt.UTC).date()
    status = next(r for r in subs.compliance({pd: inv.pds[pd].name}, subs.submissions(store, pd), today))
    due = subs.year_before(today) if status.last_submission is None else \
        status.last_submission.replace(year=status.last_submission.year + 1)
    g = declared_graph(inv)
    check, _ = run_check(config, inv, g, external=False)
    routes = pd_routes(g, pd) if pd in g.graph.get("pds", {}) else []
    service = vps_service(config, inv, store)
    vps = service.list(pd, include_decommissioned=False)
    backups = {b.vps: b for b in backup_report(service, pd=pd)}
    return {
        "pd": inv.pds[pd], "code": pd, "status": status, "next_due": due,
        "submissions": sorted(subs.submissions(store, pd), key=lambda s: s.received_at, reverse=True),
        "verdict": check.pds[pd].verdict.value if pd in check.pds else None,
        "routes": [{"cables": r.cables, "length_m": r.length_m,
                    "ducts": sorted({d for h in r.hops for d in h.ducts}),
                    "streets": sorted({inv.ducts[d].route for h in r.hops for d in h.ducts if d in inv.ducts})}
                   for r in routes],
        "vps": [{"name": v.name, "state": v.state.value, "ip": str(v.ip),
                 "backup": backups[v.name].as_dict() if v.name in backups else None} for v in vps],
        "tickets": list_tickets(store, pd=pd),
    }


def dashboard(config: Config, inv: Inventory, store: Store) -> dict[str, Any]:
    today = dt.datetime.now(dt.UTC).date()
    rows = subs.compliance({c: p.name for c, p in inv.pds.items()}, subs.submissions(store), today)
    g = declared_graph(inv)
    check, _ = run_check(config, inv, g, external=False)
    snap = latest_snapshot(store)
    service = vps_service(config, inv, store)
    return {
        "overdue": [{"pd": r.pd, "name": r.name, "last": r.last_submission, "tier1": inv.pds[r.pd].service_desk}
                    for r in rows if r.overdue],
        "verdicts": {v: sum(1 for r in check.pds.values() if r.verdict.value == v)
                     for v in ("isolated", "single-homed", "dual-homed-shared-duct", "diverse")},
        "pds": sorted(check.pds.values(), key=lambda r: (r.verdict.rank, r.code)),
        "duct_spofs": [{"duct": d.duct, "route": inv.ducts[d.duct].route if d.duct in inv.ducts else "",
                        "pds": d.pds, "links": d.links,
                        "shared_with": inv.ducts[d.duct].shared_with if d.duct in inv.ducts else []}
                       for d in check.duct_spofs],
        "ducts": [{"id": d.id, "route": d.route, "length_m": d.length_m, "owner": d.owner, "shared_with": d.shared_with,
                   "cables": sorted(k for k, link in inv.links.items() if d.id in link.ducts)}
                  for d in sorted(inv.ducts.values(), key=lambda d: d.id)],
        "snapshot": snap,
        "links_not_up": sorted((lid, link.state.value, link.reason) for lid, link in (snap.links.items() if snap else ())
                               if link.state.value != "up"),
        "incidents": list_incidents(store, open_only=True),
        "tickets": list_tickets(store, open_only=True),
        "hosts": host_usage(inv.pusat_data, service.list(include_decommissioned=False)),
    }
