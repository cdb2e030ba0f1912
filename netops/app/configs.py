"""Backed-up device configurations (the `backup` playbook task's git repository): history and diffs."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from netops.app.session import Session
from netops.configs.gitstore import diff, history

DEFAULT_REPOSITORY = "var/configs"   # under the project root, where the backup task writes


class ConfigRevision(BaseModel):
    commit: str
    at: str
    message: str


class ConfigDiff(BaseModel):
    host: str
    diff: str


def repository_path(session: Session, repository: str | None) -> Path:
    path = Path(repository or DEFAULT_REPOSITORY)
    return path if path.is_absolute() else session.config.root / path


def config_history(session: Session, host: str, repository: str | None = None) -> list[ConfigRevision]:
    """The backups in which HOST's config changed, newest first."""
    return [ConfigRevision(commit=r.commit, at=r.at, message=r.message)
            for r in history(repository_path(session, repository), host)]


def config_diff(session: Session, host: str, rev_a: str | None = None, rev_b: str | None = None,
                repository: str | None = None) -> ConfigDiff:
    """HOST's config between two backups (default: its last two changes)."""
    return ConfigDiff(host=host, diff=diff(repository_path(session, repository), host, rev_a, rev_b))
