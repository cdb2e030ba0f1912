"""What a playbook run did: per task, per host, ok / changed / failed / skipped, with a message."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field


class TaskResult(BaseModel):
    task: str
    type: str
    host: str                       # "fleet" for a task that runs once
    status: Literal["ok", "changed", "failed", "skipped"]
    message: str = ""
    data: Any = None


class PlaybookRun(BaseModel):
    id: int | None = None
    playbook: str
    path: str
    sha256: str
    actor: str
    started_at: dt.datetime
    finished_at: dt.datetime
    check: bool
    hosts: list[str]
    waves: list[list[str]] = Field(default_factory=list)
    risks: list[str] = Field(default_factory=list)
    results: list[TaskResult] = Field(default_factory=list)
    lab: str | None = None          # said when the devices were asked through the lab

    @property
    def failed_hosts(self) -> list[str]:
        return sorted({r.host for r in self.results if r.status == "failed"})

    def recap(self) -> dict[str, dict[str, int]]:
        """Ansible's recap: per host, how many tasks were ok, changed, failed, skipped."""
        out: dict[str, dict[str, int]] = {}
        for r in self.results:
            row = out.setdefault(r.host, {"ok": 0, "changed": 0, "failed": 0, "skipped": 0})
            row[r.status] += 1
        return out
