"""Who may log in to the web portal: add, reset, disable, list. Passwords are generated here, shown once
by the interface, and stored only as a hash."""
from __future__ import annotations

from pydantic import BaseModel

from netops.app.session import Session
from netops.errors import InputError
from netops.models.user import User, WebRole
from netops.store import users as store_users


class Password(BaseModel):
    """A freshly generated password, for the one time it is shown."""

    username: str
    password: str


class NewUser(User):
    password: str


def add_user(session: Session, username: str, role: WebRole, pd: str | None = None) -> NewUser:
    code = pd.upper() if pd else None
    if code and code not in session.inventory.pds:
        raise InputError.at("--pd", None, "pd", f"unknown PD {pd}")
    password = store_users.new_password()
    user = store_users.add_user(session.store, username, role, code, password)
    return NewUser(**user.model_dump(), password=password)


def reset_password(session: Session, username: str) -> Password:
    password = store_users.new_password()
    store_users.reset_password(session.store, username, password)
    return Password(username=username, password=password)


def set_disabled(session: Session, username: str, disabled: bool) -> User:
    return store_users.set_disabled(session.store, username, disabled)


def list_users(session: Session) -> list[User]:
    return store_users.list_users(session.store)
