"""The real daemons of a lab device: zebra + ospfd (routers), snmpd, lldpd and sshd, each with its own files.

Each daemon runs in the foreground under `ip netns exec`, in its own session so it
outlives `netops lab up`; the PID kept is the daemon's own (every wrapper `exec`s).
snmpd starts first: lldpd's AgentX subagent only reconnects after ~15 s otherwise.
lldpd only runs on the fibre/LAN ports (`eth*`), never on the management port.
FRR daemons run in a mount namespace of their own with a private /run/frr (ospfd keeps
state files there that would otherwise be shared by every router).
Every name and description is written through netops.lab.render (one value, one line).
"""
from __future__ import annotations

import grp
import json
import os
import pwd
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from netops.errors import NetopsError
from netops.lab.frr import frr_conf
from netops.lab.identity import identity
from netops.lab.plan import LAB_NETWORK, MGMT_GATEWAY, MGMT_NETWORK, NOC_ADDRESS, DevicePlan
from netops.lab.render import one_line, quoted
from netops.lab.state import LAB_USER, SNMP_USER, LabState
from netops.lab.system import run

FRR_DAEMONS = ("zebra", "ospfd")
DAEMONS = (*FRR_DAEMONS, "snmpd", "lldpd", "sshd")  # start order
FRR_BIN = "/usr/lib/frr"
TRAP_PORT = 162
LLDP_TX_INTERVAL = 1  # seconds; TTL is 4 x this, so a silent link is noticed in ~4 s
IF_NAME = ".1.3.6.1.2.1.31.1.1.1.1"
IF_DESCR = ".1.3.6.1.2.1.2.2.1.2"
IF_ALIAS = ".1.3.6.1.2.1.31.1.1.1.18"
IF_SPEED = ".1.3.6.1.2.1.2.2.1.5"
IF_HIGH_SPEED = ".1.3.6.1.2.1.31.1.1.1.15"
ENT_PHYSICAL = ".1.3.6.1.2.1.47.1.1.1.1"
IF_ENTRY = ".1.3.6.1.2.1.2.2.1"
LINK_DOWN, LINK_UP = ".1.3.6.1.6.3.1.1.5.3", ".1.3.6.1.6.3.1.1.5.4"
INTERNAL_USER = "netopsinternal"  # snmpd's own queries for the linkUp/linkDown monitors
_SHARED = "_shared"
LAB_GROUPS = ("adm", "_lldpd", "frrvty")


NS_CACHE_TIMEOUT = ".1.3.6.1.4.1.8072.1.5.3.1.2"  # NET-SNMP-AGENT-MIB nsCacheTimeout, indexed by table OID
# net-snmp serves these tables from caches (ifTable 3 s, routes 60 s); a router's agent answers fresher
FRESH_CACHES = {"1.3.6.1.2.1.2.2": 1, "1.3.6.1.2.1.4.24.4": 1, "1.3.6.1.2.1.4.24.7": 1}


def cache_community(state: LabState) -> str:
    """Write access to the cache timeouts only, and only from inside the device (127.0.0.1)."""
    return state.secrets.community + "cache"


