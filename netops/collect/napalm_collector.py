"""NAPALM collector: `napalm_get` through nornir_napalm, for any NAPALM driver.

Core drivers (ios, eos, junos, nxos), community ones (routeros, huawei_vrp) and the lab's
driver all answer the same four getters, which are already netops' interchange format.
Nornir's threaded runner talks to many devices at once; a device that fails is a
`DeviceFailure`, never an exception.
"""

from __future__ import annotations

from nornir.core import Nornir
from nornir.core.task import Result, Task
from nornir.plugins.runners import ThreadedRunner
from nornir_napalm.plugins.tasks import napalm_get

from netops.collect.base import CollectOptions, CollectResult, OnResult, observe_guarded, override_connection
from netops.collect.normalize import observation

GETTERS = ("facts", "interfaces", "interfaces_ip", "lldp_neighbors_detail")
CONNECTION = "napalm"
# inventory platform -> NAPALM driver name, where they differ (community drivers: napalm-ros,
# napalm-huawei-vrp); drivers that do not speak SSH keep their own default port.
DRIVER_FOR_PLATFORM = {"routeros": "ros", "huawei": "huawei_vrp", "vrp": "huawei_vrp", "iosxe": "ios"}
OWN_PORT = {"ros": 8728}  # the RouterOS API, not the inventory's SSH port


def _observe(task: Task, getters: tuple[str, ...], on_result: OnResult) -> Result:
    """Nornir task: run the getters on one host and hand the normalised observation back."""

    def work() -> CollectResult:
        got = task.run(task=napalm_get, getters=list(getters), severity_level=0)
        return observation(task.host.name, "napalm", got.result)

    return observe_guarded(task, "napalm", on_result, work)


def _ssh_timeouts(seconds: int) -> dict[str, int]:
    """For SSH-based drivers (netmiko underneath): give up on a silent device after `seconds`."""
    return {"conn_timeout": seconds, "banner_timeout": seconds, "auth_timeout": seconds}


def prepare_napalm(nr: Nornir, timeout: float) -> None:
    """Every host's NAPALM connection options: the driver for its platform, and patience of `timeout` s."""
    seconds = int(max(1, timeout))
    for host in nr.inventory.hosts.values():
        inherited = host.get_connection_parameters(CONNECTION)
        driver = DRIVER_FOR_PLATFORM.get(inherited.platform or "", inherited.platform)
        optional = (inherited.extras or {}).get("optional_args", {})
        override_connection(
            host,
            CONNECTION,
            platform=driver,
            extras={
                "timeout": seconds,
                "optional_args": {
                    **({"port": OWN_PORT[driver]} if driver in OWN_PORT else {}),
                    **optional,
                    **_ssh_timeouts(seconds),
                },
            },
        )


class NapalmCollector:
    name = "napalm"

    def __init__(self, getters: tuple[str, ...] = GETTERS):
        self.getters = getters

    def collect(self, nr: Nornir, options: CollectOptions, on_result: OnResult) -> dict[str, CollectResult]:
        prepare_napalm(nr, options.timeout)
        runner = nr.with_runner(ThreadedRunner(num_workers=max(1, min(options.concurrency, 100))))
        try:
            results = runner.run(task=_observe, getters=self.getters, on_result=on_result, on_failed=True)
        finally:
            nr.close_connections(on_failed=True)
        return {host: multi[0].result for host, multi in results.items()}
