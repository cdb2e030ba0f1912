"""Tasks that run once for the whole playbook: a sweep, the diagram status, the redundancy check."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from netops.models.settings import SWEEP_DEFAULTS, Via
from netops.tasks.registry import HostOutcome, RunContext


class SweepOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    via: list[Via] = Field(default_factory=lambda: list(SWEEP_DEFAULTS.via))


class Sweep:
    name: ClassVar[str] = "sweep"
    scope: ClassVar[Literal["host", "fleet"]] = "fleet"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = SweepOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, SweepOptions)
        from netops.collect.sweep import SweepRequest, sweep
        from netops.store.snapshots import save_snapshot
        hosts = set(ctx.hosts)
        nr = ctx.nornir.filter(filter_func=lambda h: h.name in hosts)
        snapshot = sweep(ctx.config, ctx.inventory, SweepRequest(via=tuple(options.via)), nr=nr, lab=ctx.lab)
        snapshot_id = None if ctx.check else save_snapshot(ctx.store, snapshot)
        down = sorted(lid for lid, link in snapshot.links.items() if link.state.value != "up")
        status: Literal["ok", "failed"] = "failed" if snapshot.failures else "ok"
        stored = f"snapshot {snapshot_id}" if snapshot_id else "check, not stored"
        return {"fleet": HostOutcome(status, f"{stored}: {len(snapshot.observations)} answered, "
                                             f"{len(snapshot.failures)} failed, {len(down)} link(s) not up",
                                     {"snapshot_id": snapshot_id, "failed": sorted(snapshot.failures), "links_not_up": down})}


class DiagramStatusOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    only_overdue: bool = True


class DiagramStatus:
    name: ClassVar[str] = "diagram_status"
    scope: ClassVar[Literal["host", "fleet"]] = "fleet"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = DiagramStatusOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, DiagramStatusOptions)
        from netops.store import submissions as subs
        pds = ctx.inventory.pds
        rows = subs.compliance({c: p.name for c, p in pds.items()}, subs.submissions(ctx.store),
                               dt.datetime.now(dt.UTC).date())
        chosen = [r for r in rows if r.overdue or not options.only_overdue]
        reminders = [{"pd": r.pd, "name": r.name, "last_submission": str(r.last_submission or "never"),
                      "tier1": pds[r.pd].service_desk.name, "phone": pds[r.pd].service_desk.phone,
                      "email": pds[r.pd].service_desk.email} for r in chosen]
        overdue = sum(r.overdue for r in rows)
        return {"fleet": HostOutcome("failed" if overdue else "ok", f"{overdue} of {len(rows)} PDs overdue", reminders)}


class TopologyCheckOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_ducts: int = Field(default=3, ge=1, le=6)


class TopologyCheck:
    name: ClassVar[str] = "topology_check"
    scope: ClassVar[Literal["host", "fleet"]] = "fleet"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = TopologyCheckOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, TopologyCheckOptions)
        from netops.analysis.graph import declared_graph
        from netops.app.topology import check_report, run_check
        g = declared_graph(ctx.inventory)
        result, suggestions = run_check(ctx.config, ctx.inventory, g, False, options.max_ducts)
        verdicts = {v: sum(1 for r in result.pds.values() if r.verdict.value == v)
                    for v in ("isolated", "single-homed", "dual-homed-shared-duct", "diverse")}
        message = ", ".join(f"{n} {v}" for v, n in verdicts.items()) + f"; {len(result.violations)} policy violation(s)"
        report = check_report(result, suggestions, result.warnings).model_dump(mode="json")
        return {"fleet": HostOutcome("failed" if result.violations else "ok", message, report)}
