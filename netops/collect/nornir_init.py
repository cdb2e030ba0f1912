"""One way to build a Nornir object over netops' inventory, with CLI filters applied."""
from __future__ import annotations

from collections.abc import Iterable

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.filter import OR, F
from nornir.core.plugins.inventory import InventoryPluginRegister, TransformFunctionRegister

from netops.config import Config
from netops.lab.overlay import LabOverlay, transform_host
from netops.sources.inventory import Inventory
from netops.sources.nornir_plugin import NetopsInventory


def build_nornir(config: Config, *, workers: int = 50, checked: Inventory | None = None,
                 lab: LabOverlay | None = None) -> Nornir:
    """`checked`: the caller's already validated Inventory of the same files (skips a second check).
    `lab`: the lab overlay the caller chose (netops.app.lab_use), applied as Nornir's transform function."""
    # The entry point registers the plugin when netops is installed; this covers a source checkout too.
    InventoryPluginRegister.register("NetopsInventory", NetopsInventory)
    inventory: dict[str, object] = {"plugin": "NetopsInventory", "options": {"config": config, "checked": checked}}
    if lab is not None:
        TransformFunctionRegister.register("netops_lab_overlay", transform_host)
        inventory |= {"transform_function": "netops_lab_overlay", "transform_function_options": {"overlay": lab}}
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory=inventory,
        logging={"enabled": False},
    )
    return nr


def apply_filters(nr: Nornir, *, pds: tuple[str, ...] = (), roles: tuple[str, ...] = (),
                  platforms: tuple[str, ...] = (), expressions: tuple[str, ...] = ()) -> Nornir:
    """CLI filters: --pd, --role, --platform (each repeatable = OR), --filter 'key__op=value' (AND)."""
    if pds:
        nr = nr.filter(_any(F(pd__code=code.upper()) for code in pds))
    if roles:
        nr = nr.filter(_any(F(role=role) for role in roles))
    if platforms:
        nr = nr.filter(_any(F(platform=p) for p in platforms))
    for expr in expressions:
        key, value = parse_filter(expr)
        nr = nr.filter(F(**{key.removeprefix("data__"): value}))
    return nr


def parse_filter(expression: str) -> tuple[str, str]:
    """'data__role=pd-edge' -> ('data__role', 'pd-edge'); the one check of a filter expression."""
    key, sep, value = expression.partition("=")
    if not sep or not key:
        raise ValueError(f"{expression!r}: expected key=value, e.g. data__role=pd-edge")
    return key, value


def _any(filters: Iterable[F]) -> F | OR:
    """The OR of one or more filters."""
    remaining = iter(filters)
    combined: F | OR = next(remaining)
    for f in remaining:
        combined = combined | f
    return combined
