"""How a person reads the topology use cases: SPOFs by impact, PD verdicts, reroutes, routes."""
from __future__ import annotations

from netops.app.topology import CheckReport, EachReport, PathReport, RenderReport, WhatIfReport
from netops.report.output import console, err_console, shown, table


def print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        err_console.print(f"[yellow]warning[/yellow] {shown(warning)}", highlight=False, soft_wrap=True)


def print_check(report: CheckReport) -> None:
    result = report.check
    spofs = [(f"link {b.name}", " - ".join(map(str, b.ends or ())), len(b.pds), b.devices, ", ".join(b.pds))
             for b in result.bridges if b.pds]
    spofs += [(f"router {a.name}", "", len(a.pds), a.devices, ", ".join(a.pds)) for a in result.articulation_points if a.pds]
    spofs += [(f"duct {d.duct}", ", ".join(d.links), len(d.pds), d.devices,
               ", ".join(d.pds) + (f"  [hidden: {', '.join(d.hidden)}]" if d.hidden else "")) for d in result.duct_spofs]
    spofs.sort(key=lambda r: (-r[2], -r[3], r[0]))
    console.print(table("Single points of failure, by impact", ["fails", "fibres / ends", "PDs cut", "devices cut", "PDs"],
                        spofs))
    risks = sorted(result.pds.values(), key=lambda r: (r.verdict.rank, r.code))
    bound = result.duct_bound
    console.print(table("PDs", ["PD", "name", "verdict", "edge-disjoint", "node-disjoint", "min ducts", "cut by"],
                        [(r.code, r.name, r.verdict.value, f"{r.edge_disjoint}{'+' if r.paths_capped else ''}",
                          r.node_disjoint, r.min_ducts if r.min_ducts is not None else (f">{bound}" if r.duct_search_bounded else "-"),
                          ", ".join(r.cut_by[:4]) + (" ..." if len(r.cut_by) > 4 else "")) for r in risks]))
    if report.suggestions:
        console.print(table("Suggested fibres (cheapest that makes the PD diverse)",
                            ["PD", "from", "to", "length m", "ducts", "source", "note"],
                            [(s.pd, s.a, s.b, s.length_m, ", ".join(s.ducts), s.source, s.note) for s in report.suggestions]))
    for v in result.violations:
        console.print(f"[red]policy violated[/red] {shown(v)}", highlight=False)
    console.print(", ".join(f"{n} {k}" for k, n in report.verdict_counts.items())
                  + f"; {len(result.violations)} policy violation(s)")


def print_each(report: EachReport) -> None:
    console.print(table(f"Each {report.kind} failed alone ({len(report.rows)})", [report.kind, "PDs cut", "devices cut", "PDs"],
                        [(r.name, len(r.pds), r.devices, ", ".join(r.pds)) for r in report.rows]))


def print_whatif(result: WhatIfReport) -> None:
    console.print(shown(f"failed: {', '.join(result.failures)}; fibres down: {', '.join(result.links_cut) or '-'}"),
                  highlight=False)
    console.print(f"[red]PDs cut off ({len(result.isolated_pds)})[/red]: {shown(', '.join(result.isolated_pds) or 'none')}; "
                  f"{len(result.isolated_devices)} device(s) unreachable", highlight=False)
    console.print(table("Rerouted PDs", ["PD", "hops before", "length before m", "hops after", "length after m",
                                         "bottleneck Mb/s", "capacity before", "capacity after", "new path"],
                        [(r.pd, r.hops_before, r.length_before_m, r.hops_after, r.length_after_m,
                          r.bottleneck_after_mbps, f"{r.capacity_before_mbps:.0f}", f"{r.capacity_after_mbps:.0f}",
                          " ".join(r.path_after)) for r in result.reroutes]))


def print_path(report: PathReport) -> None:
    if not report.routes:
        console.print(f"[red]{shown(report.pd)} has no path to the Pusat Data core[/red]")
    for i, route in enumerate(report.routes):
        title = f"{'primary' if i == 0 else f'backup {i}'}: {route.start} -> {route.end}, {route.hops} hops, " \
                f"{route.length_m} m, bottleneck {route.bottleneck_mbps} Mb/s"
        console.print(table(title, ["from", "port", "to", "port", "cable", "length m", "Mb/s", "ducts"],
                            [(h.a, h.a_if, h.b, h.b_if, h.cable, h.length_m, h.capacity_mbps, ", ".join(h.ducts))
                             for h in route.fibres]))


def print_render(report: RenderReport) -> None:
    console.print(f"wrote {shown(report.output)} ({report.bytes} bytes, {report.nodes} nodes, {report.fibres} fibres)")
