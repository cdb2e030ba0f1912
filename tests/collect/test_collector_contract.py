"""The collector contract, as NAPALM's BaseTestGetters: every collector and importer, on its recorded
fixtures (../shared/data, skipped with a reason when absent), returns observations whose getters have
NAPALM's shapes (tests/collector_contract.py). SNMP runs the same checker in tests/collect/snmp."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netops.collect.importers.registry import SPECS
from netops.collect.normalize import observation
from netops.models.observation import DeviceObservation
from tests.collect.test_cli_recorded import parse_recording
from tests.collect.test_cli_recorded import recordings as cli_recordings
from tests.collect.test_import_contract import SAMPLES, _text_of
from tests.collect.test_napalm_recorded import cases as napalm_cases
from tests.collect.test_napalm_recorded import collect_recorded
from tests.collector_contract import getters_seen, shape_problems


def _napalm(case: Any) -> DeviceObservation:
    vendor, getter, folder = case
    return collect_recorded(vendor, getter, folder)


def _imported(spec: Any) -> DeviceObservation:
    """One saved-output parser on its sample, canonicalised as the importer does."""
    key = (spec.platform, spec.command, spec.fmt)
    return observation("dev", "import", {spec.getter: spec.parse(_text_of(key, SAMPLES[key]))})


def contract_cases() -> list[Any]:
    out = [pytest.param("napalm", p.values, id=f"napalm-{p.id}") for p in napalm_cases()]
    out += [pytest.param("cli", p.values[0], id=f"cli-{p.id}") for p in cli_recordings()]
    out += [pytest.param("import", spec, id=f"import-{spec.platform}-{spec.command}-{spec.fmt}".replace(" ", "_"))
            for spec in SPECS]
    return out


@pytest.mark.parametrize(("collector", "case"), contract_cases())
def test_getters_have_napalm_shapes(shared_data: Path, collector: str, case: Any) -> None:
    expected_something = True
    if collector == "cli":            # the CLI collector's parse of a recorded `show ... neighbors`
        parsed, expected = parse_recording(case)
        got, expected_something = observation("dev", "cli", {"lldp_neighbors_detail": parsed}), bool(expected)
    else:
        got = _napalm(case) if collector == "napalm" else _imported(case)
    assert getters_seen(got) or not expected_something, "the fixture must give at least one getter"
    assert shape_problems(got) == []


def test_the_checker_sees_a_broken_shape() -> None:
    broken = DeviceObservation(host="d", via="test", interfaces={"eth0": {"is_up": "yes"}},
                               lldp_neighbors_detail={"eth0": [{"remote_port": 7, "colour": "red"}]})
    problems = shape_problems(broken)
    assert "interfaces[eth0].is_up: 'yes' is not <class 'bool'>" in problems
    assert "interfaces[eth0]: missing mtu" in problems
    assert "lldp_neighbors_detail[eth0][0]: unknown key colour" in problems
    assert any(p.startswith("lldp_neighbors_detail[eth0][0].remote_port: 7") for p in problems)
