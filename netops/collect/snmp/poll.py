"""Poll many devices concurrently in one asyncio loop, bounded by a semaphore.

Why: a sweep of ~1,000 devices must not need a thread per device, and a dead device must
cost one timeout window in parallel with the others, never a serial wait.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from netops.collect.snmp import oids as O
from netops.collect.snmp.ber import Exc, Oid, Value, VarBind
from netops.collect.snmp.client import SnmpClient
from netops.collect.snmp.credentials import SnmpTarget
from netops.collect.snmp.errors import SnmpError
from netops.collect.snmp.identity import VENDOR_SCALARS
from netops.collect.snmp.session import Session
from netops.models.observation import DeviceFailure, FailureReason

# table name -> subtrees walked into it (whole entry, or only the columns we use)
WALKS: dict[str, tuple[Oid, ...]] = {
    "if": (O.IF_ENTRY,),
    "ifx": (O.IFX_ENTRY,),
    "ip_addr": (O.IP_ADDR_ENTRY + (O.IP_AD_IF_INDEX,), O.IP_ADDR_ENTRY + (O.IP_AD_NETMASK,)),
    "ip_address": (O.IP_ADDRESS_ENTRY + (O.IP_ADDRESS_IF_INDEX,),
                   O.IP_ADDRESS_ENTRY + (O.IP_ADDRESS_PREFIX,)),
    "lldp_loc": (O.LLDP_LOC_PORT_ENTRY,),
    "lldp_rem": (O.LLDP_REM_ENTRY,),
    "lldp_man": (O.LLDP_REM_MAN_ADDR_ENTRY + (O.LLDP_REM_MAN_ADDR_IF_SUBTYPE,),),
    "entity_class": (O.ENT_PHYSICAL_ENTRY + (O.ENT_CLASS,),),
    "routes": (O.IP_CIDR_ROUTE_ENTRY + (O.IP_CIDR_ROUTE_IF_INDEX,), O.IP_CIDR_ROUTE_ENTRY + (O.IP_CIDR_ROUTE_TYPE,)),
    "cdp": (O.CDP_CACHE_ENTRY,),
    "mtxr_neighbor": (O.MTXR_NEIGHBOR_IF_ID,),
}
# vendor-specific tables: only walked when sysObjectID says the enterprise matches
_ONLY_FOR = {"cdp": O.ENTERPRISE_CISCO, "mtxr_neighbor": O.ENTERPRISE_MIKROTIK}
WORKLOADS: dict[str, tuple[str, ...]] = {
    "system": (),
    "links": ("if", "lldp_rem"),
    "full": ("if", "ifx", "ip_addr", "ip_address", "lldp_loc", "lldp_rem", "lldp_man",
             "entity_class", "cdp", "mtxr_neighbor", "routes"),
}
_MAX_CHASSIS = 4


@dataclass
class DeviceSnmpData:
    """Raw varbinds of one device; `errors` names tables whose walk broke (data kept partial)."""

    name: str
    host: str
    system: dict[Oid, Value]
    tables: dict[str, list[VarBind]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    vendor_identity: dict[str, object] = field(default_factory=dict)   # model/serial/version from the vendor MIB
    elapsed: float = 0.0

    @property
    def varbinds(self) -> int:
        return len(self.system) + sum(len(v) for v in self.tables.values())

    def enterprise(self) -> int | None:
        value = self.system.get(O.SYS_OBJECT_ID)
        n = len(O.ENTERPRISES)
        if isinstance(value, tuple) and len(value) > n and value[:n] == O.ENTERPRISES:
            return value[n]
        return None


async def _walk_into(session: Session, data: DeviceSnmpData, table: str, roots: Iterable[Oid]) -> None:
    rows: list[VarBind] = []
    for root in roots:
        try:
            rows += await session.bulk_walk(root)
        except SnmpError as exc:
            if exc.reason is not FailureReason.error:  # timeout/auth/parse: the device is gone, fail it
                raise
            data.errors[table] = str(exc)
            rows += exc.partial
    data.tables[table] = rows


async def _entity_chassis(session: Session, data: DeviceSnmpData) -> None:
    """GET descr/name/serial/model of the first chassis rows only: the full table can be huge."""
    n = len(O.ENT_PHYSICAL_ENTRY) + 1
    chassis = [oid[n:] for oid, value in data.tables.get("entity_class", ())
               if value in (O.ENT_CLASS_CHASSIS, O.ENT_CLASS_STACK)][:_MAX_CHASSIS]
    if not chassis:
        return
    columns = (O.ENT_DESCR, O.ENT_NAME, O.ENT_SOFTWARE_REV, O.ENT_SERIAL, O.ENT_MODEL)
    try:
        got = await session.get([O.ENT_PHYSICAL_ENTRY + (c,) + idx for idx in chassis for c in columns])
    except SnmpError as exc:
        if exc.reason is not FailureReason.error:
            raise
        data.errors["entity"] = str(exc)
        return
    data.tables["entity"] = [(o, v) for o, v in got if not isinstance(v, Exc)]


async def _vendor_identity(session: Session, data: DeviceSnmpData) -> None:
    """GET the vendor MIB scalars that hold model/serial/version, for vendors that keep them there."""
    scalars = VENDOR_SCALARS.get(data.enterprise() or 0)
    if not scalars:
        return
    try:
        got = dict(await session.get(list(scalars.values())))
    except SnmpError as exc:
        if exc.reason is not FailureReason.error:
            raise
        data.errors["vendor_identity"] = str(exc)
        return
    data.vendor_identity = {name: got[oid] for name, oid in scalars.items()
                            if oid in got and not isinstance(got[oid], Exc)}


async def poll_device(client: SnmpClient, target: SnmpTarget, workload: str = "full") -> DeviceSnmpData:
    """System group by GET, then the workload's tables by bulk walk, one after the other.

    Sequential per device on purpose: device agents are single-threaded; the parallelism
    is across devices. Raises SnmpError (with `reason`) if the device cannot be polled.
    """
    started = time.perf_counter()
    session = await client.session(target)
    system: dict[Oid, Value] = {oid: value for oid, value in await session.get(O.SYSTEM) if not isinstance(value, Exc)}
    data = DeviceSnmpData(target.name, target.host, system)
    enterprise = data.enterprise()
    for table in WORKLOADS[workload]:
        if _ONLY_FOR.get(table, enterprise) != enterprise:
            continue
        await _walk_into(session, data, table, WALKS[table])
    if "entity_class" in data.tables:
        await _entity_chassis(session, data)
        await _vendor_identity(session, data)
    data.elapsed = time.perf_counter() - started
    return data


ProgressCb = Callable[[str, "DeviceSnmpData | DeviceFailure"], None]


async def poll_many(targets: Iterable[SnmpTarget], workload: str = "full", concurrency: int = 100,
                    timeout: float = 2.0, retries: int = 1, progress_cb: ProgressCb | None = None, *,
                    max_repetitions: int = 25, device_timeout: float = 300.0,
                    ) -> dict[str, DeviceSnmpData | DeviceFailure]:
    """Poll every target, at most `concurrency` at a time; every device gets a result.

    A failure never aborts the others. `device_timeout` caps one device's whole poll.
    """
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r}; expected one of {sorted(WORKLOADS)}")
    targets = list(targets)
    names = [t.name for t in targets]
    if len(set(names)) != len(names):
        raise ValueError("target names must be unique")
    sem = asyncio.Semaphore(concurrency)

    async with SnmpClient(timeout=timeout, retries=retries, max_repetitions=max_repetitions) as client:
        async def one(target: SnmpTarget) -> DeviceSnmpData | DeviceFailure:
            async with sem:
                result: DeviceSnmpData | DeviceFailure
                try:
                    async with asyncio.timeout(device_timeout):
                        result = await poll_device(client, target, workload)
                except SnmpError as exc:
                    result = _failure(target, exc.reason, str(exc))
                except TimeoutError:
                    result = _failure(target, FailureReason.timeout, f"poll not finished within {device_timeout:g}s")
                except Exception as exc:
                    result = _failure(target, FailureReason.error, f"{type(exc).__name__}: {exc}")
            if progress_cb is not None:
                progress_cb(target.name, result)
            return result

        results = await asyncio.gather(*(one(t) for t in targets))
    return dict(zip(names, results, strict=True))


def run_poll(targets: Iterable[SnmpTarget], workload: str = "full", concurrency: int = 100,
             timeout: float = 2.0, retries: int = 1, progress_cb: ProgressCb | None = None, *,
             max_repetitions: int = 25, device_timeout: float = 300.0,
             ) -> dict[str, DeviceSnmpData | DeviceFailure]:
    """Blocking wrapper for Nornir tasks and the CLI (must not be called from a running loop)."""
    return asyncio.run(poll_many(targets, workload, concurrency, timeout, retries, progress_cb,
                                 max_repetitions=max_repetitions, device_timeout=device_timeout))


def _failure(target: SnmpTarget, reason: FailureReason, message: str) -> DeviceFailure:
    return DeviceFailure(host=target.name, via="snmp", reason=reason, message=message)
