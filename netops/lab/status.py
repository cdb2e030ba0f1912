"""Is the lab alive: daemons per device, and LLDP adjacencies seen against the declared links."""
from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from netops.lab.daemons import daemons_of, noc_address, ready_path
from netops.lab.state import LAB_USER, SNMP_USER, LabState
from netops.lab.system import alive

Neighbors = dict[str, list[tuple[str, str]]]


def lldp_neighbors(state: LabState, hostname: str) -> Neighbors:
    """Declared local port -> [(remote system name, remote port id)], read with lldpcli."""
    dev = state.plan.devices[hostname]
    sock = ready_path(state, hostname, "lldpd")
    try:
        out = subprocess.run(["lldpcli", "-u", str(sock), "-f", "json0", "show", "neighbors"],
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if out.returncode != 0:
        return {}
    return parse_neighbors(json.loads(out.stdout or "{}"), dev.declared_name)


def parse_neighbors(doc: dict[str, Any], declared_name: Any = str) -> Neighbors:
    """`lldpcli -f json0 show neighbors` (always lists) -> local port -> [(sysname, port id)]."""
    found: Neighbors = {}
    for block in doc.get("lldp", []):
        for iface in block.get("interface", []):
            chassis = (iface.get("chassis") or [{}])[0]
            port = (iface.get("port") or [{}])[0]
            sysname = ((chassis.get("name") or [{}])[0]).get("value", "")
            port_id = ((port.get("id") or [{}])[0]).get("value", "")
            found.setdefault(declared_name(iface["name"]), []).append((sysname, port_id))
    return found


def lab_status(state: LabState, state_file: str) -> dict[str, Any]:
    """Every device with its daemons alive or not; every declared link seen as LLDP or not."""
    plan = state.plan
    with ThreadPoolExecutor(max_workers=16) as pool:
        seen = dict(zip(plan.devices, pool.map(lambda h: lldp_neighbors(state, h), plan.devices), strict=True))
    devices: list[dict[str, Any]] = [{
        "hostname": d.hostname, "pd": d.pd, "role": d.role, "namespace": d.namespace,
        "mgmt_ip": d.mgmt_ip.split("/")[0], "platform": d.platform,
        "daemons": {name: alive(state.pids.get(d.hostname, {}).get(name, 0)) for name in daemons_of(d)},
    } for d in plan.devices.values()]
    faults = {f.target: f.kind for f in state.faults}
    links = []
    for cable in plan.cables.values():
        a_sees = (cable.b.device, cable.b.interface) in seen[cable.a.device].get(cable.a.interface, [])
        b_sees = (cable.a.device, cable.a.interface) in seen[cable.b.device].get(cable.b.interface, [])
        links.append({"id": cable.id, "a": f"{cable.a.device} {cable.a.interface}",
                      "b": f"{cable.b.device} {cable.b.interface}", "ducts": list(cable.ducts),
                      "lldp": "both" if a_sees and b_sees else ("one-way" if a_sees or b_sees else "none"),
                      "fault": faults.get(cable.id)})
    return {
        "state_file": state_file, "phase": state.phase, "started_at": state.started_at,
        "mgmt": state.plan.mgmt, "noc_address": noc_address(state), "noc_gateway": state.plan.noc_gateway,
        "bringup_seconds": state.bringup_seconds, "run_dir": state.run_dir,
        "summary": {
            "devices": len(devices),
            "devices_all_daemons_alive": sum(all(d["daemons"].values()) for d in devices),
            "links_declared": len(links), "links_seen_lldp": sum(lk["lldp"] == "both" for lk in links),
            "ducts": len(plan.ducts), "left_out_pds": list(plan.left_out_pds),
        },
        # which credentials exist, never their values
        "credentials": {"ssh_user": LAB_USER, "ssh_password": "set", "snmp_v2c_community": "set",
                        "snmp_v3_user": SNMP_USER, "snmp_v3": "authPriv SHA/AES, keys set"},
        "faults": [f.model_dump() for f in state.faults],
        "devices": devices,
        "links": links,
    }
