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


KEY_WIDTH_CAP = 48   # a key longer than this may wrap (folded, never cut); hostnames and cable ids are shorter


def _cell_width(cell: Text | str) -> int:
    return (cell if isinstance(cell, Text) else Text.from_markup(cell)).cell_len


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, keys: int = 1) -> Table:
    """Cells are user data (escaped by `shown`) unless they are rich `Text`; the title is escaped too.

    The first `keys` columns (hostname, cable id...) are never wrapped or cut in a narrow terminal: they
    keep the width of their longest value; the other columns fold instead of being cut with an ellipsis.
    """
    cells = [[v if isinstance(v, Text) else "" if v is None else shown(v, newlines=True) for v in row]
             for row in rows]
    t = Table(title=shown(title), title_justify="left")
    for i, col in enumerate(columns):
        if i < keys:
            width = max([len(col), *(_cell_width(r[i]) for r in cells if i < len(r))])
            t.add_column(col, no_wrap=True, min_width=min(width, KEY_WIDTH_CAP), overflow="fold")
        else:
            t.add_column(col, overflow="fold")
    for cell_row in cells:
        t.add_row(*cell_row)
    return t
