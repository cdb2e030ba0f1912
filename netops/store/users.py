"""Web users in the store; passwords hashed with argon2 (argon2-cffi), never stored or printed in clear."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import column, insert, select, table, update

from netops.errors import InputError, NotFoundError
from netops.models.user import User, WebRole
from netops.store.audit import record
from netops.store.db import Store

_users = table("users", column("id"), column("username"), column("role"), column("pd"), column("password_hash"),
               column("disabled"), column("created_at"))
_hasher = PasswordHasher()
# verifying against this keeps a login for an unknown user as slow as for a known one
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


def new_password() -> str:
    return secrets.token_urlsafe(12)


def add_user(store: Store, username: str, role: WebRole, pd: str | None, password: str) -> User:
    user = User(username=username, role=role, pd=pd)
    if (role == WebRole.pd) != (pd is not None):
        raise InputError.of_field("pd", "a PD user needs its PD; other roles have none")
    with store.transaction() as conn:
        if conn.execute(select(_users.c.id).where(_users.c.username == username)).first():
            raise InputError.at("username", None, "username", f"user {username} exists")
        conn.execute(insert(_users).values(username=username, role=role.value, pd=pd, disabled=0,
                                           password_hash=_hasher.hash(password),
                                           created_at=dt.datetime.now(dt.UTC).isoformat()))
        record(conn, "user.add", f"user:{username}", {"role": role.value, "pd": pd})
    return user


def _row(row: Mapping[str, Any]) -> User:
    return User(username=row["username"], role=WebRole(row["role"]), pd=row["pd"], disabled=bool(row["disabled"]))


def get_user(store: Store, username: str) -> User:
    with store.transaction() as conn:
        row = conn.execute(select(_users).where(_users.c.username == username)).mappings().first()
    if row is None:
        raise NotFoundError(f"no user {username}")
    return _row(dict(row))


def list_users(store: Store) -> list[User]:
    with store.transaction() as conn:
        return [_row(dict(r)) for r in conn.execute(select(_users).order_by(_users.c.username)).mappings()]


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user when the password is right and the account enabled; None otherwise (same time either way)."""
    with store.transaction() as conn:
        row = conn.execute(select(_users).where(_users.c.username == username)).mappings().first()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    return _row(dict(row))


def set_disabled(store: Store, username: str, disabled: bool) -> User:
    with store.transaction() as conn:
        if not conn.execute(update(_users).where(_users.c.username == username).values(disabled=int(disabled))).rowcount:
            raise NotFoundError(f"no user {username}")
        record(conn, "user.disable" if disabled else "user.enable", f"user:{username}")
    return get_user(store, username)


def reset_password(store: Store, username: str, password: str) -> None:
    with store.transaction() as conn:
        if not conn.execute(update(_users).where(_users.c.username == username)
                            .values(password_hash=_hasher.hash(password))).rowcount:
            raise NotFoundError(f"no user {username}")
        record(conn, "user.reset", f"user:{username}")
