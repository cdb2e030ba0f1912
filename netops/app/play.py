"""`netops play`: run a playbook over the fleet, in topology-safe waves when it changes devices, and keep
the run (playbook hash, who, when, every host's result).

Tasks run in order. A host that fails a task is skipped by the tasks after it (as Ansible does); with
`on_failure: stop` the whole run stops at the first failed task. `--check` runs what only reads and
reports what would change without changing it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from netops.analysis.graph import declared_graph
from netops.analysis.waves import plan_waves, risks
from netops.app.session import Session
from netops.config import Config
from netops.errors import InputError, NetopsError
from netops.models.playbook import HostSelector
from netops.models.playbook_run import PlaybookRun, TaskResult
from netops.sources.inventory import Inventory
from netops.sources.playbooks import load_playbook, playbook_json_schema
from netops.store.audit import current_actor
from netops.store.db import Store
from netops.store.runs import list_runs, save_run
from netops.tasks.registry import TASK_TYPES, HostOutcome, RunContext, TaskType, options_of

Progress = Callable[[str, int], None]      # (task name, hosts it runs on)


class RiskRefused(NetopsError):
    """The run would cut PDs off and `--accept-risk` was not given."""


def _matches(selector: HostSelector, name: str, inv: Inventory) -> bool:
    d = inv.devices[name]
    groups = {f"pd_{d.pd.lower()}", f"platform_{d.platform}"}        # the inventory's Nornir groups
    checks: list[tuple[list[Any], object]] = [(selector.pd, d.pd), (selector.role, d.role), (selector.platform, d.platform),
              (selector.site, d.site), (selector.name, name)]
    if any(wanted and value not in wanted for wanted, value in checks):
        return False
    if selector.group and not groups & set(selector.group):
        return False
    if any(not _matches(s, name, inv) for s in selector.all_of):
        return False
    if selector.any_of and not any(_matches(s, name, inv) for s in selector.any_of):
        return False
    return not (selector.not_ is not None and _matches(selector.not_, name, inv))


def select_hosts(selector: HostSelector, inv: Inventory, limit: str | None = None) -> list[str]:
    """The playbook's hosts, narrowed by `--limit` (host names, or key=value of pd/role/platform/site)."""
    hosts = [n for n in sorted(inv.devices) if _matches(selector, n, inv)]
    if limit:
        narrowed: list[str] = []
        for part in (p.strip() for p in limit.split(",") if p.strip()):
            key, sep, value = part.partition("=")
            if sep and key not in ("pd", "role", "platform", "site", "name"):
                raise InputError.of_field(f"limit {key}", "expected a host name or pd=, role=, platform=, site=, name=")
            extra = HostSelector.model_validate({key: [value.upper() if key == "pd" else value]}) if sep \
                else HostSelector(name=[part])
            narrowed += [h for h in hosts if _matches(extra, h, inv) and h not in narrowed]
        hosts = narrowed
    return hosts


def _in_waves(kind: TaskType, ctx: RunContext, options: BaseModel, waves: list[list[str]],
              targets: list[str]) -> dict[str, HostOutcome]:
    """A changing task wave by wave; a wave with a failure stops the rollout (the rest are skipped)."""
    outcomes: dict[str, HostOutcome] = {}
    for i, wave in enumerate(waves, 1):
        ctx.hosts = [h for h in wave if h in targets]
        if any(o.status == "failed" for o in outcomes.values()):
            outcomes.update({h: HostOutcome("skipped", f"wave {i} not started: an earlier wave failed") for h in ctx.hosts})
            continue
        outcomes.update(kind.run(ctx, options) if ctx.hosts else {})
    return outcomes


def run_playbook(config: Config, inv: Inventory, store: Store, path: Path, *, limit: str | None = None,
                 check: bool = False, accept_risk: bool = False, progress: Progress | None = None) -> PlaybookRun:
    playbook = load_playbook(path)
    hosts = select_hosts(playbook.hosts, inv, limit)
    started = dt.datetime.now(dt.UTC)
    run = PlaybookRun(playbook=playbook.name, path=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                      actor=current_actor(), started_at=started, finished_at=started, check=check, hosts=hosts)
    changing = any(TASK_TYPES[t.type].changes_devices for t in playbook.tasks)
    if changing:
        waves = plan_waves(declared_graph(inv), hosts,
                           max_waves=None if playbook.waves == "auto" else int(playbook.waves))
        run.waves, run.risks = [w.hosts for w in waves], risks(waves)
        if run.risks and not accept_risk and not check:
            raise RiskRefused("pre-flight refused: " + "; ".join(run.risks) + " (run with --accept-risk to go on)")
    else:
        run.waves = [hosts]
    from netops.app.lab_use import lab_overlay, notice
    from netops.collect.nornir_init import build_nornir
    overlay = lab_overlay(config)
    said = notice(overlay)
    run.lab = said.text if said and hosts else None
    ctx = RunContext(config=config, inventory=inv, store=store, hosts=hosts, check=check, lab=overlay,
                     nornir=build_nornir(config, workers=playbook.concurrency, checked=inv, lab=overlay)
                     if hosts else None)
    failed: set[str] = set()
    stopped = False
    for task in playbook.tasks:
        kind = TASK_TYPES[task.type]
        if stopped:
            run.results.append(TaskResult(task=task.name, type=task.type, host="fleet" if kind.scope == "fleet" else "*",
                                          status="skipped", message="run stopped (on_failure: stop)"))
            continue
        targets = [h for h in hosts if h not in failed]
        for h in failed & set(hosts):
            if kind.scope == "host":
                run.results.append(TaskResult(task=task.name, type=task.type, host=h, status="skipped",
                                              message="failed an earlier task"))
        if progress:
            progress(task.name, 1 if kind.scope == "fleet" else len(targets))
        if kind.changes_devices:
            outcomes = _in_waves(kind, ctx, options_of(task), run.waves, targets)
        else:
            ctx.hosts = targets
            outcomes = kind.run(ctx, options_of(task)) if (targets or kind.scope == "fleet") else {}
        for host, outcome in sorted(outcomes.items()):
            run.results.append(TaskResult(task=task.name, type=task.type, host=host, status=outcome.status,
                                          message=outcome.message, data=outcome.data))
            if outcome.status == "failed" and host != "fleet":
                failed.add(host)
        if any(o.status == "failed" for o in outcomes.values()) and playbook.on_failure == "stop":
            stopped = True
    run.finished_at = dt.datetime.now(dt.UTC)
    run.id = save_run(store, run)
    return run


class RunListed(BaseModel):
    id: int
    playbook: str
    sha256: str
    actor: str
    started_at: str
    check_only: bool
    failed: int


def play_history(session: Session, playbook: str | None = None) -> list[RunListed]:
    """Stored runs, newest first."""
    return [RunListed.model_validate(row) for row in list_runs(session.store, playbook)]


def playbook_schema() -> str:
    """The JSON Schema of playbook files (schemas/playbook.schema.json)."""
    return playbook_json_schema()