def tune_snmpd(state: LabState, hostnames: Iterable[str]) -> None:
    """Shorten snmpd's table caches (ifTable, routes) so link changes and reroutes show within a second."""
    sets = [arg for table, seconds in FRESH_CACHES.items() for arg in (f"{NS_CACHE_TIMEOUT}.{table}", "i", str(seconds))]
    procs = [subprocess.Popen(["ip", "netns", "exec", state.plan.devices[h].namespace, "snmpset", "-v2c", "-c",
                               cache_community(state), "-t", "1", "-r", "3", "-Oq", "127.0.0.1", *sets],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for h in hostnames]
    failed = [p.communicate(timeout=30)[1].strip() for p in procs if p.wait(timeout=30) != 0]
    if failed:
        raise NetopsError(f"snmpd cache timeouts not set on {len(failed)} device(s): {failed[0][:200]}")


def daemons_of(dev: DevicePlan) -> tuple[str, ...]:
    return DAEMONS if dev.is_router else tuple(d for d in DAEMONS if d not in FRR_DAEMONS)


def noc_address(state: LabState) -> str:
    """Where the NOC sits: traps go there (the root namespace, in-band or out-of-band)."""
    return str(NOC_ADDRESS.ip if state.plan.mgmt == "inband" else MGMT_GATEWAY.ip)


def _ip(cidr: str) -> str:
    return cidr.split("/")[0]


def snmpd_conf(state: LabState, dev: DevicePlan, folder: Path) -> str:
    """IF-MIB names overridden with the declared port names; LLDP-MIB served by lldpd over AgentX.

    The device presents its vendor identity (sysDescr, sysObjectID, an ENTITY-MIB chassis row),
    serves the kernel's forwarding table (IP-FORWARD-MIB, native in net-snmp) and sends
    linkDown/linkUp v2c traps to the NOC, checking ifOperStatus every second.
    """
    s = state.secrets
    ident = identity(dev)
    lines = [
        f"agentaddress udp:{_ip(dev.mgmt_ip)}:161,udp:127.0.0.1:161",
        f"rocommunity {s.community} {MGMT_NETWORK if state.plan.mgmt == 'oob' else LAB_NETWORK}",
        f"rwcommunity {cache_community(state)} 127.0.0.1 {NS_CACHE_TIMEOUT}",
        f"createUser {SNMP_USER} SHA {quoted(s.auth_key)} AES {quoted(s.priv_key)}",
        f"rouser {SNMP_USER} priv",
        f"createUser {INTERNAL_USER} SHA {quoted(s.auth_key)}",
        f"rouser {INTERNAL_USER} auth",
        f"iquerySecName {INTERNAL_USER}",
        f"sysName {one_line(dev.hostname)}",
        f"sysDescr {one_line(ident.sys_descr)}",
        f"sysObjectID {ident.sys_object_id}",
        f"sysLocation {one_line(dev.pd)}",
        "master agentx",
        f"agentXSocket unix:{folder}/agentx.sock",
        "agentXPerms 0660 0770 root _lldpd",
        "dontLogTCPWrappersConnects yes",
        f"trap2sink {noc_address(state)}:{TRAP_PORT} {s.community}",
        f"notificationEvent netopsLinkUp {LINK_UP} {IF_ENTRY}.1 {IF_ENTRY}.7 {IF_ENTRY}.8",
        f"notificationEvent netopsLinkDown {LINK_DOWN} {IF_ENTRY}.1 {IF_ENTRY}.7 {IF_ENTRY}.8",
        f'monitor -S -r 1 -e netopsLinkUp "link up" {IF_ENTRY}.8 != 2',
        f'monitor -S -r 1 -e netopsLinkDown "link down" {IF_ENTRY}.8 == 2',
    ]
    chassis = {2: ("octet_str", quoted(ident.chassis_descr)), 4: ("integer", "0"), 5: ("integer", "3"),
               7: ("octet_str", quoted(ident.chassis_name)), 10: ("octet_str", quoted(ident.os_version)),
               11: ("octet_str", quoted(ident.serial)), 12: ("octet_str", quoted(ident.vendor)),
               13: ("octet_str", quoted(ident.model)), 16: ("integer", "2")}
    lines += [f"override {ENT_PHYSICAL}.{column}.1 {kind} {value}" for column, (kind, value) in chassis.items()]
    for port in dev.ports:
        lines += [f"override {IF_NAME}.{port.ifindex} octet_str {quoted(port.declared)}",
                  f"override {IF_DESCR}.{port.ifindex} octet_str {quoted(port.declared)}",
                  f"override {IF_ALIAS}.{port.ifindex} octet_str {quoted(port.description)}"]
        if port.speed_mbps:  # a veth always says 10 Gb/s; the device reports its declared port speed
            lines += [f"override {IF_HIGH_SPEED}.{port.ifindex} unsigned {port.speed_mbps}",
                      f"override {IF_SPEED}.{port.ifindex} unsigned {min(port.speed_mbps * 1_000_000, 2**32 - 1)}"]
    return "\n".join(lines) + "\n"


def lldpd_conf(dev: DevicePlan) -> str:
    """Declared port names as LLDP port ids, so neighbours see them with no translation."""
    ident = identity(dev)
    lines = [f"configure system hostname {quoted(dev.hostname)}",
             f"configure system description {quoted(ident.sys_descr)}",
             f"configure system platform {quoted(ident.model or dev.role)}",
             f"configure system ip management pattern {_ip(dev.mgmt_ip)}",
             f"configure lldp tx-interval {LLDP_TX_INTERVAL}"]
    for port in dev.ports:
        if port.kind == "port":
            lines.append(f"configure ports {port.linux} lldp portidsubtype local {quoted(port.declared)} "
                         f"description {quoted(port.description or port.declared)}")
    return "\n".join(lines) + "\n"


def running_conf(dev: DevicePlan) -> str:
    """What `show running-config` returns on a switch or AP (routers answer from FRR through vtysh)."""
    lines = [f"hostname {one_line(dev.hostname)}", f"! netops lab {dev.role} of PD {one_line(dev.pd)}", "!"]
    if dev.loopback:
        lines += ["interface lo", f" ip address {dev.loopback}", "!"]
    for port in dev.ports:
        lines.append(f"interface {one_line(port.declared)}")
        lines += [f" description {one_line(port.description)}"] if port.description else []
        lines += [f" ip address {port.ipv4}"] if port.ipv4 else []
        lines += [" bridge-group 1"] if port.bridge else []
        lines += [" lldp transmit receive", " no shutdown" if port.enabled else " shutdown", "!"]
    if dev.gateway:
        lines += [f"ip default-gateway {dev.gateway}", "!"]
    lines += [f"snmp-server location {one_line(dev.pd)}", "snmp-server community <set> ro", "lldp run", "end"]
    return "\n".join(lines) + "\n"


def sshd_conf(state: LabState, dev: DevicePlan, folder: Path) -> str:
    shared = state.run_path / _SHARED
    frr = f" NETOPS_FRR_VTY={folder}/frr" if dev.is_router else ""
    return "\n".join([
        f"ListenAddress {_ip(dev.mgmt_ip)}", f"HostKey {shared}/hostkey", f"PidFile {folder}/sshd.pid",
        "UsePAM no", "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication no", "PermitRootLogin no", f"AllowUsers {LAB_USER}",
        f"SetEnv NETOPS_LLDPD_SOCKET={folder}/lldpd.sock NETOPS_LAB_CONFIG={folder}/running.conf "
        f"NETOPS_LAB_IDENTITY={folder}/identity.json{frr}",
        "PrintMotd no", "PrintLastLog no",
        "MaxStartups 50:30:100", "",
    ])


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def free_uid(start: int = 62000) -> int:
    used = {p.pw_uid for p in pwd.getpwall()}
    return next(uid for uid in range(start, start + 1000) if uid not in used)


def prepare_shared(state: LabState) -> None:
    """One lab user for every device: passwd/group/shadow copies bind-mounted by each sshd.

    The shadow copy holds only the lab user's hash; every host account is locked ('*').
    """
    shared = state.run_path / _SHARED
    home = shared / "home"
    home.mkdir(parents=True, exist_ok=True)
    lldpd_gid = grp.getgrnam("_lldpd").gr_gid
    accounts = [p for p in pwd.getpwall() if p.pw_name != LAB_USER]
    passwd = [f"{p.pw_name}:x:{p.pw_uid}:{p.pw_gid}:{p.pw_gecos}:{p.pw_dir}:{p.pw_shell}" for p in accounts]
    passwd.append(f"{LAB_USER}:x:{state.lab_uid}:{lldpd_gid}:netops lab:{home}:/bin/bash")
    pw_hash = run(["openssl", "passwd", "-6", "-stdin"], stdin=state.secrets.password).strip()
    shadow = [f"{p.pw_name}:*:19000:0:99999:7:::" for p in accounts]
    shadow.append(f"{LAB_USER}:{pw_hash}:19000:0:99999:7:::")
    _write(shared / "passwd", "\n".join(passwd) + "\n")
    _write(shared / "shadow", "\n".join(shadow) + "\n", 0o600)
    # lldpcli is setuid _lldpd, executable by group adm only; the socket belongs to _lldpd
    groups = [f"{g.gr_name}:x:{g.gr_gid}:{','.join(g.gr_mem + ([LAB_USER] if g.gr_name in LAB_GROUPS else []))}"
              for g in grp.getgrall()]
    _write(shared / "group", "\n".join(groups) + "\n")
    _write(home / ".bash_profile",
           "export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin\n"
           'lldpcli() { command lldpcli -u "$NETOPS_LLDPD_SOCKET" "$@"; }\n')
    os.chown(home, state.lab_uid, lldpd_gid)
    if not (shared / "hostkey").exists():
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "netops-lab", "-f", str(shared / "hostkey")])
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's compiled-in privilege-separation dir


