"""`netops diagnose TARGET`: ask the network now, name the probable cause, where it is, who is hit.

Live evidence comes from one bounded SNMP sweep of the city (every device: does it answer, is each
declared fibre port up), stored as a snapshot so the diagnosis can be re-checked. The ranking is
netops.analysis.rootcause over the declared topology; the blast radius is the what-if engine's for
the named cause; the place is the inventory's (ducts with their routes, cable ends with their sites).
"""
from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import re
import time
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from netops.analysis.graph import declared_graph, restrict
from netops.analysis.paths import pd_routes
from netops.analysis.redundancy import check_topology
from netops.analysis.rootcause import (
    Cause,
    Symptoms,
    cables_of,
    indistinguishable,
    rank_causes,
    whatif_failures,
)
from netops.analysis.whatif import what_if
from netops.app.lab_use import lab_overlay, notice
from netops.app.sweep import live_sweep
from netops.config import Config
from netops.errors import InputError, NotFoundError
from netops.files import write_private
from netops.models.diagnosis import CandidateCause, Diagnosis, Place
from netops.models.names import canonical_interface, short_host
from netops.models.observation import FailureReason, Snapshot
from netops.models.vps import Vps
from netops.sources.inventory import Inventory
from netops.store.db import Store
from netops.store.snapshots import latest_snapshot, save_snapshot

LAN_ROLES = ("access-switch", "ap")
SILENT_REASONS = {FailureReason.timeout, FailureReason.refused}


def resolve_target(config: Config, inv: Inventory, target: str, store: Store) -> tuple[str | None, list[str]]:
    """(PD code, devices) for a PD code, a device name, an IP address, a VPS name or a ticket (`T-12`);
    else NotFoundError naming the closest names."""
    upper = target.upper()
    ticket = re.fullmatch(r"T-?(\d+)", upper)
    if ticket:
        from netops.store.tickets import get_ticket
        return resolve_target(config, inv, get_ticket(store, int(ticket.group(1))).pd, store)
    if upper in inv.pds:
        return upper, sorted(d for d, dev in inv.devices.items() if dev.pd == upper and dev.role.value == "pd-edge")
    if target in inv.devices:
        return inv.devices[target].pd, [target]
    try:
        address = ipaddress.ip_address(target)
    except ValueError:
        address = None
    if address is not None:
        for name, dev in inv.devices.items():
            owned = [dev.mgmt_ip] + [i.ipv4.ip for i in dev.interfaces if i.ipv4] + ([dev.loopback.ip] if dev.loopback else [])
            if address in owned:
                return dev.pd, [name]
    vps = next((v for v in _live_vps(config, inv, store) if v.name == target), None)
    if vps is not None:
        return vps.pd, sorted(d for d, dev in inv.devices.items() if dev.pd == vps.pd and dev.role.value == "pd-edge")
    close = difflib.get_close_matches(target, [*inv.pds, *inv.devices], n=3, cutoff=0.5)
    raise NotFoundError(f"{target!r} is no PD, device, address or VPS" + (f"; did you mean {', '.join(close)}?" if close else ""))


def _live_vps(config: Config, inv: Inventory, store: Store) -> list[Vps]:
    from netops.app.vps import vps_service
    return vps_service(config, inv, store).list(include_decommissioned=False)


def symptoms_of(snapshot: Snapshot, inv: Inventory, g: nx.MultiGraph[str],
                loss: Mapping[str, float] | None = None) -> Symptoms:
    """Devices that answered or not; every declared fibre's port state at each end that answered, and whether
    that end sees the declared neighbour over LLDP (where the device runs LLDP at all); the NOC's ping loss."""
    s = Symptoms(answered=set(snapshot.observations),
                 silent={h for h, f in snapshot.failures.items() if f.reason in SILENT_REASONS},
                 loss=dict(loss or {}))
    for _, _, key, attrs in g.edges(keys=True, data=True):
        for device, port, other in ((attrs["a"], attrs["a_if"], attrs["b"]), (attrs["b"], attrs["b_if"], attrs["a"])):
            obs = snapshot.observations.get(device)
            iface = obs.interfaces.get(canonical_interface(port or "")) if obs else None
            if obs is None or iface is None or not iface.get("is_enabled", True):
                continue
            s.ports[(key, device)] = "up" if iface.get("is_up") else "down"
            if obs.lldp_neighbors_detail:
                heard = obs.lldp_neighbors_detail.get(canonical_interface(port or ""), [])
                s.lldp[(key, device)] = "seen" if any(
                    short_host(str(n.get("remote_system_name", ""))) == other for n in heard) else "missing"
    return s


def _place(inv: Inventory, g: nx.MultiGraph[str], cables: list[str]) -> list[Place]:
    out = []
    for key in cables:
        link = inv.links.get(key)
        if link is None:
            continue
        ends = []
        for end in (link.a, link.b):
            dev = inv.devices.get(end.device)
            site = inv.sites.get(dev.site) if dev else None
            ends.append({"device": end.device, "port": end.interface, "site": site.name if site else "",
                         "address": site.address if site else ""})
        out.append(Place(cable=key, length_m=link.length_m, ends=ends,
                         ducts=[{"id": d, "route": inv.ducts[d].route if d in inv.ducts else ""} for d in link.ducts]))
    return out


