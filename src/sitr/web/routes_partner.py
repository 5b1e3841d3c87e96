"""The partner portal: escalate an item, follow one's own escalations. A partner sees nothing else; another
partner's escalation reads as not found (404), exactly like one that does not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from sitr.moderation.errors import ModerationError
from sitr.moderation.escalations import escalate, list_escalations
from sitr.types import MAX_ID_CHARS, THREATS, Item, ItemError
from sitr.web import queries
from sitr.web.pages import PREFIX, CsrfField, Page, PageDep, WebError, duration, moderation_error_key, time_left

router = APIRouter(prefix=PREFIX + "/partner", include_in_schema=False)
MAX_TEXT_CHARS = 20_000


def _decorate(page: Page, esc: dict[str, object]) -> dict[str, object]:
    now = page.svc.now()
    deadline = queries.moment(str(esc["deadline_at"]))
    seconds = esc.get("time_to_action_seconds")
    return {
        **esc,
        "left": time_left(deadline, now, page.t) if esc["status"] in ("open", "in_review") else None,
        "took": duration(seconds if isinstance(seconds, int) else None, page.t),
    }


def _portal(page: Page, *, status: int = 200, error: str | None = None, form: dict[str, str] | None = None) -> Response:
    actor = page.need("partner")
    mine = [_decorate(page, e) for e in list_escalations(page.svc, actor, limit=200)]
    return page.render(
        "partner.html",
        status=status,
        escalations=mine,
        platforms=queries.platforms(page.svc),
        threats=THREATS,
        error=error,
        form=form or {},
    )


@router.get("")
def portal(page: PageDep) -> Response:
    return _portal(page)


@router.post("/escalations")
def submit(
    page: PageDep,
    csrf: CsrfField = "",
    platform: Annotated[str, Form(max_length=64)] = "",
    item_ref: Annotated[str, Form(max_length=MAX_ID_CHARS)] = "",
    text: Annotated[str, Form(max_length=MAX_TEXT_CHARS)] = "",
    reason: Annotated[str, Form(max_length=16)] = "",
    urgent: Annotated[str, Form(max_length=8)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    lang: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    actor = page.need("partner")
    page.check_csrf(csrf)
    form = {"platform": platform, "item_ref": item_ref, "reason": reason, "urgent": urgent, "note": note, "lang": lang}
    ref = item_ref.strip()
    if not platform or not ref or reason not in THREATS:
        return _portal(page, status=422, error="partner.incomplete", form=form)
    item = None
    if text.strip():
        data: dict[str, object] = {"id": ref, "text": text}
        if lang.strip() in ("ar", "fr", "en", "ar-Latn"):
            data["lang"] = lang.strip()
        try:
            item = Item.from_dict(data)
        except ItemError:
            return _portal(page, status=422, error="err.invalid", form=form)
    try:
        done = escalate(
            page.svc,
            actor,
            platform=platform,
            external_id=ref,
            reason=reason,
            urgent=urgent == "on",
            note=note.strip() or None,
            item=item,
        )
    except ModerationError as exc:
        key = "partner.need_text" if exc.status == 404 else moderation_error_key(exc)
        return _portal(page, status=exc.status, error=key, form=form)
    return page.redirect(f"{PREFIX}/partner/escalations/{done['escalation_id']}?notice=partner.submitted")


@router.get("/escalations/{escalation_id}")
def escalation(page: PageDep, escalation_id: int) -> Response:
    actor = page.need("partner")
    esc = queries.partner_escalation(page.svc, actor, escalation_id)
    if esc is None:
        raise WebError(404, "err.not_found")
    return page.render("escalation.html", esc=_decorate(page, esc))
