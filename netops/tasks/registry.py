"""The task-type contract and the registry every playbook is checked and run against.

A task type has an options model (pydantic, unknown keys refused), a scope (`host`: runs on every
selected device through Nornir; `fleet`: runs once for the playbook), whether it changes devices (the
engine plans topology-safe waves only for those), and `run`. Per-host results are data, never raised.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ValidationError

from netops.models.playbook import TaskSpec

Status = Literal["ok", "changed", "failed", "skipped"]


@dataclass
class HostOutcome:
    status: Status
    message: str = ""
    data: Any = None


@dataclass
class RunContext:
    """What a task may use: the project, the store, the hosts selected, what earlier tasks left."""

    config: Any
    inventory: Any
    store: Any
    hosts: list[str]
    check: bool
    nornir: Any = None
    lab: Any = None                                            # the lab overlay the app chose, or None
    shared: dict[str, Any] = field(default_factory=dict)      # e.g. the configs a backup fetched


class TaskType(Protocol):
    name: ClassVar[str]
    scope: ClassVar[Literal["host", "fleet"]]
    changes_devices: ClassVar[bool]
    Options: ClassVar[type[BaseModel]]

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        """host -> outcome (a fleet task answers under the key "fleet")."""


def _types() -> dict[str, TaskType]:
    from netops.tasks import assert_task, backup, command, config, fleet, getters
    found: list[TaskType] = [getters.Getters(), command.Command(), backup.Backup(), assert_task.Assert(),
                             config.Config(), fleet.Sweep(), fleet.DiagramStatus(), fleet.TopologyCheck()]
    return {t.name: t for t in found}


TASK_TYPES = _types()


def check_options(task: TaskSpec) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """(field path inside the task's options, message) for everything wrong with one task."""
    kind = TASK_TYPES.get(task.type)
    if kind is None:
        yield (), f"unknown task type {task.type!r}; known: {', '.join(sorted(TASK_TYPES))}"
        return
    try:
        kind.Options.model_validate(task.options)
    except ValidationError as exc:
        for err in exc.errors():
            yield tuple(err["loc"]), err["msg"]


def options_of(task: TaskSpec) -> BaseModel:
    return TASK_TYPES[task.type].Options.model_validate(task.options)