def diagnose(config: Config, inv: Inventory, store: Store, target: str, timeout: float = 1.0,
             in_band: bool = True, snapshot: Snapshot | None = None, scope: list[str] | None = None,
             loss: Mapping[str, float] | None = None) -> Diagnosis:
    """Check live (or on a given snapshot and ping `loss`), rank causes, and describe the top one for Tier 2 and
    Tier 1.

    `scope`: only these devices exist (a lab built from part of the city); default the whole inventory.
    """
    started = time.perf_counter()
    pd, devices = resolve_target(config, inv, target, store)
    g = declared_graph(inv) if scope is None else restrict(declared_graph(inv), scope)
    previous, lab = None, None
    if snapshot is None:
        previous = latest_snapshot(store)
        overlay = lab_overlay(config)
        lab = notice(overlay)
        snapshot, loss = live_sweep(config, inv, scope, timeout, overlay, pings=True)
        snapshot.id = save_snapshot(store, snapshot)
    symptoms = symptoms_of(snapshot, inv, g, loss)
    restarted = _restarted_since(previous, snapshot)
    ranked = rank_causes(g, symptoms, in_band)
    result = Diagnosis(target=target, target_pd=pd, target_devices=devices, at=dt.datetime.now(dt.UTC),
                       seconds=0.0, verdict="healthy", cause=None, confidence="high", snapshot_id=snapshot.id,
                       lab=lab.text if lab else None,
                       candidates=[CandidateCause(cause=r.label, contradictions=r.contradictions, explained=r.explained,
                                                  unexplained=r.unexplained[:10], wrong=r.wrong[:10]) for r in ranked],
                       not_seen=sorted(f"{h}: {f.reason.value}" for h, f in snapshot.failures.items()
                                       if f.reason not in SILENT_REASONS))
    result.evidence = [f"{h} restarted {seconds / 60:.0f} min ago: its sysUpTime went back since sweep "
                       f"{previous.id if previous else ''}" for h, seconds in restarted]
    if not ranked:
        routes = pd_routes(g, pd) if pd and pd in g.graph.get("pds", {}) else []
        result.evidence = [f"{len(symptoms.answered)} devices answered, every declared fibre port is up",
                           *result.evidence]
        result.still_reachable_via = routes[0].cables if routes else []
        result.message_tier1 = (f"Jalur {pd or target} ke Pusat Data sehat: semua perangkat menjawab dan semua serat "
                                "optik aktif. Periksa perangkat di LAN PD (switch, kabel, komputer).")
        if pd and not routes:           # nothing to check between the Pusat Data and this PD: say so, never "healthy"
            result.verdict, result.confidence = "unknown", "low"
            result.not_seen.insert(0, f"{pd} has no declared path to the Pusat Data (no active fibre in the topology)")
            result.message_tier1 = (f"{pd} belum tercatat terhubung ke Pusat Data di topologi Dinas; "
                                    "Service Desk Tingkat 2 akan memeriksa.")
        result.seconds = round(time.perf_counter() - started, 2)
        return result
    top = ranked[0]
    result.cause = top.label
    result.tied_with = [r.label for r in ranked[1:] if len(r.causes) == len(top.causes) == 1
                        and r.contradictions == top.contradictions and r.explained == top.explained
                        and indistinguishable(g, top.causes[0], r.causes[0], in_band)]
    result.confidence = "high" if not top.contradictions and not result.tied_with else \
        "medium" if not top.contradictions else "low"
    result.evidence = _evidence(top.causes, symptoms, g) + result.evidence
    failures = whatif_failures(top.causes)
    cables = sorted({k for c in top.causes for k in cables_of(c, g)})
    if failures:
        impact = what_if(g, failures)
        result.pds_cut_off = impact.isolated_pds
        after = g.copy()
        after.remove_edges_from([(u, v, k) for u, v, k in g.edges(keys=True) if k in cables])
        after.remove_nodes_from([c.name for c in top.causes if c.kind in ("device-down", "routing")])
        check = check_topology(after)
        result.pds_on_last_path = sorted(code for code, r in check.pds.items()
                                         if r.edge_disjoint == 1 and code not in impact.isolated_pds)
        if pd and pd not in impact.isolated_pds and pd in after.graph.get("pds", {}):
            routes = pd_routes(after, pd)          # the way the PD still reaches the Pusat Data
            result.still_reachable_via = routes[0].cables if routes else []
    result.vps_unreachable = sorted(v.name for v in _live_vps(config, inv, store) if v.pd in result.pds_cut_off)
    result.place = _place(inv, g, cables)
    hit = pd in result.pds_cut_off if pd else any(d in symptoms.silent for d in devices)
    result.verdict = "outage" if hit else "degraded"      # a fault in the city that leaves the target reachable
    where = "; ".join(f"{p.cable} ({', '.join(d['route'] for d in p.ducts) or 'tanpa duct'})" for p in result.place[:3])
    in_lan = all(c.name in g and g.nodes[c.name]["role"] in LAN_ROLES for c in top.causes)
    result.message_tier1 = (
        (f"Gangguan di LAN PD: perangkat {', '.join(c.name for c in top.causes)}. " if in_lan else "")
        + f"Gangguan jaringan: {result.cause}. " + (f"Lokasi: {where}. " if where else "")
        + (f"PD terdampak: {', '.join(result.pds_cut_off)}. " if result.pds_cut_off else "")
        + ("PD Anda masih terhubung lewat jalur cadangan; layanan mungkin lebih lambat. " if result.still_reachable_via else "")
        + ("Sebagian paket hilang di jalur ini: layanan bisa lambat atau terputus-putus. "
           if any(c.kind == "degraded" for c in top.causes) else "")
        + "Tim Dinas (Service Desk Tingkat 2) sedang menangani; tidak perlu tindakan di PD.")
    result.field_action = _field_action(top.causes, result.place)
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _restarted_since(previous: Snapshot | None, now: Snapshot) -> list[tuple[str, float]]:
    """Devices whose uptime went back since the previous sweep (a reboot or a power cut): (host, uptime s)."""
    if previous is None:
        return []
    out = []
    for host, obs in sorted(now.observations.items()):
        before = previous.observations.get(host)
        up, up_before = obs.facts.get("uptime"), before.facts.get("uptime") if before else None
        if isinstance(up, int | float) and isinstance(up_before, int | float) and 0 <= up < up_before:
            out.append((host, float(up)))
    return out


