"""One small error hierarchy: third-party errors are translated into these at the boundary.

Every error a user can cause carries where it happened (file, line, field) or which
device it concerns, so the CLI can print one actionable line instead of a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netops.text import visible


class NetopsError(Exception):
    """Base of every error netops raises on purpose."""


@dataclass(frozen=True)
class Issue:
    """A problem found in an input file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        text = f"{where}: {self.field}: {self.message}" if where else f"{self.field}: {self.message}"
        return visible(text)   # one line, whatever the names hold

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class InputError(NetopsError):
    """Bad input: one or more issues, each naming file, line and field."""

    def __init__(self, issues: list[Issue] | Issue):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    @classmethod
    def at(cls, file: str | Path, line: int | None, field: str, message: str) -> InputError:
        return cls(Issue(str(file), line, field, message))

    @classmethod
    def of_field(cls, field: str, message: str) -> InputError:
        """A bad value in a request (no file): named by the request's field, never by a CLI option, so the
        same error reads right from the command line, the web portal or a playbook."""
        return cls(Issue("", None, field, message))


class ConfigError(NetopsError):
    """The project configuration or an environment override is unusable."""


class StoreError(NetopsError):
    """The store could not be opened, migrated or written (nothing was half-written)."""


class NotFoundError(NetopsError):
    """A named object (device, PD, snapshot, VPS...) does not exist."""
