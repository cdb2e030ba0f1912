"""Secrets out of configs: planted secrets of every vendor family, real configs from N2G's samples."""
from __future__ import annotations

from pathlib import Path

import pytest

from netops.configs.strip import REMOVED, strip_config
from tests.conftest import SHARED_DATA

PLANTED = Path(__file__).parent / "planted"
PLATFORM = {"ios": "ios", "nxos": "nxos", "eos": "eos", "junos": "junos", "junos_set": "junos", "routeros": "routeros",
            "vrp": "huawei_vrp", "frr": "netops_lab"}
VOLATILE = ("Last configuration change", "NVRAM config", "!Time:", "ntp clock-period", "Current configuration",
            "Building configuration", "## Last changed", "by RouterOS", "Last configuration was updated",
            "Running configuration last done")


@pytest.mark.parametrize("name", sorted(PLATFORM))
def test_every_planted_secret_is_removed(name: str):
    text = next(PLANTED.glob(f"{name}.*")).read_text()
    planted = text.count("PLANTED")
    assert planted >= 3
    out = strip_config(text, PLATFORM[name])
    assert "PLANTED" not in out.text, [line for line in out.text.splitlines() if "PLANTED" in line]
    assert not any(word in out.text for word in VOLATILE)
    assert REMOVED in out.text and sum(out.removed.values()) >= planted - 1    # a key pair may share a line


@pytest.mark.parametrize("name", sorted(PLATFORM))
def test_config_stays_readable_and_stripping_is_idempotent(name: str):
    text = next(PLANTED.glob(f"{name}.*")).read_text()
    once = strip_config(text, PLATFORM[name])
    twice = strip_config(once.text, PLATFORM[name])
    assert twice.text == once.text and not twice.removed
    kept = [line for line in text.splitlines()
            if "PLANTED" not in line and "PRIVATE KEY" not in line and not any(v in line for v in VOLATILE)]
    assert all(line.rstrip() in once.text for line in kept if line.strip())     # nothing else is lost


def test_unknown_platform_gets_every_secret_rule():
    out = strip_config("snmp-server community PLANTED-X RO\nset snmp community PLANTED-Y\nsecret=PLANTED-Z\n", "acme")
    assert "PLANTED" not in out.text


def _show_runs() -> list:
    root = SHARED_DATA / "lab_topologies" / "n2g" / "input"
    return sorted(root.rglob("*.txt")) if root.is_dir() else []


@pytest.mark.parametrize("path", _show_runs(), ids=lambda p: p.stem)
def test_real_configs_lose_nothing_but_secrets(shared_data, path: Path):
    """N2G's recorded `show run` sections: nothing there is a secret, so nothing may change but blank ends."""
    text = path.read_text()
    if "show run" not in text:
        pytest.skip(f"{path.name} holds no show run")
    config = text.split("show run", 1)[1]
    out = strip_config(config, "nxos" if "nxos" in str(path) else "ios")
    assert not out.removed
    assert [line.rstrip() for line in config.splitlines() if line.strip()] == \
        [line for line in out.text.splitlines() if line.strip()]