def prepare_device(state: LabState, dev: DevicePlan) -> None:
    folder = state.device_dir(dev.hostname)
    (folder / "snmp").mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    _write(folder / "snmpd.conf", snmpd_conf(state, dev, folder), 0o600)
    _write(folder / "lldpd.conf", lldpd_conf(dev))
    _write(folder / "sshd_config", sshd_conf(state, dev, folder))
    _write(folder / "running.conf", running_conf(dev))
    write_identity(state, dev)
    if dev.is_router:
        frr = folder / "frr"
        frr.mkdir(exist_ok=True)
        _write(frr / "frr.conf", frr_conf(dev), 0o640)
        _write(frr / "empty.conf", "", 0o640)
        uid, gid = pwd.getpwnam("frr").pw_uid, grp.getgrnam("frr").gr_gid
        for path in (frr, frr / "frr.conf", frr / "empty.conf"):
            os.chown(path, uid, gid)
        frr.chmod(0o755)


def write_identity(state: LabState, dev: DevicePlan) -> None:
    """The facts the NAPALM driver reports, and when the device last booted (its uptime's origin)."""
    facts = {**identity(dev).as_facts(), "booted_at": time.time()}
    _write(state.device_dir(dev.hostname) / "identity.json", json.dumps(facts) + "\n")


