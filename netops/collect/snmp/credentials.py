"""SNMP credentials and targets. Secrets are SecretStr so repr, logs and JSON never show them."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

AuthProto = Literal["md5", "sha", "sha1", "sha224", "sha256", "sha384", "sha512"]
PrivProto = Literal["des", "3des", "aes", "aes128", "aes192", "aes256"]


class SnmpCredentials(BaseModel):
    """v1/v2c community, or a v3 USM user (noAuthNoPriv, authNoPriv or authPriv)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: Literal["1", "2c", "3"] = "2c"
    community: SecretStr | None = None
    user: str | None = None
    auth_protocol: AuthProto | None = None
    auth_key: SecretStr | None = None
    priv_protocol: PrivProto | None = None
    priv_key: SecretStr | None = None
    context: str = ""

    @model_validator(mode="after")
    def _check(self) -> SnmpCredentials:
        if self.version in ("1", "2c"):
            if self.community is None:
                raise ValueError(f"SNMPv{self.version} needs a community")
            return self
        if not self.user:
            raise ValueError("SNMPv3 needs a user")
        if (self.auth_protocol is None) != (self.auth_key is None):
            raise ValueError("SNMPv3 auth_protocol and auth_key go together")
        if (self.priv_protocol is None) != (self.priv_key is None):
            raise ValueError("SNMPv3 priv_protocol and priv_key go together")
        if self.priv_key is not None and self.auth_key is None:
            raise ValueError("SNMPv3 privacy needs authentication")
        for key in (self.auth_key, self.priv_key):
            if key is not None and len(key.get_secret_value()) < 8:
                raise ValueError("SNMPv3 keys must be at least 8 characters (RFC 3414)")
        return self

    @classmethod
    def v2c(cls, community: str) -> SnmpCredentials:
        return cls(version="2c", community=SecretStr(community))

    @classmethod
    def v3(cls, user: str, *, auth_protocol: AuthProto | None = None, auth_key: str | None = None,
           priv_protocol: PrivProto | None = None, priv_key: str | None = None,
           context: str = "") -> SnmpCredentials:
        return cls(version="3", user=user, auth_protocol=auth_protocol,
                   auth_key=SecretStr(auth_key) if auth_key is not None else None,
                   priv_protocol=priv_protocol,
                   priv_key=SecretStr(priv_key) if priv_key is not None else None, context=context)


class SnmpTarget(BaseModel):
    """One device to poll: inventory name, address, UDP port and credentials."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    host: str
    port: int = Field(default=161, ge=1, le=65535)
    credentials: SnmpCredentials
