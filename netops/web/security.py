"""Sessions, CSRF and login throttling for the portal.

Sessions are Starlette's signed cookies (itsdangerous) marked HttpOnly and SameSite=Lax; the signing key
comes from NETOPS_WEB_SECRET (or is random per process: sessions then end with a restart). Every form
carries the session's CSRF token and every POST checks it. Failed logins are counted per user name and
client address: after 5 within 5 minutes further attempts are refused until the window passes.
"""
from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque

from fastapi import HTTPException, Request

MAX_FAILURES, WINDOW_S = 5, 300


def session_secret() -> str:
    return os.environ.get("NETOPS_WEB_SECRET") or secrets.token_urlsafe(32)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong: reload the page and try again")


class Throttle:
    """Failed logins per (user, address) in a sliding window; memory is bounded by the window."""

    def __init__(self) -> None:
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > WINDOW_S:
            q.popleft()
        return q

    def blocked(self, user: str, address: str) -> bool:
        with self._lock:
            return len(self._recent((user, address), time.monotonic())) >= MAX_FAILURES

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((user, address), now).append(now)
            if len(self._failures) > 10_000:            # forget the oldest keys first
                for key in list(self._failures)[:1000]:
                    del self._failures[key]

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop((user, address), None)
