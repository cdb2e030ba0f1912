"""Every section of netops.yaml is a model: unknown keys and bad values are one error with file:line:field,
and the sweep's defaults are declared once (SweepSettings), read by the collectors and the CLI."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from netops.cli.sweep import command as sweep_command
from netops.collect.base import CollectOptions
from netops.collect.sweep import SweepRequest
from netops.config import load_config
from netops.errors import InputError
from netops.models.settings import SWEEP_DEFAULTS, SweepSettings


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "netops.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("text", "where", "words"), [
    ("inventory_dir: inventory\nsweep: {timout: 5}\n", "netops.yaml:2: sweep.timout", "unknown setting (known: "),
    ("sweep:\n  timeout: 5\n  retires: 2\n", "netops.yaml:3: sweep.retires", "unknown setting"),
    ("sweep:\n  via: [snmp, telnet]\n", "netops.yaml:2: sweep.via[1]", "'snmp', 'napalm' or 'cli'"),
    ("sweep:\n  timeout: 0\n", "netops.yaml:2: sweep.timeout", "greater than or equal to 0.1"),
    ("sweep:\n  lab_snmp: v1\n", "netops.yaml:2: sweep.lab_snmp", "'v2c' or 'v3'"),
    ("policies:\n  - name: p\n    pd_kind: [rsud]\n", "netops.yaml:3: policies[0].pd_kind", "unknown setting"),
    ("audit:\n  fibre_cost_idr_per_m: -1\n", "netops.yaml:2: audit.fibre_cost_idr_per_m", "greater than 0"),
    ("diagrams_dir: topology/diagrams\n", "netops.yaml:1: diagrams_dir", "unknown setting"),
    ("sweep:\n  pollers:\n    poller-north: [3]\n", "netops.yaml:3: sweep.pollers.poller-north[0]", "valid string"),
    ("sweep:\n  pollers: [poller-north]\n", "netops.yaml:2: sweep.pollers", "valid dictionary"),
])
def test_a_bad_section_key_names_its_line(tmp_path: Path, text: str, where: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        load_config(_config(tmp_path, text))
    message = str(caught.value)
    assert message.startswith(str(tmp_path / where)) or where in message, message
    assert words in message
    assert "\n" not in message


def test_sweep_settings_are_read_typed(tmp_path: Path) -> None:
    cfg = load_config(_config(tmp_path, "sweep:\n  via: snmp,cli,snmp\n  timeout: 5\n  snmp_port: 1161\n"))
    assert cfg.sweep == SweepSettings(via=("snmp", "cli"), timeout=5.0, snmp_port=1161)
    assert load_config(_config(tmp_path, "store: sqlite:///x.sqlite\n")).sweep == SWEEP_DEFAULTS
    pollers = load_config(_config(tmp_path, "sweep:\n  pollers:\n    north: [a, b]\n    south: c\n")).sweep.pollers
    assert pollers == {"north": ("a", "b"), "south": ("c",)}           # one site needs no list


def test_collect_options_default_to_the_settings_and_take_overrides() -> None:
    assert CollectOptions() == CollectOptions.from_settings(SWEEP_DEFAULTS)
    custom = SweepSettings(timeout=7, retries=3, concurrency=9)
    assert CollectOptions.from_settings(custom) == CollectOptions(timeout=7, retries=3, concurrency=9)
    assert CollectOptions.from_settings(custom, retries=0).retries == 0
    assert SweepRequest().via == SWEEP_DEFAULTS.via


def test_sweep_help_shows_the_model_defaults() -> None:
    """The CLI's `[default: X]` texts are checked against SweepSettings, the one declaration."""
    shown = {}
    for param in sweep_command.params:
        if isinstance(param, click.Option) and param.help and (m := re.search(r"\[default: ([^\]]+)\]", param.help)):
            shown[param.name] = m.group(1)
    assert set(shown) == {"via", "timeout", "retries", "concurrency"}
    for name, text in shown.items():
        default = getattr(SWEEP_DEFAULTS, name)
        expected = ",".join(default) if isinstance(default, tuple) else f"{default:g}"
        assert text == expected, (name, text, default)
