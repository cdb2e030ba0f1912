"""The dashboard's city map: the fibre network at its GPS positions, risks coloured (as `topology render`),
fibres coloured by the latest sweep, and, when a duct is chosen, what its cut would take down.

The SVG comes out of the same allow-list as every picture; the page shows it inline so that static/map.js
can pan, zoom and show a device's or a fibre's details on click, from `details` (plain data, never markup).
"""
from __future__ import annotations

from typing import Any

from netops.analysis.graph import declared_graph
from netops.analysis.whatif import Failure, what_if
from netops.app.topology import run_check
from netops.config import Config
from netops.errors import NotFoundError
from netops.report.render import render_image
from netops.report.svg_safe import DotIds
from netops.sources.inventory import Inventory
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot

STATE_COLOURS = {"down": "#b71c1c", "mismatched": "#6a1b9a", "unseen": "#f9a825"}


def city_map(config: Config, inv: Inventory, store: Store, duct: str | None = None) -> tuple[str, dict[str, Any]]:
    """(SVG text, details for the page: Graphviz node id -> device, cable id -> fibre)."""
    g = declared_graph(inv)
    check, _ = run_check(config, inv, g, external=False)
    overrides: dict[str, dict[str, str]] = {}
    snap = latest_snapshot(store)
    states = {lid: link.state.value for lid, link in (snap.links.items() if snap else ())}
    for lid, state in states.items():
        if state in STATE_COLOURS:
            overrides[lid] = {"color": STATE_COLOURS[state], "style": "bold", "tip": f"{lid}: {state}"}
    if duct:
        if duct not in inv.ducts:
            raise NotFoundError(f"no duct {duct}")
        impact = what_if(g, [Failure("duct", duct)])
        for lid in impact.links_cut:
            overrides[lid] = {"color": "#000000", "style": "dashed", "tip": f"cut with duct {duct}"}
        for device in impact.isolated_devices:
            overrides[str(device)] = {"fill": "#616161", "tip": f"cut off by duct {duct}"}
    ids = DotIds()
    svg = render_image(g, check, "svg", overrides, ids).decode("utf-8")
    verdict = {r: risk.verdict.value for risk in check.pds.values() for r in risk.routers}
    nodes = {}
    for node_id, name in ids.names.items():
        known = inv.devices.get(name)
        pd = inv.pds.get(known.pd) if known else None
        site = inv.sites.get(known.site) if known else None
        nodes[node_id] = {"device": name, "role": known.role.value if known else "", "pd": known.pd if known else "",
                          "pd_name": pd.name if pd else "", "site": site.name if site else "",
                          "verdict": verdict.get(name, "")}
    cables = {lid: {"a": link.a.device, "b": link.b.device, "length_m": link.length_m, "state": states.get(lid, ""),
                    "ducts": [{"id": d, "route": inv.ducts[d].route if d in inv.ducts else ""} for d in link.ducts]}
              for lid, link in inv.links.items()}
    return svg[svg.find("<svg"):], {"nodes": nodes, "cables": cables}


def city_map_svg(config: Config, inv: Inventory, store: Store, duct: str | None = None) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + city_map(config, inv, store, duct)[0]).encode("utf-8")
