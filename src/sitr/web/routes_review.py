"""Reviewer pages: the queue and the appeal queue, claiming, the case view, reveal (recorded) and deciding."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from sitr.moderation import policy_bridge as pb
from sitr.moderation.context import Actor
from sitr.moderation.errors import ModerationError
from sitr.moderation.queue import QueueFilter, claim, claim_next, list_queue
from sitr.moderation.review import REVEALABLE, Ruling, decide_case, reveal
from sitr.types import THREATS
from sitr.web import queries
from sitr.web.highlight import content_blocks
from sitr.web.pages import PREFIX, CsrfField, Page, PageDep, WebError, moderation_error_key, time_left

router = APIRouter(prefix=PREFIX, include_in_schema=False)

_CODE_RE = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
NO_THREAT = "none"
# Actions a reviewer can choose: queue_review makes no sense as the outcome of a review.
REVIEW_ACTIONS: tuple[str, ...] = tuple(a for a in pb.ACTIONS if a != "queue_review")
QUEUE_PAGE = 100


def _clean(value: str | None, pattern: re.Pattern[str] = _CODE_RE) -> str | None:
    return value if value and pattern.match(value) else None


def _filters(threat: str | None, lang: str | None, variety: str | None, country: str | None) -> dict[str, str]:
    out = {
        "threat": threat if threat in THREATS else None,
        "lang": _clean(lang),
        "variety": _clean(variety),
        "country": country.upper() if country and re.fullmatch(r"[A-Za-z]{2}", country) else None,
    }
    return {k: v for k, v in out.items() if v}


def _rows(page: Page, cases: list[dict[str, Any]], actor: Actor) -> list[dict[str, Any]]:
    now = page.svc.now()
    rows = []
    for c in cases:
        deadline = queries.moment(c["deadline_at"])
        rows.append({**c, "left": time_left(deadline, now, page.t), "mine": c["lang"] in actor.languages})
    return rows


def _queue_page(page: Page, kind: str, threat: str | None, lang: str | None, variety: str | None,
                country: str | None) -> Response:
    actor = page.need("reviewer")
    chosen = _filters(threat, lang, variety, country)
    f = QueueFilter(kind=kind, **chosen)
    cases = list_queue(page.svc, actor, f, limit=QUEUE_PAGE)
    held = [c for c in queries.held_cases(page.svc, actor) if c["kind"] == kind]
    return page.render(
        "queue.html",
        kind=kind,
        rows=_rows(page, cases, actor),
        held=_rows(page, held, actor),
        filters=chosen,
        choices=queries.filter_choices(page.svc),
        threats=THREATS,
        counts=queries.open_counts(page.svc),
    )


Filter = Annotated[str | None, Query(max_length=32)]


@router.get("/queue")
def queue(page: PageDep, threat: Filter = None, lang: Filter = None, variety: Filter = None,
          country: Filter = None) -> Response:
    return _queue_page(page, "review", threat, lang, variety, country)


@router.get("/appeals")
def appeals(page: PageDep, threat: Filter = None, lang: Filter = None, variety: Filter = None,
            country: Filter = None) -> Response:
    return _queue_page(page, "appeal", threat, lang, variety, country)


def _list_url(kind: str) -> str:
    return PREFIX + ("/appeals" if kind == "appeal" else "/queue")


@router.post("/queue/next")
def next_case(
    page: PageDep,
    csrf: CsrfField = "",
    kind: Annotated[str, Form(max_length=16)] = "review",
    threat: Annotated[str, Form(max_length=32)] = "",
    lang: Annotated[str, Form(max_length=32)] = "",
    variety: Annotated[str, Form(max_length=32)] = "",
    country: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    actor = page.need("reviewer")
    page.check_csrf(csrf)
    kind = "appeal" if kind == "appeal" else "review"
    chosen = _filters(threat, lang, variety, country)
    taken = claim_next(page.svc, actor, QueueFilter(kind=kind, **chosen))
    if taken is None:
        return page.redirect(_list_url(kind) + "?" + urlencode({**chosen, "notice": "queue.empty"}))
    return page.redirect(f"{PREFIX}/cases/{taken['case_id']}?notice=case.claimed")


@router.post("/cases/{case_id}/claim")
def claim_case(page: PageDep, case_id: int, csrf: CsrfField = "") -> Response:
    actor = page.need("reviewer")
    page.check_csrf(csrf)
    try:
        claim(page.svc, actor, case_id)
    except ModerationError as exc:
        if exc.status == 404:
            raise WebError(404, "err.not_found") from None
        return page.redirect(f"{PREFIX}/cases/{case_id}?notice={moderation_error_key(exc)}")
    return page.redirect(f"{PREFIX}/cases/{case_id}?notice=case.claimed")


def _threat_rows(page: Page, assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """Scores per threat and why: the policy's thresholds and each detector's signal and evidence kinds."""
    policy = page.svc.policy
    scores = assessment.get("threats") or {}
    rows = []
    for threat in THREATS:
        ts = scores.get(threat) or {}
        rule = policy.threats[threat]
        signals = []
        for s in assessment.get("signals") or []:
            if s.get("threat") != threat:
                continue
            kinds: dict[str, int] = {}
            for span in s.get("spans") or []:
                kinds[str(span.get("kind", ""))] = kinds.get(str(span.get("kind", "")), 0) + 1
            signals.append(
                {"detector": s.get("detector"), "version": s.get("version"), "score": float(s.get("score", 0.0)),
                 "kinds": sorted(kinds.items())}
            )
        score = float(ts.get("score", 0.0))
        rows.append(
            {
                "threat": threat,
                "score": score,
                "level": ts.get("level", "none"),
                "detected": bool(ts.get("detected", False)),
                "review_at": rule.review_at,
                "auto_action_at": rule.auto_action_at,
                "band": "auto" if score >= rule.auto_action_at else "review" if score >= rule.review_at else "below",
                "signals": signals,
            }
        )
    rows.sort(key=lambda r: -r["score"])
    return rows


def _prefills(page: Page, item_lang: str | None) -> dict[str, dict[str, Any]]:
    """For each possible ruling: the policy's actions, clause and statement of reasons in the author's
    language, so the form starts from the policy and the reviewer edits rather than writes from nothing."""
    policy = page.svc.policy
    lang = pb.notice_lang(item_lang)
    out: dict[str, dict[str, Any]] = {}
    for threat in (*THREATS, NO_THREAT):
        chosen = None if threat == NO_THREAT else threat
        decision = pb.reviewer_decision(policy, threat=chosen, actions=None)
        out[threat] = {
            "actions": [a for a in decision.actions if a in REVIEW_ACTIONS],
            "clause": no_violation_clause(policy) if chosen is None else policy.threats[threat].ground_reference,
            "statement": pb.statement_text(decision, policy, lang),
        }
    return out


def no_violation_clause(policy: Any) -> str:
    return f"{policy.name} {policy.version}: no rule broken"


def _case_page(page: Page, actor: Actor, case_id: int, *, revealed: dict[str, Any] | None = None) -> Response:
    file = queries.case_file(page.svc, case_id)
    if file is None:
        raise WebError(404, "err.not_found")
    summary, item = file.summary, file.item
    shown = bool(revealed and "content" in revealed)
    content = revealed.get("content") if revealed and shown else file.content
    blocks = content_blocks(content, item["assessment"], target=file.target, revealed=shown) if content else []
    mine = summary["status"] == "claimed" and summary["claimed_by"] == actor.id
    excluded = file.excluded_reviewer is not None and file.excluded_reviewer == actor.id
    prefills = _prefills(page, item["lang"])
    current = summary["threat"] if summary["threat"] in THREATS else NO_THREAT
    return page.render(
        "case.html",
        case=summary,
        item=item,
        blocks=blocks,
        revealed=revealed or {},
        left=time_left(queries.moment(summary["deadline_at"]), page.svc.now(), page.t),
        threat_rows=_threat_rows(page, item["assessment"]),
        history=queries.history(page.svc, item["sitr_id"]),
        flags=queries.flags_on(page.svc, item["sitr_id"]),
        mine=mine,
        excluded=excluded,
        can_claim=summary["status"] != "decided" and not mine and not excluded,
        prefills=prefills,
        current=current,
        threats=THREATS,
        actions=REVIEW_ACTIONS,
        revealable=REVEALABLE,
        statement_lang=pb.notice_lang(item["lang"]),
        policy_version=page.svc.policy.version,
        list_url=_list_url(summary["kind"]),
    )


@router.get("/cases/{case_id}")
def case_view(page: PageDep, case_id: int) -> Response:
    actor = page.need("reviewer")
    return _case_page(page, actor, case_id)


@router.post("/cases/{case_id}/reveal")
def reveal_case(
    page: PageDep,
    case_id: int,
    csrf: CsrfField = "",
    fields: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Show personal data for this page view only; the reveal is an event naming who, which fields and why."""
    actor = page.need("reviewer")
    page.check_csrf(csrf)
    wanted = tuple(dict.fromkeys(f for f in (fields or []) if f in REVEALABLE))
    if not wanted or len(reason.strip()) < 3:
        return page.redirect(f"{PREFIX}/cases/{case_id}?notice=reveal.need_reason")
    try:
        shown = reveal(page.svc, actor, case_id, wanted, reason.strip())
    except ModerationError as exc:
        if exc.status == 404:
            raise WebError(404, "err.not_found") from None
        return page.redirect(f"{PREFIX}/cases/{case_id}?notice={moderation_error_key(exc)}")
    page.notices.append("reveal.recorded")
    return _case_page(page, actor, case_id, revealed=shown)


