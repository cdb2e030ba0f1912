"""`netops diagnose TARGET`: the Service Desk's answer in seconds: what, where, why, who else is hit."""
from __future__ import annotations

import sys

import click

from netops.cli.context import AppContext, pass_app
from netops.report.i18n import DEFAULT_LANG, LANGS
from netops.report.output import console, emit_json, err_console, shown, table


@click.command("diagnose")
@click.argument("target")
@click.option("--timeout", default=1.0, show_default=True, type=click.FloatRange(0.2, 10),
              help="Seconds to wait for each device (twice, at most).")
@click.option("--out-of-band", "oob", is_flag=True, help="Management is out of band: a cut does not silence devices.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, writable=True),
              help="Also write the diagnosis as an HTML page here (to attach to a ticket).")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True, help="Language of the HTML page.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def command(app: AppContext, target: str, timeout: float, oob: bool, html_out: str | None, lang: str,
            as_json: bool) -> None:
    """TARGET is a PD code, a device, an IP address, a VPS name or a ticket (T-12). Exit 1 when a fault is found."""
    from netops.app.diagnose import diagnose, page_path, save_page
    page = page_path(html_out) if html_out else None                  # said before any traffic, not after
    with console.status(f"checking the network for {shown(target)} ..."):
        result = diagnose(app.config, app.inventory, app.store, target, timeout=timeout, in_band=not oob)
    if page is not None:
        save_page(result, page, lang)
    if result.lab and not as_json:
        err_console.print(f"[cyan]{shown(result.lab)}[/cyan]", highlight=False, soft_wrap=True)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        sys.exit(0 if result.verdict == "healthy" else 1)
    colour = {"healthy": "green", "degraded": "yellow"}.get(result.verdict, "red")
    console.print(f"[bold {colour}]{result.verdict.upper()}[/] {shown(result.cause or '')}  "
                  f"(confidence {result.confidence}, {result.seconds} s, snapshot {result.snapshot_id})")
    if result.tied_with:
        console.print(f"  cannot be told apart from: {shown(', '.join(result.tied_with))}")
    for line in result.evidence:
        console.print(f"  - {shown(line)}", highlight=False)
    if result.pds_cut_off:
        console.print(f"[red]PDs cut off[/red]: {shown(', '.join(result.pds_cut_off))}")
    if result.pds_on_last_path:
        console.print(f"[yellow]PDs now on their last path[/yellow]: {shown(', '.join(result.pds_on_last_path))}")
    if result.vps_unreachable:
        console.print(f"VPS their PDs cannot reach: {shown(', '.join(result.vps_unreachable))}")
    if result.still_reachable_via:
        console.print(f"{shown(result.target)} still reachable via {shown(' > '.join(result.still_reachable_via))}")
    if result.place:
        console.print(table("Where", ["fibre", "length m", "ducts (route)", "ends"],
                            [(p.cable, p.length_m, "; ".join(f"{d['id']} ({d['route']})" for d in p.ducts),
                              " | ".join(f"{e['device']} {e['port']} @ {e['site']}" for e in p.ends))
                             for p in result.place]))
    if result.field_action:
        console.print(f"[bold]Field action[/bold]: {shown(result.field_action)}")
    console.print(f"[bold]Pesan untuk Tier 1[/bold]: {shown(result.message_tier1)}")
    sys.exit(0 if result.verdict == "healthy" else 1)
