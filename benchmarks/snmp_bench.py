#!/usr/bin/env python3
"""SNMP sweep benchmark: netops' asyncio client (v2c and v3) vs net-snmp's tools under xargs -P.

Devices are UDP ports on 127.0.0.1 served by one (or a few) real net-snmp `snmpd`, so the
agent is fast C and the same for both sides. As root, the whole run happens in a private network
namespace (unshare --net) holding `lo` plus --interfaces veth interfaces: the ifTable is then
fixed in size and no other process on the machine changes it, and no packet leaves it. Workloads:
  a  system group GET (6 varbinds)
  b  system GET + ifTable walk + lldpRemTable walk (snmpd has no LLDP data: that walk is empty)
  c  netops' "full" workload (every table the sweep reads); netops only, v2c and v3
Tools: netops (v2c), netops-v3 (authPriv SHA/AES, the same agents and user on every port),
net-snmp (v2c; workloads a and b only).
Our client runs in a child process whose CPU (time.process_time) is measured around the poll;
net-snmp's CPU is getrusage(RUSAGE_CHILDREN) around the xargs run (process starts included:
that is how net-snmp tools are used from a sweep). Only loopback traffic; every run is bounded
by count and time; agents are killed by PID.

    .venv/bin/python benchmarks/snmp_bench.py [--sizes 100,500,1000] [--concurrency 100] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.loopback_agents import stop_agents

SYSTEM_OIDS = [f"1.3.6.1.2.1.1.{i}.0" for i in range(1, 7)]
WALK_ROOTS = ["1.3.6.1.2.1.2.2", "1.0.8802.1.1.2.1.4.1"]  # ifTable, lldpRemTable
OUR_WORKLOAD = {"a": "system", "b": "links", "c": "full"}
V3_USER, V3_AUTH, V3_PRIV = "benchv3", "bench-auth-key", "bench-priv-key"  # local test agent only
TOOLS = ("netops", "netops-v3", "net-snmp")
TICKS = os.sysconf("SC_CLK_TCK")


def private_netns(args: argparse.Namespace) -> bool:
    """Re-exec inside `unshare --net` (root only); inside, bring lo up and add dummy interfaces."""
    if os.environ.get("SNMP_BENCH_NETNS") == "1":
        pairs = (args.interfaces + 1) // 2  # veth pairs: no `dummy` module on every kernel
        batch = ["link set lo up"] + [f"link add port{2 * i} type veth peer name port{2 * i + 1}"
                                      for i in range(pairs)]
        batch += [f"link set port{i} up" for i in range(2 * pairs)]
        subprocess.run(["ip", "-batch", "-"], input="\n".join(batch) + "\n", text=True, check=True,
                       timeout=30)
        return True
    if args.no_netns or os.geteuid() != 0 or not shutil.which("unshare"):
        print("note: running in the host network namespace; ifTable size is whatever this host has",
              file=sys.stderr)
        return False
    os.execvpe("unshare", ["unshare", "--net", "--", sys.executable, __file__, *sys.argv[1:]],
               {**os.environ, "SNMP_BENCH_NETNS": "1"})
    raise AssertionError("unreachable")


def reserve_ports(n: int) -> list[int]:
    """n distinct free UDP ports on 127.0.0.1 (held open together so none repeats)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            socks.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def start_agents(ports: list[int], count: int, workdir: Path) -> list[subprocess.Popen]:
    """`count` snmpd processes sharing the ports round-robin; listening addresses on the command line
    (snmpd.conf lines are limited to 1 KB, too short for 1,000 agentaddress entries)."""
    snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
    procs = []
    for k in range(count):
        d = workdir / f"agent{k}"
        (d / "persist").mkdir(parents=True)
        (d / "snmpd.conf").write_text(
            f"rocommunity public 127.0.0.1\nsysName bench-agent\nrouser {V3_USER} priv\n"
            f'createUser {V3_USER} SHA "{V3_AUTH}" AES "{V3_PRIV}"\n')
        procs.append(subprocess.Popen(
            [snmpd, "-f", "-Lf", str(d / "snmpd.log"), "-C", "-c", str(d / "snmpd.conf"),
             "-p", str(d / "snmpd.pid"), *[f"udp:127.0.0.1:{p}" for p in ports[k::count]]],
            env={**os.environ, "SNMP_PERSISTENT_DIR": str(d / "persist"), "MIBS": ""},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs


def agent_cpu(procs: list[subprocess.Popen]) -> float:
    total = 0
    for p in procs:
        fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def wait_ready(ports: list[int], limit_s: float = 20.0) -> None:
    """Every agent answers a probe (bounded)."""
    for port in ports:
        subprocess.run(["snmpget", "-v2c", "-c", "public", "-m", "", "-t", "1", "-r", str(int(limit_s)),
                        f"127.0.0.1:{port}", SYSTEM_OIDS[0]], check=True, capture_output=True,
                       timeout=limit_s + 5)


def netsnmp_lines(ports: list[int], workload: str, timeout: float, retries: int, max_rep: int) -> str:
    common = f'-v2c -c public -m "" -On -t {timeout:g} -r {retries}'
    lines = []
    for port in ports:
        lines.append(f"snmpget {common} 127.0.0.1:{port} {' '.join(SYSTEM_OIDS)}")
        if workload == "b":
            lines += [f"snmpbulkwalk {common} -Cr{max_rep} 127.0.0.1:{port} {root}" for root in WALK_ROOTS]
    return "\n".join(lines) + "\n"


def run_netsnmp(ports: list[int], workload: str, args: argparse.Namespace) -> dict:
    cmds = netsnmp_lines(ports, workload, args.timeout, args.retries, args.max_repetitions)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(["xargs", "-P", str(args.concurrency), "-L", "1", "env"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(cmds, timeout=args.run_limit)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        raise SystemExit(f"net-snmp run exceeded {args.run_limit}s") from exc
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    varbinds = sum(1 for line in out.splitlines()
                   if line.startswith(".") and "No Such" not in line and "No more variables" not in line)
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "varbinds": varbinds, "failures": err.count("Timeout")}


def run_ours(ports: list[int], workload: str, args: argparse.Namespace, v3: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--child", OUR_WORKLOAD[workload], "--ports", ",".join(map(str, ports)),
           "--concurrency", str(args.concurrency), "--timeout", str(args.timeout),
           "--retries", str(args.retries), "--max-repetitions", str(args.max_repetitions),
           *(["--v3"] if v3 else [])]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.run_limit, check=True)
    return json.loads(out.stdout)


def child(args: argparse.Namespace) -> None:
    """Runs in its own process: poll, and report wall/CPU of the poll alone."""
    from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
    from netops.collect.snmp.poll import DeviceSnmpData, run_poll

    creds = (SnmpCredentials.v3(V3_USER, auth_protocol="sha", auth_key=V3_AUTH, priv_protocol="aes",
                                priv_key=V3_PRIV) if args.v3 else SnmpCredentials.v2c("public"))
    targets = [SnmpTarget(name=f"dev{i}", host="127.0.0.1", port=int(p), credentials=creds)
               for i, p in enumerate(args.ports.split(","))]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    results = run_poll(targets, args.child, concurrency=args.concurrency, timeout=args.timeout,
                       retries=args.retries, max_repetitions=args.max_repetitions)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    ok = [r for r in results.values() if isinstance(r, DeviceSnmpData)]
    print(json.dumps({"wall": wall, "cpu": cpu, "varbinds": sum(r.varbinds for r in ok),
                      "failures": len(results) - len(ok),
                      "reasons": sorted({r.reason for r in results.values() if not isinstance(r, DeviceSnmpData)})}))


def measure(args: argparse.Namespace) -> list[dict]:
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="snmp-bench-") as tmp:
        ports = reserve_ports(max(sizes))
        agents = start_agents(ports, args.agents, Path(tmp))
        try:
            wait_ready(ports[:args.agents])
            run_ours(ports, "a", args)  # warm-up: every listening socket and snmpd's caches
            runners = {"netops": run_ours, "netops-v3": lambda *a: run_ours(*a, v3=True),
                       "net-snmp": run_netsnmp}
            for n in sizes:
                for workload in args.workloads.split(","):
                    for tool in args.tools.split(","):
                        if tool == "net-snmp" and workload == "c":
                            continue
                        a0 = agent_cpu(agents)
                        r = runners[tool](ports[:n], workload, args)
                        r.update(n=n, workload=workload, tool=tool, agent_cpu=agent_cpu(agents) - a0,
                                 devices_per_s=n / r["wall"],
                                 cpu_ms_per_1k_varbinds=1e6 * r["cpu"] / max(r["varbinds"], 1))
                        rows.append(r)
        finally:
            stop_agents(agents)
    return rows


def table(rows: list[dict]) -> str:
    out = [("| N | workload | tool | wall s | devices/s | varbinds | client CPU s | CPU ms / 1k varbinds "
            "| agent CPU s | failures |"), "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['n']} | {r['workload']} | {r['tool']} | {r['wall']:.2f} | {r['devices_per_s']:.0f} "
                   f"| {r['varbinds']} | {r['cpu']:.2f} | {r['cpu_ms_per_1k_varbinds']:.1f} "
                   f"| {r['agent_cpu']:.2f} | {r['failures']} |")
    by = {(r["n"], r["workload"], r["tool"]): r for r in rows}
    out += ["", "| N | workload | compared | devices/s ratio | CPU per varbind ratio |", "|---|---|---|---|---|"]
    for (n, workload, tool), r in by.items():
        ref = by.get((n, workload, "net-snmp" if tool == "netops" else "netops"))
        if tool == "net-snmp" or ref is None:
            continue
        out.append(f"| {n} | {workload} | {tool} / {ref['tool']} | {r['devices_per_s'] / ref['devices_per_s']:.2f}x "
                   f"| {r['cpu_ms_per_1k_varbinds'] / ref['cpu_ms_per_1k_varbinds']:.2f}x |")
    return "\n".join(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,500,1000")
    p.add_argument("--workloads", default="a,b", help="a, b and/or c (see above)")
    p.add_argument("--tools", default="netops,net-snmp", help=f"any of {','.join(TOOLS)}")
    p.add_argument("--concurrency", type=int, default=100)
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--retries", type=int, default=1)
    p.add_argument("--max-repetitions", type=int, default=25)
    p.add_argument("--agents", type=int, default=1, help="snmpd processes sharing the device ports")
    p.add_argument("--run-limit", type=float, default=300.0, help="seconds any single run may take")
    p.add_argument("--interfaces", type=int, default=24,
                   help="veth interfaces in the private netns (rounded up to even)")
    p.add_argument("--no-netns", action="store_true", help="stay in the host network namespace")
    p.add_argument("--json", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--ports", help=argparse.SUPPRESS)
    p.add_argument("--v3", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return
    if max(int(s) for s in args.sizes.split(",")) > 5000:
        raise SystemExit("at most 5,000 simulated devices")
    if not set(args.tools.split(",")) <= set(TOOLS) or not set(args.workloads.split(",")) <= set(OUR_WORKLOAD):
        raise SystemExit(f"--tools: any of {','.join(TOOLS)}; --workloads: any of a,b,c")
    if not 0 <= args.interfaces <= 200:
        raise SystemExit("--interfaces must be within 0..200")
    private_netns(args)
    rows = measure(args)
    print(json.dumps(rows, indent=2) if args.json else table(rows))


if __name__ == "__main__":
    main()
