"""The few Linux operations a lab needs: batched `ip`, namespace PIDs, kill by PID.

Every failure of the system tools is turned into a NetopsError naming what failed.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from netops.errors import NetopsError

NETNS_DIR = Path("/run/netns")
REQUIRED_TOOLS = ("ip", "tc", "snmpd", "snmpset", "lldpd", "lldpcli", "sshd", "nft", "openssl", "ssh-keygen",
                  "unshare", "vtysh")
FRR_DAEMONS = (Path("/usr/lib/frr/zebra"), Path("/usr/lib/frr/ospfd"))
TOOL_DIRS = "/usr/sbin:/usr/bin:/sbin:/bin"


def missing_prerequisites() -> str | None:
    """Why a lab cannot run here (not root, Debian daemons missing), or None when it can."""
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces, veths, daemons)"
    missing = [t for t in REQUIRED_TOOLS if shutil.which(t, path=TOOL_DIRS) is None]
    missing += [str(p) for p in FRR_DAEMONS if not p.exists()]
    if missing:
        return (f"the lab needs {', '.join(missing)}: apt-get install snmpd snmp lldpd openssh-server frr "
                "nftables iproute2")
    return None


def run(cmd: Sequence[str], stdin: str | None = None, check: bool = True, timeout: float = 30) -> str:
    try:
        done = subprocess.run(list(cmd), input=stdin, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NetopsError(f"{cmd[0]}: {exc}") from exc
    if check and done.returncode != 0:
        raise NetopsError(f"{' '.join(cmd[:4])}...: {done.stderr.strip() or 'exit ' + str(done.returncode)}")
    return done.stdout


def ip_batch(lines: Iterable[str], namespace: str | None = None, force: bool = False) -> None:
    """One `ip` process for many commands (hundreds of links in milliseconds)."""
    text = "\n".join(lines)
    if not text:
        return
    cmd = ["ip"] + (["-n", namespace] if namespace else []) + (["-force"] if force else []) + ["-batch", "-"]
    run(cmd, stdin=text + "\n", check=not force)


def ip_batches_parallel(batches: dict[str, list[str]]) -> None:
    """One `ip -n NS -batch` per namespace, all running at once."""
    procs = {}
    for ns, lines in batches.items():
        proc = subprocess.Popen(["ip", "-n", ns, "-batch", "-"], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert proc.stdin is not None
        proc.stdin.write("\n".join(lines) + "\n")
        proc.stdin.close()
        procs[ns] = proc
    failed = []
    for ns, proc in procs.items():
        assert proc.stderr is not None
        err = proc.stderr.read()
        proc.stderr.close()
        if proc.wait() != 0:
            failed.append(f"{ns}: {err.strip()}")
    if failed:
        raise NetopsError("ip failed in " + "; ".join(failed[:3]))


def namespaces() -> set[str]:
    try:
        return {p.name for p in NETNS_DIR.iterdir()}
    except FileNotFoundError:
        return set()


def link_exists(name: str) -> bool:
    return Path("/sys/class/net", name).exists()


def namespace_pids(names: Iterable[str]) -> dict[str, list[int]]:
    """PIDs living in each named namespace, found in one pass over /proc."""
    by_inode: dict[tuple[int, int], str] = {}
    for name in names:
        try:
            st = os.stat(NETNS_DIR / name)
        except OSError:
            continue
        by_inode[(st.st_dev, st.st_ino)] = name
    found: dict[str, list[int]] = {name: [] for name in by_inode.values()}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            st = os.stat(f"/proc/{entry.name}/ns/net")
        except OSError:
            continue
        owner = by_inode.get((st.st_dev, st.st_ino))
        if owner is not None:
            found[owner].append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped (kill -0 would say yes to a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def kill_pids(pids: Iterable[int], grace: float = 2.0) -> None:
    """SIGTERM (and SIGCONT, for a `hang`ed daemon), wait up to `grace` seconds, SIGKILL what is left;
    reap our own children."""
    pending = {p for p in pids if p > 1}
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pending:
            try:
                os.kill(pid, sig)
                if sig == signal.SIGTERM:
                    os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + (grace if sig == signal.SIGTERM else 5.0)
        while pending and time.monotonic() < deadline:
            _reap(pending)
            pending = {p for p in pending if alive(p)}
            if pending:
                time.sleep(0.05)
        if not pending:
            break
    _reap(set(pids))


def _reap(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
