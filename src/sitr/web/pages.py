"""What every console page needs: the signed-in actor, the language, the CSRF token, rendering and errors.

`Page` is a FastAPI dependency: it reads the session cookie, reloads the user on every request (so disabling
an account or changing its role or password takes effect at once), and picks the interface language. Pages
call `page.need(role, ...)` first; a browser without a session is sent to the sign-in page, a signed-in user
without the role gets a 403 page. Errors render as HTML pages here, never as the API's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from sqlalchemy import select

from sitr.moderation.accounts import to_actor
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict, Forbidden, ModerationError, NotFound
from sitr.store.models import User
from sitr.web.i18n import LANGS, NATIVE_NAMES, Translator, pick_lang
from sitr.web.sessions import LANG_COOKIE, Session, SessionCodec, fingerprint

PREFIX = "/console"
STATIC = PREFIX + "/static"
CONSOLE_ROLES: tuple[str, ...] = ("admin", "reviewer", "partner", "auditor")
HOME_BY_ROLE: dict[str, str] = {
    "reviewer": PREFIX + "/queue",
    "partner": PREFIX + "/partner",
    "admin": PREFIX + "/admin",
    "auditor": PREFIX + "/stats",
}


@dataclass
class WebState:
    services: Services
    codec: SessionCodec
    env: Environment
    login_limiter: Any  # sitr.web.limiter.LoginLimiter


class WebError(Exception):
    """Rendered as an error page: `key` is an i18n key, never free text from a request."""

    def __init__(self, status: int, key: str, detail: str | None = None) -> None:
        super().__init__(key)
        self.status, self.key, self.detail = status, key, detail


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def safe_next(value: str | None, default: str = PREFIX + "/") -> str:
    """Only paths inside the console: an open redirect after sign-in would be a phishing tool."""
    if not value or len(value) > 2000 or "\\" in value or ".." in value or any(ord(ch) < 32 for ch in value):
        return default
    parts = urlsplit(value)
    inside = parts.path == PREFIX or parts.path.startswith(PREFIX + "/")
    if parts.scheme or parts.netloc or not inside:
        return default
    return value


def moderation_error_key(exc: ModerationError) -> str:
    if isinstance(exc, Forbidden):
        return "err.forbidden_action"
    if isinstance(exc, NotFound):
        return "err.not_found"
    if isinstance(exc, Conflict):
        return "err.conflict"
    return "err.invalid"


@dataclass
class Page:
    request: Request
    state: WebState
    session: Session
    actor: Actor | None
    t: Translator
    new_session: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def svc(self) -> Services:
        return self.state.services

    @property
    def lang(self) -> str:
        return self.t.lang

    def need(self, *roles: str) -> Actor:
        if self.actor is None:
            url = self.request.url
            raise LoginRequired(url.path + (f"?{url.query}" if url.query else ""))
        if self.actor.role not in roles:
            raise WebError(403, "err.forbidden")
        return self.actor

    def check_csrf(self, token: str | None) -> None:
        if not self.session.csrf_ok(token):
            raise WebError(403, "err.csrf")

    def context(self, **values: Any) -> dict[str, Any]:
        url = self.request.url
        here = url.path + (f"?{url.query}" if url.query else "")
        return {
            "t": self.t,
            "lang": self.t.lang,
            "dir": self.t.dir,
            "langs": [(code, NATIVE_NAMES[code]) for code in LANGS],
            "actor": self.actor,
            "csrf": self.session.csrf,
            "static": STATIC,
            "prefix": PREFIX,
            "here": here,
            "here_q": quote(here, safe=""),
            "path": url.path,
            "notices": [k for k in self.notices if self.t.has(k)],
            "now": self.svc.now(),
            **values,
        }

    def finish(self, response: Response) -> Response:
        if self.new_session:
            self.state.codec.write(response, self.session)
        return response

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.state.env.get_template(template).render(self.context(**values))
        response = HTMLResponse(html, status_code=status)
        self.finish(response)
        return response

    def redirect(self, url: str) -> Response:
        return self.finish(RedirectResponse(url, status_code=303))


def _actor_for(state: WebState, session: Session) -> Actor | None:
    if session.user_id is None:
        return None
    with state.services.db.read() as db_session:
        user = db_session.scalars(select(User).where(User.id == session.user_id)).one_or_none()
        if user is None or not user.active or user.role not in CONSOLE_ROLES:
            return None
        if fingerprint(user.password_hash) != session.fingerprint or not user.password_hash:
            return None
        return to_actor(user)


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def current_page(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Page:
    session = state.codec.loads(request.cookies.get("sitr_session"))
    new = session is None
    if session is None:
        session = Session.anonymous()
    actor = _actor_for(state, session)
    lang = pick_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
    notices = [n for n in request.query_params.getlist("notice")[:3] if n.isascii() and len(n) < 64]
    return Page(request, state, session, actor, Translator(lang), new_session=new, notices=notices)


PageDep = Annotated[Page, Depends(current_page)]
CsrfField = Annotated[str, Form()]


def time_left(deadline: datetime | None, now: datetime, t: Translator) -> dict[str, Any]:
    """`{"text": "1 h 05 min left", "overdue": False, "urgent": True}` for a deadline."""
    if deadline is None:
        return {"text": "", "overdue": False, "urgent": False, "minutes": None}
    minutes = int((deadline - now).total_seconds() // 60)
    overdue = minutes < 0
    span = abs(minutes)
    days, rest = divmod(span, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        amount = t("time.dh", d=days, h=hours)
    elif hours:
        amount = t("time.hm", h=hours, m=f"{mins:02d}")
    else:
        amount = t("time.m", m=mins)
    text = t("time.overdue", amount=amount) if overdue else t("time.left", amount=amount)
    return {"text": text, "overdue": overdue, "urgent": not overdue and minutes < 30, "minutes": minutes}


def duration(seconds: int | None, t: Translator) -> str:
    if seconds is None:
        return ""
    minutes = max(0, seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t("time.dh", d=days, h=hours)
    if hours:
        return t("time.hm", h=hours, m=f"{mins:02d}")
    return t("time.m", m=mins)
