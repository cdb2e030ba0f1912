"""Who may use the web portal and what they may see."""
from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class WebRole(str, Enum):
    pd = "pd"                  # a PD's clerk: only their own PD, may hand in diagrams and open tickets
    desk = "desk"              # Service Desk Tingkat 2: every PD, tickets
    engineer = "engineer"      # Dinas network engineer: everything
    auditor = "auditor"        # read-only, everything


class User(BaseModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,62}$")
    role: WebRole
    pd: str | None = None
    disabled: bool = False

    def may_see(self, pd: str) -> bool:
        return self.role != WebRole.pd or self.pd == pd

    def may_change(self, pd: str) -> bool:
        """Hand in a diagram or open a ticket for this PD."""
        return self.role in (WebRole.pd, WebRole.desk, WebRole.engineer) and self.may_see(pd)
