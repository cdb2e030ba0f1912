"""The lab state file: what a lab is made of, so `down`, `status` and faults work from any process.

It is written before anything is created (phase "building") and rewritten as daemons
start, so a crashed `up` leaves enough behind for `down` to clean everything. It holds
the lab's generated secrets: mode 0600, outside the repository, never printed.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from netops.errors import ConfigError
from netops.lab.plan import LabPlan
from netops.sources.secrets import Secrets, SnmpSecrets

LAB_USER = "netopslab"
SNMP_USER = "netopslab"


class LabSecrets(BaseModel):
    """Generated at `lab up`; valid only inside this lab."""

    model_config = ConfigDict(extra="forbid")
    password: str
    community: str
    auth_key: str
    priv_key: str

    @classmethod
    def generate(cls) -> LabSecrets:
        return cls(password=secrets.token_urlsafe(18), community=secrets.token_hex(12),
                   auth_key=secrets.token_urlsafe(18), priv_key=secrets.token_urlsafe(18))

    def as_secrets(self) -> Secrets:
        """The netops credentials shape: SSH login plus SNMP v2c community and v3 authPriv user."""
        return Secrets(username=LAB_USER, password=SecretStr(self.password),
                       snmp=SnmpSecrets(community=SecretStr(self.community), user=SNMP_USER,
                                        auth_proto="SHA", auth_key=SecretStr(self.auth_key),
                                        priv_proto="AES", priv_key=SecretStr(self.priv_key)))


class Fault(BaseModel):
    """One injected fault, with when it was made (tests and benchmarks measure detection delay from it)."""

    model_config = ConfigDict(extra="forbid")
    kind: str  # cut | cut-duct | kill (power-off) | hang | ospf-down | silent | degrade | flap
    target: str
    at: str = ""  # ISO 8601 UTC
    at_monotonic: float = 0.0  # time.monotonic() of the injecting process (same boot: comparable)
    detail: dict[str, float | int | str] = Field(default_factory=dict)
    pid: int | None = None  # a helper process the fault runs (flap), ended by restore and by `lab down`

    def same(self, other: Fault) -> bool:
        return (self.kind, self.target) == (other.kind, other.target)


class LabState(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phase: str = "building"  # building | up
    run_dir: str
    lab_uid: int
    plan: LabPlan
    secrets: LabSecrets
    pids: dict[str, dict[str, int]] = Field(default_factory=dict)  # device -> daemon -> pid
    faults: list[Fault] = Field(default_factory=list)
    started_at: str = ""
    bringup_seconds: float | None = None

    @property
    def run_path(self) -> Path:
        return Path(self.run_dir)

    def device_dir(self, hostname: str) -> Path:
        return self.run_path / hostname


def save_state(path: Path, state: LabState) -> None:
    """Atomic write, 0600 from the first byte (the file holds the lab's secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(state.model_dump_json(indent=1))
    os.replace(tmp, path)


def load_state(path: Path) -> LabState | None:
    """The lab described by `path`, or None when no lab was started with it."""
    try:
        raw = path.read_text()
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise ConfigError(f"lab state {path} exists but is not readable: run as root (the lab needs it)") from exc
    try:
        return LabState.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise ConfigError(f"lab state {path} is damaged ({exc.__class__.__name__}); "
                          f"remove what it made with `netops lab down --force`") from exc


def remove_state(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".tmp").unlink(missing_ok=True)
