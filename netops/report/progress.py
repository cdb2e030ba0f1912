"""The one rich progress adapter: a bar per collector on stderr, so `--json` on stdout stays clean.

It satisfies netops.collect.sweep.SweepProgress; every command that sweeps (sweep, diagram --against
live) shows the same bars.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from netops.models.observation import DeviceFailure, DeviceObservation
from netops.report.output import err_console


class RichProgress:
    """One bar per collector with its count of failed devices."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.failed: dict[str, int] = {}

    def start(self, collector: str, total: int) -> None:
        self.failed[collector] = 0
        self.tasks[collector] = self.progress.add_task(collector, total=total, failed=0)

    def advance(self, collector: str, result: DeviceObservation | DeviceFailure) -> None:
        if isinstance(result, DeviceFailure):
            self.failed[collector] += 1
        self.progress.update(self.tasks[collector], advance=1, failed=self.failed[collector])


@contextmanager
def sweep_progress(*, transient: bool) -> Iterator[RichProgress]:
    columns = (TextColumn("{task.description:>7}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=transient) as progress:
        yield RichProgress(progress)
