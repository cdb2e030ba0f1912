"""VPS names: `vps-<pd>-<purpose>-NN`, a valid hostname label that says whose and what for.

Names are never reused (a decommissioned VPS keeps its name in the register), so the
number is one more than the highest ever given to that PD and purpose.
"""
from __future__ import annotations

import hashlib
import re

from netops.errors import InputError

MAX_LABEL = 63
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def purpose_slug(purpose: str, max_len: int = 24) -> str:
    slug = _NOT_ALNUM.sub("-", purpose.lower()).strip("-")[:max_len].strip("-")
    if not slug:
        raise InputError.of_field("purpose", f"{purpose!r} has no letters or digits to name the VPS by")
    return slug


def name_prefix(pd: str, slug: str) -> str:
    return f"vps-{pd.lower()}-{slug}-"


def vps_name(pd: str, slug: str, seq: int) -> str:
    name = f"{name_prefix(pd, slug)}{seq:02d}"
    if len(name) > MAX_LABEL:
        raise InputError.of_field("purpose", f"name {name} is longer than {MAX_LABEL} characters")
    return name


def next_seq(existing_names: list[str], pd: str, slug: str) -> int:
    prefix = name_prefix(pd, slug)
    numbers = [int(n[len(prefix):]) for n in existing_names if n.startswith(prefix) and n[len(prefix):].isdigit()]
    return max(numbers, default=0) + 1


def mac_for(vps_id: int) -> str:
    """A locally administered MAC in QEMU's 52:54:00 range, unique by register id (16M VPS)."""
    if not 0 < vps_id < 2**24:
        raise ValueError(f"register id {vps_id} does not fit in a MAC")
    tail = vps_id.to_bytes(3, "big")
    return "52:54:00:" + ":".join(f"{b:02x}" for b in tail)


def request_key(pd: str, slug: str, vcpu: int, memory_mib: int, disk_gib: int, os_template: str,
                replica: int, request_id: str | None) -> str:
    """Idempotency key: an explicit request id, else the request itself (same ask, same VPS)."""
    if request_id:
        return f"id:{request_id}"
    raw = f"{pd}|{slug}|{vcpu}|{memory_mib}|{disk_gib}|{os_template}|{replica}"
    return "req:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
