"""`config`: template-rendered config lines merged into each device (NAPALM merge, compare, commit), shown
as a diff with `--check` and nothing changed, rolled back on the device when its commit fails.

Lines are Jinja templates over the device (`{{ host.name }}`, `{{ device.loopback }}`, `{{ pd.code }}`);
a rendered line must be one printable line. The engine runs this task in topology-safe waves.
"""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from nornir.core.task import Task
from pydantic import BaseModel, ConfigDict, Field, field_validator

from netops.tasks.hosts import on_hosts
from netops.tasks.registry import HostOutcome, RunContext

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class ConfigOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: list[str] = Field(min_length=1, max_length=200)

    @field_validator("lines")
    @classmethod
    def _templates(cls, values: list[str]) -> list[str]:
        for value in values:
            if "\n" in value or "\r" in value:
                raise ValueError(f"one command per line: {value[:40]!r}")
            try:
                _ENV.parse(value)
            except TemplateError as exc:
                raise ValueError(f"not a valid template: {value[:40]!r} ({exc})") from exc
        return values


def render(lines: list[str], host: str, ctx: RunContext) -> str:
    device = ctx.inventory.devices[host]
    values = {"host": {"name": host}, "device": device, "pd": ctx.inventory.pds.get(device.pd)}
    out = []
    for line in lines:
        text = _ENV.from_string(line).render(**values)
        if not re.fullmatch(r"[\x20-\x7e]*", text):
            raise ValueError(f"{host}: the rendered line {text[:40]!r} is not one printable line")
        out.append(text)
    return "\n".join(out) + "\n"


class Config:
    name: ClassVar[str] = "config"
    scope: ClassVar[Literal["host", "fleet"]] = "host"
    changes_devices: ClassVar[bool] = True
    Options: ClassVar[type[BaseModel]] = ConfigOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, ConfigOptions)

        def work(task: Task) -> HostOutcome:
            device = task.host.get_connection("napalm", task.nornir.config)
            device.load_merge_candidate(config=render(options.lines, task.host.name, ctx))
            diff = device.compare_config()
            if not diff:
                device.discard_config()
                return HostOutcome("ok", "already configured")
            if ctx.check:
                device.discard_config()
                return HostOutcome("changed", f"would change (check): {diff}", diff)
            try:
                device.commit_config()
            except Exception as exc:
                device.rollback()
                return HostOutcome("failed", f"commit failed and was rolled back: {str(exc)[:300]}", diff)
            return HostOutcome("changed", f"changed: {diff}", diff)
        return on_hosts(ctx, work)
