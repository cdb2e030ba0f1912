"""`command`: one show command over SSH (netmiko), parsed with ntc-templates' TextFSM when asked."""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from nornir.core.task import Task
from nornir_netmiko.tasks import netmiko_send_command
from pydantic import BaseModel, ConfigDict, Field, field_validator

from netops.collect.cli_collector import DIALECTS
from netops.tasks.hosts import on_hosts
from netops.tasks.registry import HostOutcome, RunContext

# read-only verbs: a playbook's `command` shows, it never configures (that is the `config` task's job)
_READ_ONLY = re.compile(r"^\s*(?:show|display|/?\w*\s*print|ping|traceroute|get|lldpcli show|ip -j|cat)\b", re.IGNORECASE)


class CommandOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    command: str = Field(min_length=1, max_length=200)
    parse: bool = False

    @field_validator("command")
    @classmethod
    def _read_only(cls, value: str) -> str:
        if not _READ_ONLY.match(value) or any(c in value for c in ";|&\n`$"):
            raise ValueError("only read-only commands (show/display/print...) without shell characters; "
                             "changes go through the `config` task")
        return value


class Command:
    name: ClassVar[str] = "command"
    scope: ClassVar[Literal["host", "fleet"]] = "host"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = CommandOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, CommandOptions)

        def work(task: Task) -> HostOutcome:
            dialect = DIALECTS.get(task.host.platform or "")
            raw = str(task.run(task=netmiko_send_command, command_string=options.command, severity_level=0).result)
            if options.parse and dialect is not None:
                from ntc_templates.parse import parse_output
                rows = parse_output(platform=dialect.template_platform, command=options.command, data=raw)
                return HostOutcome("ok", f"{len(rows)} row(s)", rows)
            return HostOutcome("ok", f"{len(raw.splitlines())} line(s)", raw)
        return on_hosts(ctx, work, via="cli")