@router.post("/cases/{case_id}/decision")
def decide(
    page: PageDep,
    case_id: int,
    csrf: CsrfField = "",
    threat: Annotated[str, Form(max_length=32)] = NO_THREAT,
    actions: Annotated[list[str] | None, Form()] = None,
    clause: Annotated[str, Form(max_length=128)] = "",
    statement: Annotated[str, Form(max_length=5000)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    actor = page.need("reviewer")
    page.check_csrf(csrf)
    if threat != NO_THREAT and threat not in THREATS:
        return page.redirect(f"{PREFIX}/cases/{case_id}?notice=err.invalid")
    chosen = None if threat == NO_THREAT else threat
    picked = tuple(a for a in REVIEW_ACTIONS if a in (actions or []))
    if not clause.strip() or not statement.strip():
        return page.redirect(f"{PREFIX}/cases/{case_id}?notice=decision.incomplete")
    ruling = Ruling(
        threat=chosen,
        actions=picked if chosen is not None else (),
        clause=clause.strip(),
        statement=statement.strip(),
        note=note.strip() or None,
    )
    try:
        done = decide_case(page.svc, actor, case_id, ruling)
    except ModerationError as exc:
        if exc.status == 404:
            raise WebError(404, "err.not_found") from None
        return page.redirect(f"{PREFIX}/cases/{case_id}?notice={moderation_error_key(exc)}")
    return page.redirect(_list_url(done["kind"]) + "?notice=case.decided")
