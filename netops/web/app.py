"""The FastAPI application: pages (Jinja2, server-rendered) and a JSON API over the same app functions.

Routes only check who asks (`_user`, `_may_see`, `_may_change`), parse, call one function of netops.app,
and render. Anonymous requests see the login page only; a PD user sees only their PD; every POST needs
the session's CSRF token; every upload goes through the same safe readers as the CLI.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.middleware.sessions import SessionMiddleware

from netops.config import Config, load_config
from netops.errors import InputError, NetopsError, NotFoundError
from netops.models.user import User, WebRole
from netops.report.i18n import LANGS, t
from netops.sources.inventory import Inventory, load_inventory
from netops.store.db import Store
from netops.web import messages  # noqa: F401 - registers the portal's words
from netops.web.security import Throttle, check_csrf, csrf_token, session_secret

TEMPLATES = Path(__file__).parent / "templates"
UPLOAD_LIMIT = 10 * 1024 * 1024


class Portal:
    """What the routes share: configuration, inventory, store, templates, the login throttle."""

    def __init__(self, config: Config):
        self.config = config
        self.inventory: Inventory = load_inventory(config.inventory_dir, config.topology_dir)
        self.store = Store(config.store_url)
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
        self.throttle = Throttle()


def create_app(config: Config | None = None) -> FastAPI:
    portal = Portal(config or load_config())
    app = FastAPI(title="netops portal", version="1")
    app.add_middleware(SessionMiddleware, secret_key=session_secret(), same_site="lax", https_only=False,
                       session_cookie="netops_session", max_age=8 * 3600)
    from fastapi.staticfiles import StaticFiles
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                    "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    def lang_of(request: Request) -> str:
        wanted = request.query_params.get("lang")
        if wanted in LANGS:
            request.session["lang"] = wanted
        return str(request.session.get("lang", "id"))

    def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        lang = lang_of(request)
        html = portal.env.get_template(template).render(
            t=lambda key, **kw: t(key, lang, **kw), lang=lang, csrf=csrf_token(request),
            user=request.state.user if hasattr(request.state, "user") else None, **values)
        return HTMLResponse(html, status_code=status)

    def user_of(request: Request) -> User | None:
        name = request.session.get("user")
        if not name:
            return None
        from netops.store.users import get_user
        try:
            user = get_user(portal.store, str(name))
        except NotFoundError:
            return None
        return None if user.disabled else user

    def require(request: Request, pd: str | None = None, change: bool = False) -> User:
        user = user_of(request)
        if user is None:
            raise HTTPException(status_code=401, detail="log in first")
        if pd is not None and (pd not in portal.inventory.pds or not (user.may_change(pd) if change else user.may_see(pd))):
            raise HTTPException(status_code=403, detail="not your PD")
        request.state.user = user
        return user

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        if exc.status_code == 401:
            return RedirectResponse("/login", status_code=303)
        return page(request, "error.html.j2", status=exc.status_code, message=str(exc.detail))

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception) -> Response:   # never a traceback to a browser
        message = str(exc) if isinstance(exc, NetopsError) else "internal error; the Dinas has been told"
        status = 400 if isinstance(exc, NetopsError) else 500
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "error.html.j2", status=status, message=message)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        return page(request, "login.html.j2")

    @app.post("/login")
    def login(request: Request, username: str = Form(""), password: str = Form(""), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        from netops.store.users import authenticate
        address = request.client.host if request.client else "?"
        if portal.throttle.blocked(username, address):
            return page(request, "login.html.j2", status=429, error=t("web.login.throttled", lang_of(request)))
        user = authenticate(portal.store, username, password)
        if user is None:
            portal.throttle.failed(username, address)
            return page(request, "login.html.j2", status=401, error=t("web.login.failed", lang_of(request)))
        portal.throttle.succeeded(username, address)
        lang = request.session.get("lang", "id")
        request.session.clear()                      # a new session at login: no fixation
        request.session.update({"user": user.username, "lang": lang})
        return RedirectResponse("/", status_code=303)

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/")
    def home(request: Request) -> Response:
        user = require(request)
        return RedirectResponse(f"/pd/{user.pd}" if user.role == WebRole.pd else "/dashboard", status_code=303)

    @app.get("/pd/{pd}", response_class=HTMLResponse)
    def pd_page(request: Request, pd: str) -> Response:
        user = require(request, pd)
        from netops.app.portal import pd_overview
        return page(request, "pd.html.j2", o=pd_overview(portal.config, portal.inventory, portal.store, pd),
                    may_change=user.may_change(pd))

    @app.post("/pd/{pd}/diagram")
    async def upload(request: Request, pd: str, file: UploadFile | None = File(None), csrf: str = Form("")) -> Response:
        require(request, pd, change=True)
        check_csrf(request, csrf)
        if file is None:
            raise HTTPException(status_code=400, detail="choose a diagram file to send")
        data = await file.read(UPLOAD_LIMIT + 1)
        name = Path(file.filename or "diagram").name[:120] or "diagram"
        from netops.app.diagrams import submit_diagram
        try:
            if len(data) > UPLOAD_LIMIT:
                raise InputError.at(name, None, "(file)", f"over {UPLOAD_LIMIT // 2**20} MB; diagrams that large are refused")
            handed = submit_diagram(portal.inventory, portal.store, pd, name, data)
        except InputError as exc:
            from netops.app.portal import pd_overview
            return page(request, "pd.html.j2", status=400, o=pd_overview(portal.config, portal.inventory, portal.store, pd),
                        may_change=True, upload_error=str(exc))
        return RedirectResponse(f"/pd/{pd}/submissions/{handed.submission.id}", status_code=303)

    @app.get("/pd/{pd}/submissions/{submission_id}", response_class=HTMLResponse)
    def submission_page(request: Request, pd: str, submission_id: int) -> Response:
        require(request, pd)
        from netops.store.submissions import get_submission
        sub = get_submission(portal.store, submission_id)
        if sub.pd != pd:
            raise HTTPException(status_code=404, detail="no such submission for this PD")
        from netops.analysis.diagram_check import DiagramCheck
        from netops.app.diagrams import changes_since_previous
        from netops.report.diagram_html import diagram_svg
        svg = diagram_svg(sub.diagram, DiagramCheck(findings=sub.findings))
        return page(request, "submission.html.j2", sub=sub, pd=portal.inventory.pds[pd], code=pd, svg=svg,
                    changes=changes_since_previous(portal.store, sub))

    @app.post("/pd/{pd}/tickets")
    def open_ticket(request: Request, pd: str, summary: str = Form(""), csrf: str = Form("")) -> Response:
        user = require(request, pd, change=True)
        check_csrf(request, csrf)
        from netops.app.tickets import open_ticket as open_
        open_(portal.inventory, portal.store, pd, summary[:500], f"{user.username} (web)", "P3")
        return RedirectResponse(f"/pd/{pd}#tickets", status_code=303)

    @app.get("/dashboard", response_class=HTMLResponse)
    def dashboard_page(request: Request) -> Response:
        user = require(request)
        if user.role == WebRole.pd:
            raise HTTPException(status_code=403, detail="the dashboard is for the Dinas")
        from netops.app.portal import dashboard
        from netops.web.map import city_map
        duct = request.query_params.get("duct") or None
        svg, details = city_map(portal.config, portal.inventory, portal.store, duct)
        return page(request, "dashboard.html.j2", d=dashboard(portal.config, portal.inventory, portal.store),
                    request_duct=duct or "", map_svg=svg, map_details=details)

    @app.get("/dashboard/map.svg")
    def city_map(request: Request, duct: str | None = None) -> Response:
        user = require(request)
        if user.role == WebRole.pd:
            raise HTTPException(status_code=403, detail="the dashboard is for the Dinas")
        from netops.web.map import city_map_svg
        return Response(city_map_svg(portal.config, portal.inventory, portal.store, duct), media_type="image/svg+xml",
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    @app.get("/api/pds/{pd}")
    def api_pd(request: Request, pd: str) -> dict[str, Any]:
        require(request, pd)
        from netops.app.portal import pd_overview
        o = pd_overview(portal.config, portal.inventory, portal.store, pd)
        return {"pd": pd, "status": o["status"].model_dump(mode="json"), "verdict": o["verdict"], "routes": o["routes"],
                "vps": o["vps"], "submissions": [{"id": s.id, "received_at": s.received_at.isoformat(), "file": s.filename,
                                                  "verdict": s.verdict.value, "findings": len(s.findings)}
                                                 for s in o["submissions"]],
                "tickets": [tk.model_dump(mode="json") for tk in o["tickets"]]}

    @app.get("/api/pds/{pd}/submissions/{submission_id}")
    def api_submission(request: Request, pd: str, submission_id: int) -> dict[str, Any]:
        require(request, pd)
        from netops.store.submissions import get_submission
        sub = get_submission(portal.store, submission_id)
        if sub.pd != pd:
            raise HTTPException(status_code=404, detail="no such submission for this PD")
        return sub.model_dump(mode="json", exclude={"diagram"})

    @app.get("/api/dashboard")
    def api_dashboard(request: Request) -> dict[str, Any]:
        user = require(request)
        if user.role == WebRole.pd:
            raise HTTPException(status_code=403, detail="the dashboard is for the Dinas")
        from netops.app.portal import dashboard
        d = dashboard(portal.config, portal.inventory, portal.store)
        return {"verdicts": d["verdicts"], "overdue": [o["pd"] for o in d["overdue"]],
                "links_not_up": d["links_not_up"], "incidents": [i.model_dump(mode="json") for i in d["incidents"]],
                "duct_spofs": d["duct_spofs"]}

    return app
