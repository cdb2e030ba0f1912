"""The real daemons of a lab device: snmpd, lldpd and sshd, each with its own files.

Each daemon runs in the foreground under `ip netns exec`, in its own session so it
outlives `netops lab up`; the PID kept is the daemon's own (every wrapper `exec`s).
snmpd starts first: lldpd's AgentX subagent only reconnects after ~15 s otherwise.
lldpd only runs on the fibre/LAN ports (`eth*`), never on the management port.
"""
from __future__ import annotations

import grp
import os
import pwd
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from netops.errors import NetopsError
from netops.lab.plan import MGMT_NETWORK, MGMT_PORT, DevicePlan
from netops.lab.state import LAB_USER, SNMP_USER, LabState
from netops.lab.system import run

DAEMONS = ("snmpd", "lldpd", "sshd")
LLDP_TX_INTERVAL = 1  # seconds; TTL is 4 x this, so a silent link is noticed in ~4 s
IF_NAME = ".1.3.6.1.2.1.31.1.1.1.1"
IF_DESCR = ".1.3.6.1.2.1.2.2.1.2"
IF_ALIAS = ".1.3.6.1.2.1.31.1.1.1.18"
IF_SPEED = ".1.3.6.1.2.1.2.2.1.5"
IF_HIGH_SPEED = ".1.3.6.1.2.1.31.1.1.1.15"
_SHARED = "_shared"
LAB_GROUPS = ("adm", "_lldpd")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ip(cidr: str) -> str:
    return cidr.split("/")[0]


def snmpd_conf(state: LabState, dev: DevicePlan, folder: Path) -> str:
    """IF-MIB names overridden with the declared port names; LLDP-MIB served by lldpd over AgentX."""
    s = state.secrets
    lines = [
        f"agentaddress udp:{_ip(dev.mgmt_ip)}:161",
        f"rocommunity {s.community} {MGMT_NETWORK}",
        f"createUser {SNMP_USER} SHA {_quoted(s.auth_key)} AES {_quoted(s.priv_key)}",
        f"rouser {SNMP_USER} priv",
        f"sysName {dev.hostname}",
        f"sysDescr netops lab {dev.role} {dev.hostname} (Linux network namespace)",
        f"sysLocation {dev.pd}",
        "master agentx",
        f"agentXSocket unix:{folder}/agentx.sock",
        "agentXPerms 0660 0770 root _lldpd",
        "dontLogTCPWrappersConnects yes",
    ]
    for port in dev.ports:
        lines += [f"override {IF_NAME}.{port.ifindex} octet_str {_quoted(port.declared)}",
                  f"override {IF_DESCR}.{port.ifindex} octet_str {_quoted(port.declared)}",
                  f"override {IF_ALIAS}.{port.ifindex} octet_str {_quoted(port.description)}"]
        if port.speed_mbps:  # a veth always says 10 Gb/s; the device reports its declared port speed
            lines += [f"override {IF_HIGH_SPEED}.{port.ifindex} unsigned {port.speed_mbps}",
                      f"override {IF_SPEED}.{port.ifindex} unsigned {min(port.speed_mbps * 1_000_000, 2**32 - 1)}"]
    return "\n".join(lines) + "\n"


def lldpd_conf(dev: DevicePlan) -> str:
    """Declared port names as LLDP port ids, so neighbours see them with no translation."""
    lines = [f"configure system hostname {dev.hostname}",
             f"configure system description {_quoted(f'netops lab {dev.role} {dev.hostname}')}",
             f"configure system ip management pattern {_ip(dev.mgmt_ip)}",
             f"configure lldp tx-interval {LLDP_TX_INTERVAL}"]
    for port in dev.ports:
        lines.append(f"configure ports {port.linux} lldp portidsubtype local {_quoted(port.declared)} "
                     f"description {_quoted(port.description or port.declared)}")
    return "\n".join(lines) + "\n"


def running_conf(dev: DevicePlan) -> str:
    """What `show running-config` returns on this device (no secrets: those live in snmpd.conf)."""
    lines = [f"hostname {dev.hostname}", f"! netops lab {dev.role} of PD {dev.pd}", "!",
             f"interface {MGMT_PORT}", f" ip address {dev.mgmt_ip}", "!"]
    if dev.loopback:
        lines += ["interface lo", f" ip address {dev.loopback}", "!"]
    for port in dev.ports:
        lines.append(f"interface {port.declared}")
        lines += [f" description {port.description}"] if port.description else []
        lines += [f" ip address {port.ipv4}"] if port.ipv4 else []
        lines += [" lldp transmit receive", " no shutdown" if port.enabled else " shutdown", "!"]
    lines += [f"snmp-server location {dev.pd}", "snmp-server community <set> ro", "lldp run", "end"]
    return "\n".join(lines) + "\n"


def sshd_conf(state: LabState, dev: DevicePlan, folder: Path) -> str:
    shared = state.run_path / _SHARED
    return "\n".join([
        f"ListenAddress {_ip(dev.mgmt_ip)}", f"HostKey {shared}/hostkey", f"PidFile {folder}/sshd.pid",
        "UsePAM no", "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication no", "PermitRootLogin no", f"AllowUsers {LAB_USER}",
        f"SetEnv NETOPS_LLDPD_SOCKET={folder}/lldpd.sock NETOPS_LAB_CONFIG={folder}/running.conf",
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


def _spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> int:
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                env=env, start_new_session=True)
    return proc.pid


def start_daemon(state: LabState, dev: DevicePlan, daemon: str) -> int:
    folder = state.device_dir(dev.hostname)
    ready_path(state, dev.hostname, daemon).unlink(missing_ok=True)  # stale after a kill
    netns = ["ip", "netns", "exec", dev.namespace]
    if daemon == "snmpd":
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SNMP_PERSISTENT_DIR": str(folder / "snmp")}
        return _spawn(netns + ["snmpd", "-f", "-I", "-smux,mteTrigger,mteTriggerConf", "-m", "", "-C",
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
    name = {"snmpd": "agentx.sock", "lldpd": "lldpd.sock", "sshd": "sshd.pid"}[daemon]
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


def lldp_update(state: LabState, hostnames: Iterable[str]) -> None:
    """Send LLDPDUs now instead of waiting a whole tx-interval for the first exchange."""
    procs = [subprocess.Popen(["lldpcli", "-u", str(ready_path(state, h, "lldpd")), "update"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for h in hostnames]
    for proc in procs:
        proc.wait()
