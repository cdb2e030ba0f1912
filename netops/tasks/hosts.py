"""Running one function on every selected device through Nornir, each failure becoming a failed row."""
from __future__ import annotations

from collections.abc import Callable

from nornir.core.task import Result, Task
from nornir.plugins.runners import ThreadedRunner

from netops.collect.base import failure_from
from netops.collect.napalm_collector import prepare_napalm
from netops.tasks.registry import HostOutcome, RunContext

DEVICE_TIMEOUT_S = 15.0


def on_hosts(ctx: RunContext, work: Callable[[Task], HostOutcome], concurrency: int = 20,
             via: str = "napalm") -> dict[str, HostOutcome]:
    """`work(task)` on every host of the context; an unreachable device is a failed row, the run goes on."""
    nr = ctx.nornir.filter(filter_func=lambda h: h.name in set(ctx.hosts))
    if not nr.inventory.hosts:
        return {}
    prepare_napalm(nr, DEVICE_TIMEOUT_S)

    def guarded(task: Task) -> Result:
        try:
            outcome = work(task)
        except Exception as exc:
            root = exc.result[0].exception if hasattr(exc, "result") and exc.result and exc.result[0].exception else exc
            failure = failure_from(task.host.name, via, root)
            outcome = HostOutcome("failed", f"{failure.reason.value}: {failure.message}")
        return Result(host=task.host, result=outcome)

    runner = nr.with_runner(ThreadedRunner(num_workers=max(1, min(concurrency, 100))))
    try:
        results = runner.run(task=guarded, on_failed=True)
    finally:
        nr.close_connections(on_failed=True)
    return {host: multi[0].result for host, multi in results.items()}