def _evidence(causes: tuple[Cause, ...], symptoms: Symptoms, g: nx.MultiGraph[str]) -> list[str]:
    lines = []
    for c in causes:
        for key in cables_of(c, g):
            states = [f"{dev} reports its port {state}" for (k, dev), state in sorted(symptoms.ports.items()) if k == key]
            lines.append(f"fibre {key}: " + ("; ".join(states) if states else "neither end answers"))
        if c.kind in ("device-down", "device-hung", "routing"):
            lines.append(f"{c.name} does not answer SNMP" if c.name in symptoms.silent else f"{c.name} answers")
    lossy = sorted(symptoms.lossy)
    if lossy:
        lines.append("the NOC's pings are lost on the way to " + ", ".join(
            f"{d} ({symptoms.loss[d]:.0%})" for d in lossy[:12]) + (" ..." if len(lossy) > 12 else ""))
    missing = sorted({f"{dev} on {key}" for (key, dev), seen in symptoms.lldp.items() if seen == "missing"})
    if missing:
        lines.append("no LLDP neighbour where one is declared: " + ", ".join(missing[:12]))
    silent = sorted(symptoms.silent)
    if silent:
        lines.append(f"{len(silent)} device(s) do not answer: {', '.join(silent[:12])}{' ...' if len(silent) > 12 else ''}")
    return lines


def _field_action(causes: tuple[Cause, ...], place: list[Place]) -> str:
    kinds = {c.kind for c in causes}
    if kinds & {"fibre", "duct"}:
        ends = "; ".join(f"{p.cable}: {p.ends[0]['site']} – {p.ends[1]['site']}" for p in place[:3])
        return f"Send the fibre team along the route (OTDR from both ends): {ends}."
    if "degraded" in kinds:
        ends = "; ".join(f"{p.cable}: {p.ends[0]['device']} {p.ends[0]['port']} – {p.ends[1]['device']} {p.ends[1]['port']}"
                         for p in place[:3])
        return f"Measure the fibre (light levels on both ports, then OTDR); clean or replace connectors: {ends}."
    if "lldp-silent" in kinds:
        return ("Both ports are up but neither hears the other: check LLDP and filters on both ends, "
                "and that the patch goes where the plan says (a swapped patch cord).")
    if "device-down" in kinds:
        return "Send a technician to the device: power and hardware (all its ports went down)."
    if "device-hung" in kinds:
        return "Console to the device: the management plane is dead while ports stay up; reload if needed."
    return "Check the routing daemon (OSPF) on the device: ports up, traffic dropped."


def page_path(path: str) -> Path:
    """Where `--html` will write, refused (InputError) before any traffic when its folder does not exist."""
    if not Path(path).resolve().parent.is_dir():
        raise InputError.at(path, None, "--html", "cannot write the page: its folder does not exist")
    return Path(path)


def save_page(result: Diagnosis, path: Path, lang: str) -> None:
    """The diagnosis as one self-contained HTML page (netops.report.diagnosis_html), written atomically."""
    from netops.report.diagnosis_html import render_diagnosis_html
    write_private(path, render_diagnosis_html(result, lang))
