"""Credentials: from environment variables or a secrets file outside the repository.

Nothing secret is ever stored in inventory files, the store, logs or command output.
Environment variables (highest priority):
  NETOPS_USERNAME, NETOPS_PASSWORD                      SSH / NAPALM / netmiko login
  NETOPS_SNMP_COMMUNITY                                 SNMP v2c
  NETOPS_SNMP_USER, NETOPS_SNMP_AUTH_PROTO (SHA|SHA256|MD5), NETOPS_SNMP_AUTH_KEY,
  NETOPS_SNMP_PRIV_PROTO (AES|AES256|DES), NETOPS_SNMP_PRIV_KEY   SNMPv3 authPriv
  NETOPS_SECRETS_FILE                                   path of a YAML secrets file
The secrets file has the same keys in lower case without the prefix (username, password,
snmp: {community | user, auth_proto, auth_key, priv_proto, priv_key}), plus `store_password`
(the PostgreSQL store's, file only: the alternative is the whole URL in NETOPS_STORE), optionally
per device under `hosts: {NAME: {...}}`. A secrets file inside the project tree is refused, and
one that is named but missing is an error (silently polling without credentials hides the typo).
Protocols and key lengths are checked here, before any traffic: a sweep never starts with
settings SNMP would reject device by device.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator, model_validator

from netops.errors import ConfigError
from netops.sources.yamlfile import load_yaml

AUTH_PROTOS = ("MD5", "SHA", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512")
PRIV_PROTOS = ("DES", "3DES", "AES", "AES128", "AES192", "AES256")
MIN_KEY_LENGTH = 8   # RFC 3414: shorter keys are refused by every agent


class SnmpSecrets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    community: SecretStr | None = None
    user: str | None = None
    auth_proto: str = "SHA"
    auth_key: SecretStr | None = None
    priv_proto: str = "AES"
    priv_key: SecretStr | None = None

    @field_validator("auth_proto", "priv_proto")
    @classmethod
    def _known_protocol(cls, value: str, info: object) -> str:
        known = AUTH_PROTOS if getattr(info, "field_name", "") == "auth_proto" else PRIV_PROTOS
        if value.upper() not in known:
            raise ValueError(f"{value!r} is not one of {', '.join(known)}")
        return value.upper()

    @field_validator("auth_key", "priv_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_KEY_LENGTH:
            raise ValueError(f"SNMPv3 keys must be at least {MIN_KEY_LENGTH} characters (RFC 3414)")
        return value

    @model_validator(mode="after")
    def _v3_is_auth_priv(self) -> SnmpSecrets:
        if self.user and not (self.auth_key and self.priv_key):
            raise ValueError("SNMPv3 user needs both auth_key and priv_key (authPriv only)")
        return self

    @property
    def version(self) -> str:
        return "v3" if self.user else "v2c"


class Secrets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str | None = None
    password: SecretStr | None = None
    store_password: SecretStr | None = None  # PostgreSQL store: added to a password-less store URL
    snmp: SnmpSecrets = SnmpSecrets()


def _from_env() -> dict[str, Any]:
    env = os.environ
    out: dict[str, Any] = {}
    if "NETOPS_USERNAME" in env:
        out["username"] = env["NETOPS_USERNAME"]
    if "NETOPS_PASSWORD" in env:
        out["password"] = env["NETOPS_PASSWORD"]
    snmp = {key: env[f"NETOPS_SNMP_{key.upper()}"] for key in SnmpSecrets.model_fields
            if f"NETOPS_SNMP_{key.upper()}" in env}
    if snmp:
        out["snmp"] = snmp
    return out


def load_secrets(secrets_file: Path | None, project_root: Path) -> tuple[Secrets, dict[str, Secrets]]:
    """Fleet-wide secrets and per-host overrides; environment wins over the file."""
    raw: dict[str, Any] = {}
    if secrets_file is not None:
        resolved = secrets_file.resolve()
        if resolved.is_relative_to(project_root.resolve()):
            raise ConfigError(f"secrets file {secrets_file} is inside the project tree: keep it outside the repo")
        if not resolved.is_file():
            raise ConfigError(f"secrets file {secrets_file} (NETOPS_SECRETS_FILE or secrets_file: in netops.yaml) "
                              f"{'is not a file' if resolved.exists() else 'does not exist'}")
        if resolved.stat().st_mode & 0o077:
            raise ConfigError(f"secrets file {secrets_file} is readable by others: chmod 600 it")
        raw = load_yaml(resolved).data or {}
        if not isinstance(raw, dict):
            raise ConfigError(f"secrets file {secrets_file}: expected a mapping (username, password, snmp, hosts)")
    hosts_raw = raw.pop("hosts", None) or {}
    if not isinstance(hosts_raw, dict):
        raise ConfigError(f"secrets file {secrets_file}: hosts: must map device names to settings")
    env = _from_env()
    merged = {**raw, **{k: v for k, v in env.items() if k != "snmp"}}
    merged["snmp"] = {**_mapping(raw.get("snmp"), "snmp"), **env.get("snmp", {})}
    fleet = _validated(merged, "secrets")
    per_host = {}
    for name, value in hosts_raw.items():
        value = _mapping(value, f"hosts.{name}")
        snmp = {**merged["snmp"], **_mapping(value.get("snmp"), f"hosts.{name}.snmp")}
        per_host[str(name)] = _validated({**merged, **value, "snmp": snmp}, f"secrets hosts.{name}")
    return fleet, per_host


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"secrets {where}: expected a mapping of settings, got {type(value).__name__}")
    return value


def _validated(raw: dict[str, Any], where: str) -> Secrets:
    """The settings, or a ConfigError naming the field (the environment variable's name for env values)."""
    try:
        return Secrets.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        field = ".".join(loc) or "(settings)"
        env_name = "NETOPS_" + "_".join(loc).upper()
        hint = f" (from {env_name})" if env_name in os.environ else ""
        message = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{where}: {field}{hint}: {message}") from None
