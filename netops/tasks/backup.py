"""`backup`: every device's running config, secrets stripped, into the git repository; one commit per run.

A device whose config changed while no change run touched it since its last backup is flagged: that
is how an unannounced change in a router (or an intrusion) shows up the morning after.
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from nornir.core.task import Task
from nornir_napalm.plugins.tasks import napalm_get
from pydantic import BaseModel, ConfigDict

from netops.configs.gitstore import commit_configs, history
from netops.configs.strip import strip_config
from netops.tasks.hosts import on_hosts
from netops.tasks.registry import HostOutcome, RunContext


class BackupOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    repository: str = "var/configs"          # relative to the project root


def repository_of(ctx: RunContext, options: BackupOptions) -> Path:
    path = Path(options.repository)
    return path if path.is_absolute() else Path(ctx.config.root) / path


class Backup:
    name: ClassVar[str] = "backup"
    scope: ClassVar[Literal["host", "fleet"]] = "host"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = BackupOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, BackupOptions)
        configs: dict[str, str] = {}

        def work(task: Task) -> HostOutcome:
            got = task.run(task=napalm_get, getters=["config"], retrieve="running", severity_level=0).result
            running = str((got.get("config") or {}).get("running") or "")
            if not running.strip():
                return HostOutcome("failed", "the device returned an empty running config")
            stripped = strip_config(running, str(task.host.platform or ""))
            configs[task.host.name] = stripped.text
            secrets = sum(stripped.removed.values())
            return HostOutcome("ok", f"{len(stripped.text.splitlines())} lines, {secrets} secret(s) removed")
        outcomes = on_hosts(ctx, work)
        ctx.shared["configs"] = configs
        if ctx.check or not configs:
            return outcomes
        repo = repository_of(ctx, options)
        known = {host for host in configs if history(repo, host)}
        commit, changed = commit_configs(repo, configs, f"netops backup of {len(configs)} device(s)")
        ctx.shared["commit"] = commit
        for host in changed:
            note = "changed" if host in known else "first backup"
            if host in known:
                note += " (no change run recorded: check who changed it)"
            outcomes[host] = HostOutcome("changed", f"{note}; commit {commit[:8] if commit else ''}")
        return outcomes
