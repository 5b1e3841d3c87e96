"""Mounting the console into the service's FastAPI app.

`mount(app)` adds the pages under /console, their bundled assets under /console/static, HTML error pages for
the console's own errors, and strict security headers on console responses. Pages call the moderation
services in-process, the same functions the API routes call, so both record exactly the same events.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitr.moderation.context import Services
from sitr.web import routes_admin, routes_auth, routes_partner, routes_review
from sitr.web.i18n import Translator, pick_lang
from sitr.web.limiter import LoginLimiter
from sitr.web.pages import PREFIX, STATIC, LoginRequired, WebError, WebState, safe_next
from sitr.web.sessions import LANG_COOKIE, SessionCodec, key_from_cipher

# No inline scripts or styles, no third-party origin: every asset ships in sitr/web/static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class ConsoleHeaders:
    """Security headers on every console response; pages (not assets) are never cached: they hold content."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        is_asset = path.startswith(STATIC + "/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if not is_asset:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sitr.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["hm"] = _hm
    env.filters["pct"] = lambda v: f"{float(v) * 100:.0f}"
    return env


def _hm(value: datetime | str | None) -> str:
    """UTC date and time, unambiguous in every language: 2026-03-02 09:05 UTC."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    else:
        moment = value
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _error_page(state: WebState, request: Request, status: int, key: str, detail: str | None) -> HTMLResponse:
    lang = pick_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
    t = Translator(lang)
    html = state.env.get_template("error.html").render(
        t=t, lang=t.lang, dir=t.dir, static=STATIC, prefix=PREFIX, status=status, key=key, detail=detail
    )
    return HTMLResponse(html, status_code=status)


def mount(
    app: FastAPI,
    services: Services | None = None,
    *,
    secure_cookies: bool = True,
    session_key: bytes | None = None,
) -> None:
    """Add the reviewer console and partner portal to `app` (call before the app starts serving).

    `services` defaults to `app.state.services` (set by sitr.api.app.create_app). Cookies are Secure unless
    `secure_cookies=False`, which only tests on plain http://127.0.0.1 should pass.
    """
    svc: Services = services if services is not None else app.state.services
    key = session_key if session_key is not None else key_from_cipher(svc.cipher)
    state = WebState(
        services=svc,
        codec=SessionCodec(key, secure=secure_cookies),
        env=_environment(),
        login_limiter=LoginLimiter(),
    )
    app.state.web = state
    app.mount(STATIC, StaticFiles(packages=[("sitr.web", "static")]), name="console-static")
    for router in (routes_auth.router, routes_review.router, routes_partner.router, routes_admin.router):
        app.include_router(router)

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return _error_page(state, request, exc.status, exc.key, exc.detail)

    @app.exception_handler(LoginRequired)
    async def login_required(_request: Request, exc: LoginRequired) -> Response:
        from urllib.parse import quote

        target = safe_next(exc.next_url)
        return RedirectResponse(f"{PREFIX}/login?next={quote(target, safe='')}", status_code=303)

    if not any(getattr(r, "path", None) == "/" for r in app.router.routes):

        @app.get("/", include_in_schema=False)
        def root() -> Response:
            return RedirectResponse(PREFIX + "/", status_code=303)

    app.add_middleware(ConsoleHeaders)

