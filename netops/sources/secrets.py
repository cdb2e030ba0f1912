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
per device under `hosts: {NAME: {...}}`. A secrets file inside the project tree is refused.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, model_validator

from netops.errors import ConfigError
from netops.sources.yamlfile import load_yaml


class SnmpSecrets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    community: SecretStr | None = None
    user: str | None = None
    auth_proto: str = "SHA"
    auth_key: SecretStr | None = None
    priv_proto: str = "AES"
    priv_key: SecretStr | None = None

    @model_validator(mode="after")
    def _v3_is_auth_priv(self) -> "SnmpSecrets":
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
        if resolved.exists():
            if resolved.stat().st_mode & 0o077:
                raise ConfigError(f"secrets file {secrets_file} is readable by others: chmod 600 it")
            raw = load_yaml(resolved).data or {}
    hosts_raw = raw.pop("hosts", {}) or {}
    env = _from_env()
    merged = {**raw, **{k: v for k, v in env.items() if k != "snmp"}}
    merged["snmp"] = {**(raw.get("snmp") or {}), **env.get("snmp", {})}
    try:
        fleet = Secrets.model_validate(merged)
        per_host = {name: Secrets.model_validate({**merged, **value, "snmp": {**merged["snmp"], **(value.get("snmp") or {})}})
                    for name, value in hosts_raw.items()}
    except ValueError as exc:
        raise ConfigError(f"secrets: {exc.errors()[0]['msg'] if hasattr(exc, 'errors') else exc}") from None
    return fleet, per_host
