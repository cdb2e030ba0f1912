"""`assert`: compliance of every device against declared expectations, with the evidence line.

Rules say which lines a config must or must not have (regular expressions, per role/platform), checked
on the config the run's `backup` fetched (or fetched now, stripped). A failing rule names the offending
line, or says that no line matches.
"""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from nornir.core.task import Task
from nornir_napalm.plugins.tasks import napalm_get
from pydantic import BaseModel, ConfigDict, Field, field_validator

from netops.configs.strip import strip_config
from netops.tasks.hosts import on_hosts
from netops.tasks.registry import HostOutcome, RunContext


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    roles: list[str] = Field(default_factory=list)       # empty: every role
    platforms: list[str] = Field(default_factory=list)
    must: list[str] = Field(default_factory=list)
    must_not: list[str] = Field(default_factory=list)

    @field_validator("must", "must_not")
    @classmethod
    def _regex(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {value!r} ({exc})") from exc
        return values


class AssertOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[Rule] = Field(min_length=1)


def evaluate(config: str, rules: list[Rule], role: str, platform: str) -> list[tuple[str, bool, str]]:
    """(rule, passed, evidence) for every rule that applies to this role and platform. Pure."""
    out = []
    lines = config.splitlines()
    for rule in rules:
        if (rule.roles and role not in rule.roles) or (rule.platforms and platform not in rule.platforms):
            continue
        problems = []
        for pattern in rule.must:
            if not any(re.search(pattern, line) for line in lines):
                problems.append(f"no line matches {pattern!r}")
        for pattern in rule.must_not:
            hit = next((line for line in lines if re.search(pattern, line)), None)
            if hit is not None:
                problems.append(f"line {hit.strip()!r} matches {pattern!r}")
        evidence = "; ".join(problems) or "; ".join(
            [f"has {p!r}" for p in rule.must] + [f"no {p!r}" for p in rule.must_not])
        out.append((rule.name, not problems, evidence))
    return out


class Assert:
    name: ClassVar[str] = "assert"
    scope: ClassVar[Literal["host", "fleet"]] = "host"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = AssertOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, AssertOptions)
        fetched: dict[str, str] = ctx.shared.get("configs", {})

        def work(task: Task) -> HostOutcome:
            config = fetched.get(task.host.name)
            platform = str(task.host.platform or "")
            if config is None:
                got = task.run(task=napalm_get, getters=["config"], retrieve="running", severity_level=0).result
                config = strip_config(str((got.get("config") or {}).get("running") or ""), platform).text
            results = evaluate(config, options.rules, str(task.host.data.get("role", "")), platform)
            failed = [f"{name}: {evidence}" for name, ok, evidence in results if not ok]
            data = [{"rule": n, "passed": ok, "evidence": e} for n, ok, e in results]
            if failed:
                return HostOutcome("failed", " | ".join(failed), data)
            return HostOutcome("ok", f"{len(results)} rule(s) pass", data)
        return on_hosts(ctx, work)