def _spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> int:
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                env=env, start_new_session=True)
    return proc.pid


def start_daemon(state: LabState, dev: DevicePlan, daemon: str) -> int:
    folder = state.device_dir(dev.hostname)
    ready_path(state, dev.hostname, daemon).unlink(missing_ok=True)  # stale after a kill
    netns = ["ip", "netns", "exec", dev.namespace]
    if daemon in FRR_DAEMONS:
        frr = folder / "frr"
        script = 'mount -t tmpfs -o mode=0755 tmpfs /run/frr && chown frr:frr /run/frr && exec "$@"'
        return _spawn(netns + ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                               f"{FRR_BIN}/{daemon}", "-f", str(frr / "empty.conf"), "-i", str(frr / f"{daemon}.pid"),
                               "-z", str(frr / "zserv.api"), "--vty_socket", str(frr), "-A", "127.0.0.1", "-P", "0",
                               "--log", "stdout"],
                      folder / f"{daemon}.log")
    if daemon == "snmpd":
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SNMP_PERSISTENT_DIR": str(folder / "snmp")}
        return _spawn(netns + ["snmpd", "-f", "-I", "-smux", "-m", "", "-C",
                               "-c", str(folder / "snmpd.conf"), "-p", str(folder / "snmpd.pid"),
                               "-Lf", str(folder / "snmpd.log")], folder / "snmpd.out", env)
    if daemon == "lldpd":
        # Its own UTS namespace named after the device: `configure system hostname` is sometimes lost
        # after a restart (lldpd 1.0.16 then advertises the machine's hostname to every neighbour).
        return _spawn(netns + ["unshare", "-u", "sh", "-c", 'hostname "$1" && shift && exec "$@"', "sh", dev.hostname,
                               "lldpd", "-d", "-u", str(folder / "lldpd.sock"), "-I", "eth*", "-k", "-x",
                               "-X", f"unix:{folder}/agentx.sock", "-O", str(folder / "lldpd.conf")],
                      folder / "lldpd.log")
    if daemon == "sshd":
        shared = state.run_path / _SHARED
        script = ('hostname "$1" && mount --bind "$2" /etc/passwd && mount --bind "$3" /etc/shadow '
                  '&& mount --bind "$4" /etc/group && exec /usr/sbin/sshd -D -e -f "$5"')
        return _spawn(netns + ["unshare", "-u", "sh", "-c", script, "sh", dev.hostname,
                               str(shared / "passwd"), str(shared / "shadow"), str(shared / "group"),
                               str(folder / "sshd_config")], folder / "sshd.log")
    raise ValueError(daemon)


def ready_path(state: LabState, hostname: str, daemon: str) -> Path:
    """The file a daemon creates once it serves: AgentX socket, lldpd control socket, sshd pid file."""
    name = {"snmpd": "agentx.sock", "lldpd": "lldpd.sock", "sshd": "sshd.pid",
            "zebra": "frr/zebra.vty", "ospfd": "frr/ospfd.vty"}[daemon]
    return state.device_dir(hostname) / name


def wait_ready(state: LabState, hostnames: Iterable[str], daemon: str, timeout: float = 20.0) -> None:
    waiting = {h: ready_path(state, h, daemon) for h in hostnames}
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        waiting = {h: p for h, p in waiting.items() if not p.exists()}
        if waiting:
            time.sleep(0.05)
    if waiting:
        names = ", ".join(sorted(waiting)[:5])
        raise NetopsError(f"{daemon} did not start on {len(waiting)} device(s) ({names}); "
                          f"see {state.run_dir}/<device>/{daemon}.log")


def apply_frr(state: LabState, hostnames: Iterable[str]) -> None:
    """Load each router's rendered config into its running zebra and ospfd (as `vtysh -b` does)."""
    procs = {h: subprocess.Popen(["vtysh", "--vty_socket", str(state.device_dir(h) / "frr"),
                                  "-f", str(state.device_dir(h) / "frr" / "frr.conf")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for h in hostnames}
    failed = []
    for host, proc in procs.items():
        out, _ = proc.communicate(timeout=30)
        if proc.returncode != 0:
            failed.append(f"{host}: {out.strip().splitlines()[-1] if out.strip() else proc.returncode}")
    if failed:
        raise NetopsError(f"FRR refused the rendered config on {len(failed)} router(s): {'; '.join(failed[:3])}")


def lldp_update(state: LabState, hostnames: Iterable[str]) -> None:
    """Send LLDPDUs now instead of waiting a whole tx-interval for the first exchange."""
    procs = [subprocess.Popen(["lldpcli", "-u", str(ready_path(state, h, "lldpd")), "update"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for h in hostnames]
    for proc in procs:
        proc.wait()
