"""Rendering shared by every command: JSON for scripts, rich tables for people.

Anything a user or a device supplied (file names, device names, labels, messages) is printed
through `shown`: rich markup in it is escaped (`sw-[/]x` must not crash or restyle the output)
and control characters are made visible (`\x1b` instead of an escape sequence reaching the
terminal). `table` applies it to every cell that is not already a rich `Text`.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from netops.text import visible

console = Console()
err_console = Console(stderr=True)


def shown(value: object, *, newlines: bool = False) -> str:
    """`value` as text safe to hand to rich: markup escaped, control characters written out (`\\x1b`).
    `newlines=True` keeps line breaks (multi-line table cells)."""
    return escape(visible(str(value), newlines=newlines))


def to_jsonable(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "as_dict"):
        return obj.as_dict()
    return obj


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, sort_keys=False, default=str) + "\n")


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """Cells are user data (escaped by `shown`) unless they are rich `Text`; the title is escaped too."""
    t = Table(title=shown(title), title_justify="left")
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*(v if isinstance(v, Text) else "" if v is None else shown(v, newlines=True) for v in row))
    return t
