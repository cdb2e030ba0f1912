"""`netops vps quota|capacity|reconcile`: how full the Pusat Data is, and whether the hypervisors agree."""
from __future__ import annotations

from pathlib import Path

import click

from netops.app import vps as app_vps
from netops.cli.context import AppContext, pass_app
from netops.report import vps_view as view
from netops.report.output import emit_json

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
backend_option = click.option("--backend", type=click.Choice(app_vps.BACKENDS), default=None,
                              help="Where VPS are made real (default: NETOPS_VPS_BACKEND, else dryrun).")


@click.command("quota")
@click.option("--pd", "pd_code", required=True)
@json_option
@pass_app
def quota(app: AppContext, pd_code: str, as_json: bool) -> None:
    """A PD's quota and what it uses."""
    usage = app_vps.vps_quota(app, pd_code)
    emit_json(usage.model_dump(mode="json")) if as_json else view.print_quota(usage)


@click.command("capacity")
@click.option("--svg", "svg_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write a picture.")
@json_option
@pass_app
def capacity(app: AppContext, svg_out: Path | None, as_json: bool) -> None:
    """Per hypervisor host: used and free vCPU, memory and disk (after overcommit)."""
    usage = app_vps.vps_capacity(app, svg_out)
    emit_json([u.model_dump(mode="json") for u in usage]) if as_json else view.print_capacity(usage, svg_out)


@click.command("reconcile")
@backend_option
@json_option
@pass_app
def reconcile(app: AppContext, backend: str | None, as_json: bool) -> None:
    """Compare the register with what the hypervisors really run; exit 1 when they differ."""
    report = app_vps.reconcile(app, backend)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_reconcile(report)
    raise SystemExit(1 if report.drift else 0)
