"""The portal in a real browser (Debian's chromium driven by Playwright): a PD clerk logs in, hands in a
correct draw.io diagram and reads "SESUAI", hands in one with an extra switch and sees the finding and
the picture; the Dinas dashboard shows the city map and a cut fibre after a sweep. Screenshots of every
page are kept in test-artifacts/ (ignored by git) for people to look at."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from netops.config import load_config
from netops.models.user import WebRole
from netops.store.db import Store
from netops.store.snapshots import save_snapshot
from netops.store.users import add_user
from tests.conftest import REPO
from tests.diagrams.conftest import observe, sample_inventory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
DRAWIO = REPO / "topology" / "diagrams" / "DISDUKCAPIL" / "2025-03-10-lan-disdukcapil.drawio"
EXTRA_SWITCH = REPO / "tests" / "diagrams" / "cases" / "extra_switch" / "diagram.yaml"
PASSWORD = "a long clerk password"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (scripts/setup.sh installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(scratch_store: str) -> Iterator[str]:
    import uvicorn

    from netops.web.app import create_app
    store = Store(scratch_store)
    add_user(store, "clerk", WebRole.pd, "DISDUKCAPIL", PASSWORD)
    add_user(store, "noc", WebRole.engineer, None, PASSWORD)
    inv = sample_inventory()
    save_snapshot(store, observe(inv, "DISDUKCAPIL"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(load_config(REPO / "netops.yaml")), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start within 20 s"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield b
        finally:
            b.close()


def _login(page, base: str, user: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/")
    assert page.url.endswith("/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_pd_clerk_hands_in_diagrams(server: str, browser, scratch_store: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    _login(page, server, "clerk")
    assert page.url.endswith("/pd/DISDUKCAPIL")
    assert "TERLAMBAT" in page.content()                           # never handed in: overdue, in Indonesian
    page.screenshot(path=str(ARTIFACTS / "pd-home.png"), full_page=True)
    page.set_input_files("input[name=file]", str(DRAWIO))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/submissions/*")
    assert "SESUAI" in page.inner_text(".verdict")
    assert page.locator(".picture svg").count() == 1
    page.screenshot(path=str(ARTIFACTS / "verdict-matches.png"), full_page=True)
    page.goto(f"{server}/pd/DISDUKCAPIL")
    page.set_input_files("input[name=file]", str(EXTRA_SWITCH))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/submissions/*")
    assert "TIDAK SESUAI" in page.inner_text(".verdict")
    assert "+ sw-disdukcapil-03" in page.inner_text("#changes")        # the Art. 21(2) change report
    findings = page.inner_text("table")
    assert "sw-disdukcapil-03" in findings                         # drawn, but not in the network
    assert page.locator(".picture svg").count() == 1
    page.screenshot(path=str(ARTIFACTS / "verdict-findings.png"), full_page=True)
    page.goto(f"{server}/pd/DISDUKCAPIL")
    assert "Tepat waktu" in page.content() and page.locator("#history tr").count() == 3
    assert page.goto(f"{server}/dashboard").status == 403         # a clerk never sees the city


def test_dashboard_map_and_a_cut_fibre(server: str, browser, scratch_store: str) -> None:  # type: ignore[no-untyped-def]
    inv = sample_inventory()
    cable = next(lid for lid, link in inv.links.items()
                 if {link.a.device, link.b.device} & {d.hostname for d in inv.devices_of("DISDUKCAPIL")})
    snapshot = observe(inv, "DISDUKCAPIL", cut=[cable])
    from netops.analysis.links import judge_links
    snapshot.links = judge_links(inv.links, snapshot.observations, {}, inv.devices)
    save_snapshot(Store(scratch_store), snapshot)
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    _login(page, server, "noc")
    assert page.url.endswith("/dashboard")
    assert page.locator("#citymap svg g.node").count() > 50
    assert cable in page.inner_text("#sweep") and "down" in page.inner_text("#sweep")
    before = page.get_attribute("#citymap svg", "viewBox")
    page.hover("#citymap svg")
    page.mouse.wheel(0, -400)                                      # zoom in
    page.wait_for_function(f"document.querySelector('#citymap svg').getAttribute('viewBox') !== {before!r}")
    page.click("#zoomreset")
    after = [float(v) for v in (page.get_attribute("#citymap svg", "viewBox") or "").split()]
    assert after == pytest.approx([float(v) for v in (before or "").split()], abs=0.01)
    node_id = page.evaluate("""() => { const d = JSON.parse(document.getElementById('citymap').dataset.details);
        return Object.keys(d.nodes).find(k => d.nodes[k].device === 'edge-disdukcapil-01'); }""")
    page.locator("#citymap g.node", has=page.locator(f"title:text-is('{node_id}')")).first.dispatch_event("click")
    assert "DISDUKCAPIL" in page.inner_text("#mapdetails") and page.locator("#mapdetails a").count() == 1
    page.locator("#citymap g.edge", has=page.locator(f"text:text-is('{cable}')")).first.dispatch_event("click")
    assert cable in page.inner_text("#mapdetails") and "down" in page.inner_text("#mapdetails")
    svg = page.request.get(f"{server}/dashboard/map.svg").text()
    assert svg.count("<g id=\"node") == len([d for d in inv.devices if any(
        d in (link.a.device, link.b.device) for link in inv.links.values())])
    assert "#b71c1c" in svg                                         # the cut fibre, coloured
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
