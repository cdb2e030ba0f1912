"""The collector contract (tests/collector_contract.py) for SNMP: every LibreNMS recording served by
snmpsim, polled by the client and normalised as the SNMP collector does, has NAPALM's getter shapes."""
from __future__ import annotations

import pytest

from netops.collect.normalize import canonicalise
from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.normalize import to_observation
from netops.collect.snmp.poll import DeviceSnmpData, run_poll
from tests.collect.snmp.test_snmp_recordings import DEVICES
from tests.collector_contract import getters_seen, shape_problems


@pytest.mark.parametrize("device", DEVICES)
def test_snmp_getters_have_napalm_shapes(snmpsim_agent: int, device: str) -> None:
    target = SnmpTarget(name=device, host="127.0.0.1", port=snmpsim_agent, credentials=SnmpCredentials.v2c(device))
    polled = run_poll([target], "full", timeout=10.0, retries=1)[device]
    assert isinstance(polled, DeviceSnmpData), polled
    got = canonicalise(to_observation(polled))
    assert {"facts", "interfaces"} <= getters_seen(got)
    assert shape_problems(got) == []
