"""Administration (users, roles, reviewer languages, API keys, the active policy) and oversight figures.

Admins manage accounts but do not read content; auditors see aggregates only (small counts suppressed) and
the integrity check of the moderation log.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from sitr.moderation.accounts import add_user, create_key, revoke_key
from sitr.moderation.errors import ModerationError
from sitr.moderation.stats import aggregates
from sitr.store.events import verify_chain
from sitr.store.models import ROLES
from sitr.types import THREATS
from sitr.web import admin_ops, queries
from sitr.web.pages import PREFIX, CsrfField, Page, PageDep, moderation_error_key

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _policy_view(policy: Any) -> dict[str, Any]:
    return {
        "version": policy.version,
        "name": policy.name,
        "effective_from": str(policy.effective_from),
        "threats": [
            {
                "threat": t,
                "review_at": policy.threats[t].review_at,
                "auto_action_at": policy.threats[t].auto_action_at,
                "severity": policy.threats[t].severity,
                "deadline": policy.threats[t].review_deadline_minutes,
                "actions_auto": list(policy.threats[t].actions_auto),
                "clause": policy.threats[t].ground_reference,
            }
            for t in THREATS
        ],
    }


def _admin(
    page: Page,
    *,
    status: int = 200,
    error: str | None = None,
    detail: str | None = None,
    new_key: dict[str, str] | None = None,
) -> Response:
    page.need("admin")
    return page.render(
        "admin.html",
        status=status,
        users=queries.accounts(page.svc),
        roles=ROLES,
        policy=_policy_view(page.svc.policy),
        error=error,
        detail=detail,
        new_key=new_key,
    )


@router.get("/admin")
def admin(page: PageDep) -> Response:
    return _admin(page)


@router.post("/admin/users")
def create_user(
    page: PageDep,
    csrf: CsrfField = "",
    name: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    languages: Annotated[str, Form(max_length=400)] = "",
    varieties: Annotated[str, Form(max_length=800)] = "",
    organisation: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    page.need("admin")
    page.check_csrf(csrf)
    try:
        add_user(
            page.svc.db,
            name.strip(),
            role,
            languages=admin_ops.check_languages(admin_ops.split_codes(languages)),
            varieties=admin_ops.check_varieties(admin_ops.split_codes(varieties)),
            organisation=organisation.strip() or None,
            password=password or None,
        )
    except ModerationError as exc:
        return _admin(page, status=exc.status, error=moderation_error_key(exc), detail=exc.message)
    return page.redirect(PREFIX + "/admin?notice=admin.user_created")


@router.post("/admin/users/{user_id}")
def edit_user(
    page: PageDep,
    user_id: int,
    csrf: CsrfField = "",
    role: Annotated[str, Form(max_length=16)] = "",
    languages: Annotated[str, Form(max_length=400)] = "",
    varieties: Annotated[str, Form(max_length=800)] = "",
    organisation: Annotated[str, Form(max_length=128)] = "",
    active: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    admin_actor = page.need("admin")
    page.check_csrf(csrf)
    try:
        admin_ops.update_user(
            page.svc.db,
            admin_actor,
            user_id,
            role=role,
            languages=admin_ops.split_codes(languages),
            varieties=admin_ops.split_codes(varieties),
            organisation=organisation,
            active=active == "on",
        )
    except ModerationError as exc:
        return _admin(page, status=exc.status, error=moderation_error_key(exc), detail=exc.message)
    return page.redirect(PREFIX + "/admin?notice=admin.user_saved")


@router.post("/admin/users/{user_id}/password")
def change_password(
    page: PageDep,
    user_id: int,
    csrf: CsrfField = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    page.need("admin")
    page.check_csrf(csrf)
    try:
        admin_ops.set_password(page.svc.db, user_id, password)
    except ModerationError as exc:
        return _admin(page, status=exc.status, error=moderation_error_key(exc), detail=exc.message)
    return page.redirect(PREFIX + "/admin?notice=admin.password_set")


@router.post("/admin/keys")
def new_key(
    page: PageDep,
    csrf: CsrfField = "",
    user: Annotated[str, Form(max_length=64)] = "",
    label: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """The key is shown once, in this response only (never in a URL, a redirect or a log)."""
    page.need("admin")
    page.check_csrf(csrf)
    try:
        key = create_key(page.svc.db, user, label.strip() or None)
    except ModerationError as exc:
        return _admin(page, status=exc.status, error=moderation_error_key(exc), detail=exc.message)
    page.notices.append("admin.key_created")
    return _admin(page, new_key={"key": key.key, "user": key.user, "prefix": key.prefix})


@router.post("/admin/keys/revoke")
def revoke(
    page: PageDep,
    csrf: CsrfField = "",
    prefix: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    page.need("admin")
    page.check_csrf(csrf)
    count = revoke_key(page.svc.db, prefix) if prefix else 0
    return page.redirect(PREFIX + "/admin?notice=" + ("admin.key_revoked" if count else "err.not_found"))


@router.get("/stats")
def stats(page: PageDep) -> Response:
    page.need("auditor", "admin")
    with page.svc.db.read() as session:
        chain = verify_chain(session).to_dict()
    return page.render("stats.html", figures=aggregates(page.svc), chain=chain)
