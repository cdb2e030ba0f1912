"""`netops vps`: the VPS register and provisioning in the Pusat Data (Perwali Art. 15(7)-(9), 17)."""
from __future__ import annotations

from typing import Any

import click

from netops.app import vps as app_vps
from netops.cli.context import AppContext, pass_app
from netops.cli.vps_backups import backups
from netops.cli.vps_capacity import capacity, quota, reconcile
from netops.models.vps import parse_size
from netops.report import vps_view as view
from netops.report.output import emit_json

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
backend_option = click.option("--backend", type=click.Choice(app_vps.BACKENDS), default=None,
                              help="Where VPS are made real (default: NETOPS_VPS_BACKEND, else dryrun).")


class Size(click.ParamType[int, str]):
    """4G, 512M, 1T: converted to the unit the register keeps (MiB for memory, GiB for disk)."""

    name = "size"

    def __init__(self, unit: str):
        self.unit = unit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return parse_size(value, self.unit)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.group("vps")
def command() -> None:
    """VPS for the PDs: register, provisioning, capacity, quotas, backups, drift."""


for sub in (backups, quota, capacity, reconcile):
    command.add_command(sub)


@command.command("create")
@click.option("--pd", "pd_code", required=True, help="PD code, e.g. DISDUKCAPIL.")
@click.option("--purpose", required=True, help="Application, e.g. 'SIMDUK web'; part of the name.")
@click.option("--vcpu", type=click.IntRange(min=1), required=True)
@click.option("--memory", type=Size("M"), required=True, help="e.g. 4G or 512M.")
@click.option("--disk", type=Size("G"), required=True, help="e.g. 40G.")
@click.option("--os", "os_template", required=True, help="OS template name from pusat_data.yaml.")
@click.option("--owner", default="", help="Who at the PD owns this VPS (contact).")
@click.option("--replica", type=click.IntRange(min=1), default=1, help="Replica number: another VPS, same ask.")
@click.option("--request-id", help="Idempotency key (e.g. a ticket number); default: the request itself.")
@click.option("--backup-policy", help="Backup policy name (default: the Pusat Data default).")
@click.option("--dry-run", is_flag=True, help="Show what would be allocated and rendered; write nothing.")
@backend_option
@json_option
@pass_app
def create(app: AppContext, pd_code: str, purpose: str, vcpu: int, memory: int, disk: int, os_template: str,
           owner: str, replica: int, request_id: str | None, backup_policy: str | None, dry_run: bool,
           backend: str | None, as_json: bool) -> None:
    """Register a VPS (quota, host, IP, name in one transaction) and provision it."""
    req = app_vps.VpsRequest(pd=pd_code.upper(), purpose=purpose, vcpu=vcpu, memory_mib=memory, disk_gib=disk,
                             os_template=os_template, owner=owner, replica=replica, request_id=request_id,
                             backup_policy=backup_policy)
    result = app_vps.create_vps(app, req, dry_run, backend)
    emit_json(result.model_dump(mode="json")) if as_json else view.print_create(result)


@command.command("list")
@click.option("--pd", "pd_code", help="Only this PD's VPS.")
@click.option("--all", "include_all", is_flag=True, help="Include decommissioned VPS.")
@json_option
@pass_app
def list_cmd(app: AppContext, pd_code: str | None, include_all: bool, as_json: bool) -> None:
    """The VPS register."""
    rows = app_vps.list_vps(app, pd_code, include_all)
    emit_json([v.model_dump(mode="json") for v in rows]) if as_json else view.print_list(rows)


@command.command("show")
@click.argument("name")
@json_option
@pass_app
def show(app: AppContext, name: str, as_json: bool) -> None:
    """One VPS with everything the register knows."""
    v = app_vps.get_vps(app, name)
    emit_json(v.model_dump(mode="json")) if as_json else view.print_vps(v)


@command.command("resize")
@click.argument("name")
@click.option("--vcpu", type=click.IntRange(min=1))
@click.option("--memory", type=Size("M"))
@click.option("--disk", type=Size("G"), help="Disks only grow.")
@backend_option
@json_option
@pass_app
def resize(app: AppContext, name: str, vcpu: int | None, memory: int | None, disk: int | None,
           backend: str | None, as_json: bool) -> None:
    """Change a VPS's size within its PD's quota and its host's room (takes effect at next boot)."""
    v = app_vps.resize_vps(app, name, vcpu, memory, disk, backend)
    emit_json(v.model_dump(mode="json")) if as_json else view.print_resized(v)


def _lifecycle(verb: str, doc: str) -> None:
    @command.command(verb, help=doc)
    @click.argument("name")
    @backend_option
    @json_option
    @pass_app
    def run(app: AppContext, name: str, backend: str | None, as_json: bool) -> None:
        v = app_vps.change_state(app, verb, name, backend)
        emit_json(v.model_dump(mode="json")) if as_json else view.print_state(v)


_lifecycle("stop", "Shut a VPS down (the register says stopped).")
_lifecycle("start", "Start a stopped VPS.")
_lifecycle("decommission", "Remove the domain; keep the record; the IP is freed after the grace period.")
