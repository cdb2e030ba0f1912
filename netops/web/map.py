"""The dashboard's city map: the fibre network at its GPS positions, risks coloured (as `topology render`),
fibres coloured by the latest sweep, and, when a duct is chosen, what its cut would take down."""
from __future__ import annotations

from netops.analysis.graph import declared_graph
from netops.analysis.whatif import Failure, what_if
from netops.app.topology import run_check
from netops.config import Config
from netops.errors import NotFoundError
from netops.report.render import render_image
from netops.sources.inventory import Inventory
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot

STATE_COLOURS = {"down": "#b71c1c", "mismatched": "#6a1b9a", "unseen": "#f9a825"}


def city_map_svg(config: Config, inv: Inventory, store: Store, duct: str | None = None) -> bytes:
    g = declared_graph(inv)
    check, _ = run_check(config, inv, g, external=False)
    overrides: dict[str, dict[str, str]] = {}
    snap = latest_snapshot(store)
    for lid, link in (snap.links.items() if snap else ()):
        if link.state.value in STATE_COLOURS:
            overrides[lid] = {"color": STATE_COLOURS[link.state.value], "style": "bold", "tip": f"{lid}: {link.state.value}"}
    if duct:
        if duct not in inv.ducts:
            raise NotFoundError(f"no duct {duct}")
        impact = what_if(g, [Failure("duct", duct)])
        for lid in impact.links_cut:
            overrides[lid] = {"color": "#000000", "style": "dashed", "tip": f"cut with duct {duct}"}
        for device in impact.isolated_devices:
            overrides[str(device)] = {"fill": "#616161", "tip": f"cut off by duct {duct}"}
    return render_image(g, check, "svg", overrides)
