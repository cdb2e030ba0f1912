"""Project configuration: netops.yaml at the project root (or --config / NETOPS_CONFIG).

Environment variables override the file so tests and scripts can point netops at a
scratch store or another inventory without editing anything:
NETOPS_CONFIG, NETOPS_STORE, NETOPS_INVENTORY, NETOPS_TOPOLOGY, NETOPS_SECRETS_FILE, NETOPS_LAB_STATE.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netops.errors import ConfigError, InputError
from netops.models.settings import SWEEP_DEFAULTS, AuditSettings, Policy, SweepSettings
from netops.sources.yamlfile import load_yaml

__all__ = ["AuditSettings", "Config", "Policy", "SweepSettings", "find_config", "load_config"]

CONFIG_NAME = "netops.yaml"


class ConfigFile(BaseModel):
    """netops.yaml as written: every key optional, each of the type it must have; the sections are
    validated here, against their models, so an error in one names its file and line."""

    model_config = ConfigDict(extra="forbid", strict=True)
    inventory_dir: str | None = None
    topology_dir: str | None = None
    store: str | None = None
    secrets_file: str | None = None
    lab_state: str | None = None
    policies: list[Policy] | None = None
    sweep: SweepSettings | None = None
    audit: AuditSettings | None = None


CONFIG_KEYS = frozenset(ConfigFile.model_fields)
# the sections that are models of their own: an unknown key inside one lists that section's keys
_SECTIONS: dict[str, type[BaseModel]] = {"policies": Policy, "sweep": SweepSettings, "audit": AuditSettings}


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    root: Path
    inventory_dir: Path
    topology_dir: Path
    store_url: str
    secrets_file: Path | None = None
    lab_state: Path
    policies: list[Policy] = Field(default_factory=list)
    sweep: SweepSettings = SWEEP_DEFAULTS
    audit: AuditSettings = Field(default_factory=AuditSettings)


def _has_password(url: str) -> bool:
    """user:password@ in a URL; the password itself is never looked at again."""
    _, sep, rest = url.partition("://")
    credentials, at, _ = rest.partition("@")
    return bool(sep and at and ":" in credentials and credentials.split(":", 1)[1])


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--config, else NETOPS_CONFIG, else netops.yaml in the working directory or a parent."""
    candidate = explicit or os.environ.get("NETOPS_CONFIG")
    if candidate:
        path = Path(candidate)
        if not path.exists():
            raise ConfigError(f"config file not found: {path}")
        return path
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).exists():
            return folder / CONFIG_NAME
    return None


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    path = find_config(explicit)
    raw: dict[str, Any] = {}
    settings = ConfigFile()
    root = Path.cwd().resolve()
    if path is not None:
        doc = load_yaml(path)
        if not isinstance(doc.data, dict):
            raise InputError.at(doc.name, 1, "(file)", "expected a mapping of settings")
        raw = doc.data
        root = path.resolve().parent
        for key in raw:
            if key not in CONFIG_KEYS:
                raise InputError.at(doc.name, doc.line_of((key,)), key,
                                    f"unknown setting (known: {', '.join(sorted(CONFIG_KEYS))})")
        try:
            settings = ConfigFile.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = tuple(err["loc"])
            raise InputError.at(doc.name, doc.line_of(loc), _dotted(loc), _message(err["type"], loc, err["msg"])) from exc
        if isinstance(raw.get("store"), str) and _has_password(raw["store"]):
            raise InputError.at(doc.name, doc.line_of(("store",)), "store",
                                "holds a password: keep it out of the project (the URL in NETOPS_STORE, "
                                "or store_password in the secrets file)")
    env = os.environ

    def as_path(value: str | None, default: str) -> Path:
        p = Path(value or default).expanduser()
        return p if p.is_absolute() else root / p

    store = env.get("NETOPS_STORE") or raw.get("store") or "sqlite:///var/netops.sqlite"
    if store.startswith("sqlite:///") and not store.startswith("sqlite:////"):
        store = "sqlite:///" + str(root / store.removeprefix("sqlite:///"))
    secrets = env.get("NETOPS_SECRETS_FILE") or raw.get("secrets_file")
    try:
        return Config(
            root=root,
            inventory_dir=as_path(env.get("NETOPS_INVENTORY") or raw.get("inventory_dir"), "inventory"),
            topology_dir=as_path(env.get("NETOPS_TOPOLOGY") or raw.get("topology_dir"), "topology"),
            store_url=store,
            secrets_file=as_path(secrets, "") if secrets else None,
            lab_state=as_path(env.get("NETOPS_LAB_STATE") or raw.get("lab_state"), "/run/netops/lab/state.json"),
            policies=settings.policies or [],
            sweep=settings.sweep or SWEEP_DEFAULTS,
            audit=settings.audit or AuditSettings(),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise InputError.at(path or CONFIG_NAME, None, field, err["msg"]) from exc


def _dotted(loc: tuple[str | int, ...]) -> str:
    """('policies', 0, 'name') -> 'policies[0].name', as the inventory's errors name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _message(kind: str, loc: tuple[str | int, ...], msg: str) -> str:
    """pydantic's words, except for an unknown key in a section: which keys that section knows."""
    section = _SECTIONS.get(str(loc[0])) if loc else None
    if kind == "extra_forbidden" and section is not None:
        return f"unknown setting (known: {', '.join(sorted(section.model_fields))})"
    return msg
