"""Sign-in, sign-out, the interface language, and the landing page of each role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response
from sqlalchemy import select

from sitr.moderation.accounts import actor_for_password
from sitr.store.models import User
from sitr.web.i18n import LANGS
from sitr.web.pages import CONSOLE_ROLES, HOME_BY_ROLE, PREFIX, CsrfField, Page, PageDep, safe_next
from sitr.web.sessions import Session

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("")
@router.get("/")
def home(page: PageDep) -> Response:
    if page.actor is None:
        return page.redirect(PREFIX + "/login")
    return page.redirect(HOME_BY_ROLE.get(page.actor.role, PREFIX + "/login"))


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def _needs_https(page: Page) -> bool:
    """Session cookies are Secure: over plain http on anything but this machine, sign-in cannot stick."""
    url = page.request.url
    return page.state.codec.secure and url.scheme != "https" and (url.hostname or "") not in LOCAL_HOSTS


@router.get("/login")
def login_form(page: PageDep, next: Annotated[str, Query(max_length=2000)] = "") -> Response:
    return page.render("login.html", next=safe_next(next, ""), error=None, name="", needs_https=_needs_https(page))


@router.post("/login")
def login(
    page: PageDep,
    csrf: CsrfField = "",
    name: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    page.check_csrf(csrf)
    limiter = page.state.login_limiter
    if limiter.blocked(name):
        return page.render(
            "login.html", status=429, next=safe_next(next, ""), error="login.locked", name=name,
            needs_https=_needs_https(page),
        )
    actor = actor_for_password(page.svc.db, name, password) if name and password else None
    if actor is None or actor.role not in CONSOLE_ROLES or actor.id is None:
        limiter.failed(name)
        return page.render(
            "login.html", status=401, next=safe_next(next, ""), error="login.failed", name=name,
            needs_https=_needs_https(page),
        )
    limiter.succeeded(name)
    with page.svc.db.read() as session:
        password_hash = session.scalars(select(User.password_hash).where(User.id == actor.id)).one()
    page.session = Session.signed_in(actor.id, password_hash)
    page.new_session = True
    return page.redirect(safe_next(next, HOME_BY_ROLE[actor.role]))


@router.post("/logout")
def logout(page: PageDep, csrf: CsrfField = "") -> Response:
    page.check_csrf(csrf)
    page.session = Session.anonymous()
    page.new_session = True
    return page.redirect(PREFIX + "/login?notice=login.signed_out")


@router.get("/lang")
def set_lang(
    page: PageDep,
    to: Annotated[str, Query(max_length=8)] = "en",
    next: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    """Switch the interface language (a harmless, idempotent preference, so a plain link)."""
    response = page.redirect(safe_next(next))
    page.state.codec.write_lang(response, to if to in LANGS else "en")
    return response
