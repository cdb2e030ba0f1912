"""Diagram validation at and beyond the limits: time and peak memory, each case in its own process.

    .venv/bin/python benchmarks/diagram_limits.py [--sizes 1000,2000] [--formats yaml,json,csv,drawio,graphml]
                                                  [--no-hostile] [--picture]

Valid cases: a synthetic PD LAN of N devices (an edge router, a tree of switches with 48 ports,
access points) plus redundant cables up to the link limit for the largest size, written in each
format, read and checked against a sweep in which every device answered and sees every declared
neighbour over LLDP (the most work for the check). `--picture` also renders the HTML report with
its Graphviz picture. Hostile cases: files built to exhaust the old readers (a 1M-row CSV, a
500k-device JSON, a 120k-box draw.io, 40 compressed pages each under the per-page cap, 10 MB of blank CSV
lines or of empty XML elements); each must
be refused quickly with a one-line error. Every case runs in a fresh process, so "peak MB" is that
process's maximum resident set (VmHWM: Python and the imports included). "napalm s" is the one-off
import of NAPALM's interface-name table that the check's first name comparison pays (~0.5 s); "total s"
= read + napalm + check, what `diagram validate` spends on the diagram.
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import re
import resource
import subprocess
import sys
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
PD = "BENCH"


def lan(n: int, links: int, seed: int = 1) -> tuple[list[dict[str, Any]], list[tuple[str, str, str, str]]]:
    """Devices and cables (a_device, a_port, b_device, b_port) of a tree LAN plus redundant cables."""
    rng = random.Random(seed)
    devices = [{"name": "edge-bench-01", "role": "pd-edge", "model": "CCR2004", "mgmt_ip": "10.200.0.1"}]
    used: dict[str, int] = {"edge-bench-01": 0}
    cables: list[tuple[str, str, str, str]] = []

    def port(device: str) -> str:
        used[device] += 1
        return f"ether{used[device]}"

    parents = ["edge-bench-01"]
    for i in range(1, n):
        ap = i % 4 == 0
        name = f"{'ap' if ap else 'sw'}-bench-{i:04d}"
        devices.append({"name": name, "role": "ap" if ap else "access-switch", "model": "X",
                        "mgmt_ip": f"10.200.{i // 250}.{i % 250 + 2}", "serial": f"SN{i:06d}"})
        used[name] = 0
        parent = parents[(i - 1) // 48] if (i - 1) // 48 < len(parents) else parents[-1]
        cables.append((parent, port(parent), name, port(name)))
        if not ap:
            parents.append(name)
    names = [d["name"] for d in devices]
    while len(cables) < links:
        a, b = rng.sample(names, 2)
        cables.append((a, port(a), b, port(b)))
    return devices, cables


def as_yaml_or_json(devices: list[dict[str, Any]], cables: list[tuple[str, str, str, str]], fmt: str) -> bytes:
    doc = {"pd": PD, "devices": devices,
           "links": [{"a": {"device": a, "interface": ap}, "b": {"device": b, "interface": bp}} for a, ap, b, bp in cables]}
    if fmt == "json":
        return json.dumps(doc).encode()
    lines = [f"pd: {PD}", "devices:"]
    lines += ["  - {" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}" for d in devices]
    lines.append("links:")
    lines += [f"  - {{a: {{device: {a}, interface: {ap}}}, b: {{device: {b}, interface: {bp}}}}}" for a, ap, b, bp in cables]
    return ("\n".join(lines) + "\n").encode()


def as_csv(devices: list[dict[str, Any]], cables: list[tuple[str, str, str, str]]) -> bytes:
    rows = ["a_device,a_interface,b_device,b_interface"] + [",".join(c) for c in cables]
    return ("\n".join(rows) + "\n").encode()


def drawio_page(devices: list[dict[str, Any]], cables: list[tuple[str, str, str, str]]) -> str:
    cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
    ids = {d["name"]: f"d{i}" for i, d in enumerate(devices)}
    for d in devices:
        cells.append(f'<object id="{ids[d["name"]]}" label="{d["name"]}" ip="{d["mgmt_ip"]}" model="{d["model"]}">'
                     '<mxCell vertex="1" parent="1" style="shape=mxgraph.cisco.switches.workgroup_switch">'
                     '<mxGeometry width="50" height="40" as="geometry"/></mxCell></object>')
    for i, (a, ap, b, bp) in enumerate(cables):
        cells.append(f'<object id="e{i}" label="" source_interface="{ap}" target_interface="{bp}">'
                     f'<mxCell edge="1" parent="1" source="{ids[a]}" target="{ids[b]}">'
                     '<mxGeometry relative="1" as="geometry"/></mxCell></object>')
    return f'<mxGraphModel><root>{"".join(cells)}</root></mxGraphModel>'


def compress(xml: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(quote(xml, safe="").encode()) + packer.flush()).decode()


def as_drawio(devices: list[dict[str, Any]], cables: list[tuple[str, str, str, str]]) -> bytes:
    page = compress(drawio_page(devices, cables))
    return f'<mxfile host="bench"><diagram name="LAN">{page}</diagram></mxfile>'.encode()


def as_graphml(devices: list[dict[str, Any]], cables: list[tuple[str, str, str, str]]) -> bytes:
    parts = ['<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
             '<key id="l" for="node" attr.name="label" attr.type="string"/>',
             '<key id="ip" for="node" attr.name="ip" attr.type="string"/>',
             '<key id="s" for="edge" attr.name="source_interface" attr.type="string"/>',
             '<key id="t" for="edge" attr.name="target_interface" attr.type="string"/>',
             '<graph edgedefault="undirected">']
    parts += [f'<node id="{d["name"]}"><data key="l">{d["name"]}</data><data key="ip">{d["mgmt_ip"]}</data></node>'
              for d in devices]
    parts += [f'<edge source="{a}" target="{b}"><data key="s">{ap}</data><data key="t">{bp}</data></edge>'
              for a, ap, b, bp in cables]
    parts.append("</graph></graphml>")
    return "".join(parts).encode()


WRITERS = {"yaml": lambda d, c: as_yaml_or_json(d, c, "yaml"), "json": lambda d, c: as_yaml_or_json(d, c, "json"),
           "csv": as_csv, "drawio": as_drawio, "graphml": as_graphml}
EXTENSION = {"yaml": ".yaml", "json": ".json", "csv": ".csv", "drawio": ".drawio", "graphml": ".graphml"}


def hostile_files() -> dict[str, tuple[str, bytes]]:
    """Name -> (file name, bytes): the shapes that exhausted the readers before the limits."""
    rows = "a_device,a_interface,b_device,b_interface\n" + "".join(f"s{i},e1,s{i + 1},e2\n" for i in range(1_000_000))
    many = json.dumps({"devices": [{"name": f"d{i}"} for i in range(500_000)], "links": []})
    boxes = "".join(f'<mxCell id="v{i}" value="s{i}" vertex="1" style="shape=mxgraph.cisco"/>'
                    for i in range(120_000))
    drawio_boxes = f'<mxfile><diagram name="p"><mxGraphModel><root>{boxes}</root></mxGraphModel></diagram></mxfile>'
    filler = "<mxGraphModel><root>" + "<!--" + "x" * (9 * 2**20) + "--></root></mxGraphModel>"
    page = compress(filler)
    pages = "".join(f'<diagram name="p{i}">{page}</diagram>' for i in range(40))
    empty = b"<graphml><graph>" + b"<x/>" * (10 * 2**20 // 4 - 16) + b"</graph></graphml>"
    blank = b"a_device,a_interface,b_device,b_interface\n" + b"\n" * (10 * 2**20 - 64)
    return {"1M-row CSV": ("rows.csv", rows.encode()[: 10 * 2**20 - 1]),
            "10M blank CSV lines": ("blank.csv", blank),
            "2.6M empty XML elements": ("empty.graphml", empty),
            "500k-device JSON": ("many.json", many.encode()[: 10 * 2**20 - 2] + b"]}"),
            "120k-box draw.io": ("boxes.drawio", drawio_boxes.encode()),
            "40 pages of 9 MB": ("pages.drawio", f"<mxfile>{pages}</mxfile>".encode())}


def peak_mb() -> float:
    """This process's high-water resident set (VmHWM is per address space: not inherited across exec)."""
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str, fmt: str, picture: bool) -> None:
    """Runs in a fresh process: read + check (+ HTML) one file; prints a JSON line."""
    from netops.analysis.diagram_check import check_diagram
    from netops.errors import InputError
    from netops.models.inventory import Device
    from netops.models.observation import DeviceObservation, Snapshot
    from netops.report.diagram_html import ReportInput, render_html
    from netops.sources.diagrams import read_diagram_file

    data_read = time.perf_counter()
    try:
        read = read_diagram_file(Path(path))
    except InputError as exc:
        first = exc.issues[0]
        print(json.dumps({"refused": f"{first.field}: {first.message}", "lines": len(exc.issues),
                          "seconds": time.perf_counter() - data_read,
                          "peak_mb": peak_mb()}))
        return
    t_read = time.perf_counter() - data_read
    diagram = read.diagram
    inventory = {d.name: Device(hostname=d.name, mgmt_ip=str(d.mgmt_ip or "10.255.0.1"), platform="ios",
                                role=(d.role.value if d.role else "access-switch"), pd=PD, site="bench")
                 for d in diagram.devices}
    lldp: dict[str, dict[str, list[dict[str, str]]]] = {d.name: {} for d in diagram.devices}
    ports: dict[str, dict[str, dict[str, Any]]] = {d.name: {} for d in diagram.devices}
    for link in diagram.links:
        for near, far in ((link.a, link.b), (link.b, link.a)):
            lldp[near.device].setdefault(near.interface or "", []).append(
                {"remote_system_name": far.device, "remote_port": far.interface or "", "remote_port_description": ""})
            ports[near.device][near.interface or ""] = {"is_up": True, "is_enabled": True, "speed": 1000.0}
    now = datetime.now(UTC)
    snapshot = Snapshot(started_at=now, finished_at=now, actor="bench", request={}, observations={
        name: DeviceObservation(host=name, via="snmp", facts={"hostname": name}, interfaces=ports[name],
                                lldp_neighbors_detail=lldp[name]) for name in inventory})
    t0 = time.perf_counter()
    from netops.models.names import canonical_interface
    canonical_interface("Gi0/1")
    t_napalm = time.perf_counter() - t0
    t0 = time.perf_counter()
    check = check_diagram(diagram, PD, inventory, snapshot)
    t_check = time.perf_counter() - t0
    t_html = None
    if picture:
        t0 = time.perf_counter()
        render_html(ReportInput(PD, "Bench", path, read.format, diagram, check, read.notes, "bench"), "en")
        t_html = time.perf_counter() - t0
    print(json.dumps({"devices": len(diagram.devices), "links": len(diagram.links), "findings": len(check.findings),
                      "read_s": t_read, "napalm_s": t_napalm, "check_s": t_check, "html_s": t_html,
                      "peak_mb": peak_mb()}))


