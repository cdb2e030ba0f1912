"""Portal load on loopback: 50 concurrent diagram hand-ins (every one stored once, none lost, p95 time to
verdict) and the dashboard's server time for the whole sample city.

    .venv/bin/python benchmarks/web_bench.py [--uploads 50]

Targets (issue 16): verdict p95 under 2 s, dashboard under 1 s. Uses a scratch SQLite store.
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=50)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="netops-web-bench-"))
    os.environ["NETOPS_STORE"] = f"sqlite:///{tmp / 'bench.sqlite'}"
    import httpx
    import uvicorn

    from netops.config import load_config
    from netops.models.user import WebRole
    from netops.store.db import Store
    from netops.store.snapshots import save_snapshot
    from netops.store.submissions import submissions
    from netops.store.users import add_user, list_users
    from netops.web.app import create_app
    from tests.diagrams.conftest import observe, sample_inventory

    store = Store(os.environ["NETOPS_STORE"])
    for i in range(args.uploads):
        add_user(store, f"clerk{i}", WebRole.pd, "DISDUKCAPIL", "bench password")
    add_user(store, "noc", WebRole.engineer, None, "bench password")
    save_snapshot(store, observe(sample_inventory(), "DISDUKCAPIL"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(load_config(REPO / "netops.yaml")), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    drawio = (REPO / "topology/diagrams/DISDUKCAPIL/2025-03-10-lan-disdukcapil.drawio").read_bytes()

    def session(user: str) -> tuple[httpx.Client, str]:
        client = httpx.Client(base_url=base, timeout=60)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"username": user, "password": "bench password", "csrf": token})
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/pd/DISDUKCAPIL").text).group(1)  # type: ignore[union-attr]
        return client, token

    sessions = [session(f"clerk{i}") for i in range(args.uploads)]
    barrier = threading.Barrier(args.uploads)

    def upload(i: int) -> float:
        client, token = sessions[i]
        body = drawio.replace(b"</mxfile>", f"<!-- upload {i} -->\n</mxfile>".encode())   # distinct bytes each
        barrier.wait()
        started = time.perf_counter()
        response = client.post("/pd/DISDUKCAPIL/diagram", data={"csrf": token},
                               files={"file": (f"lan-{i}.drawio", body)}, follow_redirects=True)
        assert response.status_code == 200 and "SESUAI" in response.text, response.status_code
        return time.perf_counter() - started

    wall = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.uploads) as pool:
        times = sorted(pool.map(upload, range(args.uploads)))
    wall = time.perf_counter() - wall
    stored = submissions(store, "DISDUKCAPIL")
    p95 = times[int(0.95 * (len(times) - 1))]
    noc, _ = session("noc")
    dash = []
    for _ in range(5):
        started = time.perf_counter()
        assert noc.get("/dashboard").status_code == 200
        dash.append(time.perf_counter() - started)
    print(f"{'measure':40} {'value':>12} {'target':>10}")
    print(f"{'uploads sent / stored':40} {args.uploads:>5} / {len(stored):<5} {'all':>10}")
    print(f"{'distinct files stored':40} {len({s.sha256 for s in stored}):>12}")
    print(f"{'time to verdict median s':40} {statistics.median(times):>12.3f}")
    print(f"{'time to verdict p95 s':40} {p95:>12.3f} {'< 2':>10}")
    print(f"{'50 hand-ins wall s':40} {wall:>12.3f}")
    print(f"{'dashboard server time median s':40} {statistics.median(dash):>12.3f} {'< 1':>10}")
    print(f"(users: {len(list_users(store))}, load average {os.getloadavg()[0]:.1f})")
    server.should_exit = True


if __name__ == "__main__":
    main()
