"""`getters`: NAPALM getters on every device, their results kept in the run."""
from __future__ import annotations

from typing import ClassVar, Literal, get_args

from nornir.core.task import Task
from nornir_napalm.plugins.tasks import napalm_get
from pydantic import BaseModel, ConfigDict, Field

from netops.tasks.hosts import on_hosts
from netops.tasks.registry import HostOutcome, RunContext

GetterName = Literal["facts", "interfaces", "interfaces_ip", "lldp_neighbors", "lldp_neighbors_detail",
                     "interfaces_counters", "arp_table", "environment", "ntp_servers", "snmp_information", "users",
                     "config"]
GETTER_NAMES: tuple[str, ...] = get_args(GetterName)


class GettersOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    getters: list[GetterName] = Field(min_length=1)


class Getters:
    name: ClassVar[str] = "getters"
    scope: ClassVar[Literal["host", "fleet"]] = "host"
    changes_devices: ClassVar[bool] = False
    Options: ClassVar[type[BaseModel]] = GettersOptions

    def run(self, ctx: RunContext, options: BaseModel) -> dict[str, HostOutcome]:
        assert isinstance(options, GettersOptions)
        names = [g for g in options.getters if g != "config"]      # a config is read by `backup`, stripped

        def work(task: Task) -> HostOutcome:
            got = task.run(task=napalm_get, getters=names, severity_level=0).result
            return HostOutcome("ok", ", ".join(sorted(got)), got)
        return on_hosts(ctx, work)
