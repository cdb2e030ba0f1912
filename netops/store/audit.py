"""Who did what: every change netops makes in the store is recorded with its actor."""
from __future__ import annotations

import getpass
import json
import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text


def current_actor() -> str:
    """NETOPS_ACTOR (set by a web front end or a wrapper), else the login name."""
    return os.environ.get("NETOPS_ACTOR") or getpass.getuser()


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(conn: Connection, action: str, subject: str, detail: dict[str, Any] | None = None) -> None:
    conn.execute(text("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (:at, :actor, :action, :subject, :detail)"),
                 {"at": utcnow(), "actor": current_actor(), "action": action, "subject": subject,
                  "detail": json.dumps(detail or {}, sort_keys=True, default=str)})
