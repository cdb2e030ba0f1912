"""Who may see and change what, over every route of the OpenAPI list; CSRF; throttling; hostile input."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO
from tests.web.conftest import csrf_of, login

DIAGRAM = REPO / "topology" / "diagrams" / "DISDUKCAPIL" / "2025-03-10-lan-disdukcapil.drawio"


def concrete(path: str, pd: str = "DISDUKCAPIL") -> str:
    return path.replace("{pd}", pd).replace("{submission_id}", "1")


def test_anonymous_sees_only_the_login_page(portal: TestClient):
    paths = portal.app.openapi()["paths"]
    assert len(paths) >= 10
    for path, methods in paths.items():
        for method in methods:
            response = portal.request(method.upper(), concrete(path))
            if path == "/login":
                assert response.status_code in (200, 403)          # the form, or a POST without CSRF
            elif path.startswith("/api/"):
                assert response.status_code == 401, (method, path)
            else:
                assert response.status_code in (303, 403), (method, path, response.status_code)
                if response.status_code == 303:
                    assert response.headers["location"] == "/login", (method, path)


def test_a_pd_user_cannot_reach_another_pd_by_url_or_api(portal: TestClient):
    assert login(portal, "bapenda") == 303
    csrf = csrf_of(portal, "/pd/BAPENDA")
    for path, methods in portal.app.openapi()["paths"].items():
        if "{pd}" not in path:
            continue
        for method in methods:
            kwargs = {"data": {"csrf": csrf, "summary": "x"}} if method == "post" else {}
            if path.endswith("/diagram"):
                kwargs["files"] = {"file": ("d.drawio", DIAGRAM.read_bytes())}
            response = portal.request(method.upper(), concrete(path, "DISDUKCAPIL"), **kwargs)
            assert response.status_code == 403, (method, path, response.status_code)
    assert portal.get("/dashboard").status_code == 403 and portal.get("/api/dashboard").status_code == 403
    assert portal.get("/pd/BAPENDA").status_code == 200


def test_submissions_of_one_pd_are_not_readable_under_another(portal: TestClient):
    login(portal, "disduk")
    csrf = csrf_of(portal, "/pd/DISDUKCAPIL")
    response = portal.post("/pd/DISDUKCAPIL/diagram", data={"csrf": csrf},
                           files={"file": (DIAGRAM.name, DIAGRAM.read_bytes())})
    assert response.status_code == 303
    sub_id = int(response.headers["location"].rsplit("/", 1)[1])
    portal.post("/logout", data={"csrf": csrf})
    login(portal, "eng")
    assert portal.get(f"/pd/BAPENDA/submissions/{sub_id}").status_code == 404     # not BAPENDA's
    assert portal.get(f"/pd/DISDUKCAPIL/submissions/{sub_id}").status_code == 200  # the Dinas sees every PD


@pytest.mark.parametrize("path, data", [("/pd/DISDUKCAPIL/tickets", {"summary": "x"}), ("/logout", {})])
def test_forms_without_csrf_are_refused(portal: TestClient, path: str, data: dict):
    login(portal, "disduk")
    assert portal.post(path, data=data).status_code == 403
    assert portal.post(path, data={**data, "csrf": "forged"}).status_code == 403
    assert portal.post("/login", data={"username": "disduk", "password": "x"}).status_code == 403


def test_login_is_throttled_and_disabled_users_are_out(portal: TestClient, scratch_store: str):
    for _ in range(5):
        assert login(portal, "desk", "wrong") == 401
    assert login(portal, "desk") == 429                          # even the right password, for 5 minutes
    assert login(portal, "eng") == 303
    from netops.store.db import Store
    from netops.store.users import set_disabled
    set_disabled(Store(scratch_store), "eng", True)
    assert portal.get("/dashboard").status_code == 303            # the session ends at the next request


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_hostile_text_is_escaped_in_every_page(portal: TestClient):
    login(portal, "disduk")
    csrf = csrf_of(portal, "/pd/DISDUKCAPIL")
    assert portal.post("/pd/DISDUKCAPIL/tickets", data={"csrf": csrf, "summary": HOSTILE}).status_code == 303
    diagram = ("pd: DISDUKCAPIL\ndevices:\n  - {name: 'sw-x', role: access-switch}\n"
               f"links:\n  - {{a: {{device: 'sw-x', interface: '{HOSTILE.replace(chr(39), '')}'}}, "
               "b: {device: edge-disdukcapil-01, interface: ether5}}\n")
    response = portal.post("/pd/DISDUKCAPIL/diagram", data={"csrf": csrf},
                           files={"file": ("evil<script>.yaml", diagram.encode())})
    pages = [portal.get("/pd/DISDUKCAPIL").text]
    if response.status_code == 303:
        pages.append(portal.get(response.headers["location"]).text)
    else:
        pages.append(response.text)
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "onerror=alert(2)>" not in html


@pytest.mark.parametrize("name, content, message", [
    ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unknown diagram format"),
    ("xxe.drawio", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><mxfile>&e;</mxfile>', "DTD"),
    ("huge.drawio", b"<mxfile>" + b" " * (10 * 2**20 + 10) + b"</mxfile>", "refused"),
    ("other-pd.yaml", b"pd: BAPENDA\ndevices:\n  - {name: edge-bapenda-01, role: pd-edge}\nlinks: []\n", "not of DISDUKCAPIL"),
    ("empty.yaml", b"pd: DISDUKCAPIL\ndevices: []\nlinks: []\n", "declares no devices"),
])
def test_hostile_uploads_are_a_message_on_the_page_never_a_500(portal: TestClient, name: str, content: bytes, message: str):
    login(portal, "disduk")
    response = portal.post("/pd/DISDUKCAPIL/diagram", data={"csrf": csrf_of(portal, "/pd/DISDUKCAPIL")},
                           files={"file": (name, content)})
    assert response.status_code == 400 and message in response.text and "Traceback" not in response.text
    assert re.search(r'role="alert"', response.text)


def test_auditor_reads_everything_and_changes_nothing(portal: TestClient):
    login(portal, "audit")
    assert portal.get("/dashboard").status_code == 200 and portal.get("/pd/BAPENDA").status_code == 200
    csrf = csrf_of(portal, "/pd/BAPENDA")
    assert portal.post("/pd/BAPENDA/tickets", data={"csrf": csrf, "summary": "x"}).status_code == 403
    assert 'name="file"' not in portal.get("/pd/BAPENDA").text
