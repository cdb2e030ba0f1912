"""Config discovery, environment overrides, and secrets that never come from the repo."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from netops.config import load_config
from netops.errors import ConfigError, InputError
from netops.sources.secrets import load_secrets
from tests.inventory_helpers import make_project


def test_environment_overrides_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p")
    monkeypatch.setenv("NETOPS_STORE", "sqlite:////tmp/elsewhere.sqlite")
    monkeypatch.setenv("NETOPS_INVENTORY", str(tmp_path / "other-inventory"))
    cfg = load_config(project / "netops.yaml")
    assert cfg.store_url == "sqlite:////tmp/elsewhere.sqlite"
    assert cfg.inventory_dir == tmp_path / "other-inventory"
    assert cfg.topology_dir == project.resolve() / "topology"


def test_relative_sqlite_url_is_relative_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETOPS_STORE")
    project = make_project(tmp_path)
    (project / "netops.yaml").write_text("store: sqlite:///var/x.sqlite\n")
    assert load_config(project / "netops.yaml").store_url == f"sqlite:///{project.resolve()}/var/x.sqlite"


def test_unknown_config_key_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "netops.yaml").write_text("inventory_dir: inventory\nstorre: sqlite:///x\n")
    with pytest.raises(InputError, match="storre"):
        load_config(tmp_path / "netops.yaml")


def test_secrets_from_env_with_v3_auth_priv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in {"NETOPS_SNMP_USER": "netops", "NETOPS_SNMP_AUTH_KEY": "authkey123",
                       "NETOPS_SNMP_PRIV_KEY": "privkey123", "NETOPS_SNMP_PRIV_PROTO": "AES256"}.items():
        monkeypatch.setenv(key, value)
    fleet, _ = load_secrets(None, tmp_path)
    assert fleet.snmp.version == "v3" and fleet.snmp.priv_proto == "AES256"
    assert "privkey123" not in repr(fleet) and "privkey123" not in str(fleet.model_dump())


def test_v3_without_priv_key_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETOPS_SNMP_USER", "netops")
    monkeypatch.setenv("NETOPS_SNMP_AUTH_KEY", "authkey123")
    with pytest.raises(ConfigError, match="authPriv"):
        load_secrets(None, tmp_path)


def test_secrets_file_inside_the_project_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "secrets.yaml"
    inside.write_text("password: x\n")
    with pytest.raises(ConfigError, match="inside the project"):
        load_secrets(inside, tmp_path)


def test_secrets_file_outside_with_per_host_override(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "etc" / "secrets.yaml"
    project.mkdir()
    outside.parent.mkdir()
    outside.write_text("username: noc\npassword: fleetpw\nsnmp: {community: c0mm}\n"
                       "hosts:\n  core-01: {password: corepw}\n")
    os.chmod(outside, 0o600)
    fleet, per_host = load_secrets(outside, project)
    assert fleet.password and fleet.password.get_secret_value() == "fleetpw"
    core = per_host["core-01"]
    assert core.username == "noc" and core.password and core.password.get_secret_value() == "corepw"
    assert core.snmp.community and core.snmp.community.get_secret_value() == "c0mm"
    os.chmod(outside, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_secrets(outside, project)