def run_case(path: Path, fmt: str, picture: bool) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(path), fmt] + (["--picture"] if picture else []),
                          capture_output=True, text=True, timeout=600, cwd=REPO, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1], "wall_s": time.perf_counter() - started}
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "wall_s": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000", help="device counts; the last gets the link limit")
    parser.add_argument("--formats", default="yaml,json,csv,drawio,graphml")
    parser.add_argument("--no-hostile", action="store_true")
    parser.add_argument("--picture", action="store_true", help="also render the HTML report with its picture")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.picture)
        return
    from netops.sources.diagrams.limits import MAX_LINKS

    work = REPO / "var" / "bench-diagrams"
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'case':32} {'devices':>7} {'links':>6} {'read s':>7} {'napalm s':>8} {'check s':>7} {'total s':>7} "
          f"{'html s':>7} {'peak MB':>7}")
    for n in sizes:
        links = MAX_LINKS if n == sizes[-1] else n - 1
        devices, cables = lan(n, links)
        for fmt in args.formats.split(","):
            path = work / f"lan-{n}{EXTENSION[fmt]}"
            path.write_bytes(WRITERS[fmt](devices, cables))
            r = run_case(path, fmt, args.picture)
            if "error" in r or "refused" in r:
                print(f"{fmt + ' ' + str(n):32} FAILED: {r.get('error') or r.get('refused')}")
                continue
            html = f"{r['html_s']:7.2f}" if r["html_s"] is not None else f"{'-':>7}"
            total = r["read_s"] + r["napalm_s"] + r["check_s"]
            print(f"{fmt + ' (' + str(path.stat().st_size // 1024) + ' KB)':32} {r['devices']:7} {r['links']:6} "
                  f"{r['read_s']:7.2f} {r['napalm_s']:8.2f} {r['check_s']:7.2f} {total:7.2f} {html} {r['peak_mb']:7.0f}")
    if args.no_hostile:
        return
    print(f"\n{'hostile file':32} {'MB':>5} {'refused in s':>12} {'peak MB':>7}  message")
    for label, (fname, data) in hostile_files().items():
        path = work / fname
        path.write_bytes(data)
        r = run_case(path, "", False)
        what = r.get("refused") or f"NOT REFUSED: {r}"
        print(f"{label:32} {len(data) / 2**20:5.1f} {r.get('seconds', float('nan')):12.2f} {r.get('peak_mb', 0):7.0f}"
              f"  {what}")


if __name__ == "__main__":
    main()
