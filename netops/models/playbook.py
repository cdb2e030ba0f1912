"""A playbook: a named, reviewed, repeatable run of registered tasks over a filtered part of the fleet.

Example::

    name: config-backup
    description: Every router's running config into git, secrets stripped.
    hosts: {role: [core, distribution, pd-edge], not: {pd: [LAB]}}
    on_failure: continue
    concurrency: 20
    tasks:
      - name: back up
        backup: {repository: var/configs}

`hosts` selects by PD, role, platform, site or group (each a list: any of them), and combines
selections with `all` (and), `any` (or) and `not`. Each task names exactly one registered task type
(netops.tasks) with that type's options, validated by the type's own model.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from netops.models.inventory import Role


class HostSelector(BaseModel):
    """All given criteria must hold (and); each list matches any of its values (or)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    pd: list[str] = Field(default_factory=list)
    role: list[Role] = Field(default_factory=list)
    platform: list[str] = Field(default_factory=list)
    site: list[str] = Field(default_factory=list)
    group: list[str] = Field(default_factory=list)
    name: list[str] = Field(default_factory=list)
    all_of: list[HostSelector] = Field(default_factory=list, alias="all")
    any_of: list[HostSelector] = Field(default_factory=list, alias="any")
    not_: HostSelector | None = Field(default=None, alias="not")


class TaskSpec(BaseModel):
    """One step: `type` is the registered task type, `options` its settings (checked by that type)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _one_type_key(cls, raw: Any) -> Any:
        """`{name: x, backup: {...}}` -> `{name: x, type: backup, options: {...}}`."""
        if not isinstance(raw, dict) or "type" in raw:
            return raw
        kinds = [k for k in raw if k != "name"]
        if len(kinds) != 1:
            raise ValueError(f"a task names exactly one task type, found {kinds or 'none'}")
        kind = kinds[0]
        options = raw[kind] if raw[kind] is not None else {}
        return {"name": raw.get("name") or kind, "type": kind, "options": options}


class Playbook(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    description: str = ""
    hosts: HostSelector = Field(default_factory=HostSelector)
    on_failure: Literal["continue", "stop"] = "continue"
    concurrency: int = Field(default=20, ge=1, le=500)
    waves: Literal["auto"] | int = Field(default="auto", description="auto: topology-safe waves; N: at most N waves")
    tasks: list[TaskSpec] = Field(min_length=1)
