"""Bring a lab up and down: namespaces, veths, addresses, daemons; everything recorded first.

Fast because nothing is serial per device: all links are made by one `ip -batch`, each
namespace is configured by its own `ip -batch` running in parallel, and each kind of
daemon is started on every device before waiting for any of them.
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from netops.errors import NetopsError
from netops.lab import daemons
from netops.lab.plan import (
    LAB_NETWORK,
    MGMT_BRIDGE,
    MGMT_GATEWAY,
    MGMT_PORT,
    NAMESPACE_PREFIX,
    NOC_ADDRESS,
    NOC_BRIDGE,
    NOC_PORT,
    PLANT_NAMESPACE,
    DevicePlan,
    LabPlan,
    stub_peers,
)
from netops.lab.render import one_line
from netops.lab.state import LabSecrets, LabState, load_state, remove_state, save_state
from netops.lab.system import (
    ip_batch,
    ip_batches_parallel,
    kill_pids,
    link_exists,
    namespace_pids,
    namespaces,
)

RUN_ROOT = Path("/run/netops/labs")
Progress = Callable[[str, int, int], None]
SYSCTLS = ("net.ipv4.ip_forward=1", "net.ipv4.ping_group_range=0 2147483647",
           "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
           "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
# A router with no route drops silently, as one with a default route towards the internet would:
# a device behind a cut times out instead of being refused by an ICMP unreachable.
BLACKHOLE_METRIC = 4000


def quiet(step: str, done: int, total: int) -> None:
    pass


def lab_up(state_path: Path, plan: LabPlan, progress: Progress = quiet) -> LabState:
    """Build the planned lab and record it in `state_path`; on failure, undo everything."""
    if load_state(state_path) is not None:
        raise NetopsError(f"a lab is already recorded in {state_path} (up, or a crashed up): "
                          "run `netops lab down` first")
    for bridge in (MGMT_BRIDGE, NOC_BRIDGE):
        if link_exists(bridge):
            raise NetopsError(f"the lab bridge {bridge} already exists: another lab is up "
                              "(with another state file); bring it down first")
    started = time.monotonic()
    state = LabState(run_dir=str(RUN_ROOT / secrets.token_hex(4)), lab_uid=daemons.free_uid(), plan=plan,
                     secrets=LabSecrets.generate(), started_at=datetime.now(UTC).isoformat())
    save_state(state_path, state)
    try:
        _build(state, state_path, progress)
    except BaseException:
        lab_down(state_path)
        raise
    state.phase = "up"
    state.bringup_seconds = round(time.monotonic() - started, 2)
    save_state(state_path, state)
    return state


def _build(state: LabState, state_path: Path, progress: Progress) -> None:
    plan = state.plan
    devices = list(plan.devices.values())
    total = len(devices)
    progress("namespaces and links", 0, total)
    ip_batch(_root_batch(plan))
    progress("namespaces and links", total, total)
    ip_batches_parallel({PLANT_NAMESPACE: _plant_batch(plan),
                         **{d.namespace: _device_batch(d, plan.mgmt) for d in devices}})
    ip_batch(_root_route(plan))
    _sysctls([d.namespace for d in devices] + [PLANT_NAMESPACE])
    progress("addresses", total, total)
    state.run_path.mkdir(parents=True, exist_ok=True)
    state.run_path.chmod(0o755)
    daemons.prepare_shared(state)
    for dev in devices:
        daemons.prepare_device(state, dev)
    routers = [d.hostname for d in plan.routers]
    for daemon in daemons.DAEMONS:
        having = [d for d in devices if daemon in daemons.daemons_of(d)]
        for n, dev in enumerate(having, start=1):
            state.pids.setdefault(dev.hostname, {})[daemon] = daemons.start_daemon(state, dev, daemon)
            progress(f"starting {daemon}", n, len(having))
        save_state(state_path, state)
        if daemon in ("zebra", "snmpd"):  # ospfd needs zebra; lldpd's AgentX subagent needs snmpd at start
            daemons.wait_ready(state, [d.hostname for d in having], daemon)
    # while lldpd and sshd come up: ospfd's config, snmpd's caches
    daemons.wait_ready(state, routers, "ospfd")
    daemons.apply_frr(state, routers)
    daemons.tune_snmpd(state, plan.devices)
    for daemon in ("lldpd", "sshd"):
        daemons.wait_ready(state, plan.devices, daemon)
    daemons.lldp_update(state, plan.devices)
    progress("ready", total, total)


def _root_batch(plan: LabPlan) -> list[str]:
    """Namespaces, every veth, and the management side in the root namespace.

    Out-of-band: one bridge and a veth to every device. In-band: a NOC bridge (the NOC's
    address) with a veth to each core router, and one route, 198.18.0.0/15 via a core router.
    """
    bridge, address = (NOC_BRIDGE, NOC_ADDRESS) if plan.mgmt == "inband" else (MGMT_BRIDGE, MGMT_GATEWAY)
    lines = [f"link add {bridge} type bridge", f"link set dev {bridge} addrgenmode none",
             f"addr add {address} dev {bridge}", f"link set dev {bridge} up"]
    lines += [f"netns add {ns}" for ns in plan.namespaces]
    for dev in plan.devices.values():
        inside = MGMT_PORT if plan.mgmt == "oob" else NOC_PORT if dev.noc_ip else None
        if inside:
            lines += [f"link add {dev.mgmt_veth} type veth peer name {inside} netns {dev.namespace} index 2",
                      f"link set dev {dev.mgmt_veth} addrgenmode none",
                      f"link set dev {dev.mgmt_veth} master {bridge} up"]
    for cable in plan.cables.values():
        _, a_side, b_side = plan.plant_ports(cable.id)
        for end, side in ((cable.a, a_side), (cable.b, b_side)):
            dev = plan.devices[end.device]
            port = dev.port(end.interface)
            lines.append(f"link add {port.linux} netns {dev.namespace} index {port.ifindex} type veth "
                         f"peer name {side} netns {PLANT_NAMESPACE}")
    for n, (dev, port) in enumerate(stub_peers(plan), start=1):
        lines.append(f"link add {port.linux} netns {dev.namespace} index {port.ifindex} type veth "
                     f"peer name stub{n} netns {PLANT_NAMESPACE}")
    return lines


def _root_route(plan: LabPlan) -> list[str]:
    """In-band: the lab's range through the first core router (the NOC's only route into the lab)."""
    gateway = plan.noc_gateway
    if plan.mgmt != "inband" or gateway is None:
        return []
    return [f"route replace {LAB_NETWORK} via {gateway} dev {NOC_BRIDGE}"]


def _plant_batch(plan: LabPlan) -> list[str]:
    """One bridge per cable; group_fwd_mask bit 14 lets LLDP (01:80:c2:00:00:0e) cross it."""
    lines = []
    for cable in plan.cables.values():
        bridge, a_side, b_side = plan.plant_ports(cable.id)
        lines += [f"link add {bridge} type bridge group_fwd_mask 0x4000", f"link set dev {bridge} up",
                  f"link set dev {a_side} master {bridge} up", f"link set dev {b_side} master {bridge} up"]
    return lines


def _device_batch(dev: DevicePlan, mgmt: str) -> list[str]:
    lines = ["link set dev lo up"]
    if mgmt == "oob":
        lines += [f"addr add {dev.mgmt_ip} dev {MGMT_PORT}", f"link set dev {MGMT_PORT} up"]
    elif dev.noc_ip:
        lines += [f"addr add {dev.noc_ip} dev {NOC_PORT}", f"link set dev {NOC_PORT} up"]
    if dev.loopback:
        lines.append(f"addr add {dev.loopback} dev lo")
    for bridge in dev.bridges:
        lines.append(f"link add {bridge.linux} index {bridge.ifindex} type bridge")
    for port in dev.ports:
        if port.bridge:
            lines.append(f"link set dev {port.linux} master {port.bridge}")
        if port.ipv4:
            lines.append(f"addr add {port.ipv4} dev {port.linux}")
        lines.append(f'link set dev {port.linux} alias "{_ip_text(port.declared)}"')
        if port.altname:
            lines.append(f'link property add dev {port.linux} altname "{_ip_text(port.altname)}"')
        if port.enabled:
            lines.append(f"link set dev {port.linux} up")
    if mgmt == "inband":
        on = "lo" if dev.is_router else dev.bridges[0].linux if dev.bridges else dev.mgmt_port or "lo"
        lines.append(f"addr add {dev.mgmt_ip} dev {on}")
    return lines + device_routes(dev)


def _ip_text(text: str) -> str:
    """A name inside one quoted `ip -batch` argument: one line, no quote to close it early."""
    return one_line(text).replace('"', "'")


def device_routes(dev: DevicePlan) -> list[str]:
    """Static routes of a device: a LAN device's gateway, an edge's host routes, a router's blackhole.

    Idempotent (`replace`), so a revived device gets them back.
    """
    lines = []
    if dev.gateway and dev.mgmt_port:  # no address on that LAN: the gateway is reached on the port itself
        lines.append(f"route replace {LAB_NETWORK} via {dev.gateway} dev {dev.mgmt_port} onlink")
    elif dev.gateway:  # the lab's range only: a default route would send lldpd's DNS lookups into the lab
        lines.append(f"route replace {LAB_NETWORK} via {dev.gateway}")
    for route in dev.host_routes:
        lines.append(f"route replace {route.prefix} dev {route.dev}")
    if dev.is_router:
        lines.append(f"route replace blackhole {LAB_NETWORK} metric {BLACKHOLE_METRIC}")
    return lines


def _sysctls(names: list[str]) -> None:
    procs = [subprocess.Popen(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", *SYSCTLS],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for ns in names]
    for proc in procs:
        if proc.wait() != 0:
            raise NetopsError(f"sysctl failed in a lab namespace: {proc.stderr.read().decode().strip()}"
                              if proc.stderr else "sysctl failed in a lab namespace")


def lab_down(state_path: Path, force: bool = False) -> dict[str, int]:
    """Kill every process, delete every namespace, link, bridge and file the lab made.

    Idempotent; works after a crashed `up` (the plan was recorded first). With `force`,
    also sweeps every `netops-*` namespace and the bridge when the state file is gone.
    """
    state = load_state(state_path) if not force else _try_load(state_path)
    wanted = set(state.plan.namespaces) if state else set()
    if force:
        wanted |= {ns for ns in namespaces() if ns.startswith(NAMESPACE_PREFIX)}
    present = wanted & namespaces()
    recorded = {pid for by_daemon in (state.pids.values() if state else []) for pid in by_daemon.values()}
    inside = namespace_pids(present)
    helpers = {f.pid for f in (state.faults if state else []) if f.pid}  # e.g. a running `flap`
    pids = recorded | helpers | {p for found in inside.values() for p in found}
    kill_pids(pids)
    ip_batch([f"netns del {ns}" for ns in sorted(present)], force=True)
    leftovers = [d.mgmt_veth for d in state.plan.devices.values()] if state else []
    ip_batch([f"link del {name}" for name in leftovers + [MGMT_BRIDGE, NOC_BRIDGE]
              if link_exists(name) and (state is not None or force)], force=True)
    if state is not None:
        shutil.rmtree(state.run_path, ignore_errors=True)
    remove_state(state_path)
    return {"namespaces": len(present), "processes": len(pids)}


def _try_load(state_path: Path) -> LabState | None:
    try:
        return load_state(state_path)
    except NetopsError:
        return None
