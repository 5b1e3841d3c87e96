"""Partner escalations, statements of reasons, retention and auditor aggregates."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import Clock, ScriptedAnalyzer, item
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict, Invalid, NotFound
from sitr.moderation.escalations import escalate, list_escalations
from sitr.moderation.ingest import ingest
from sitr.moderation.queue import claim
from sitr.moderation.retention import apply_retention, has_content
from sitr.moderation.review import Ruling, decide_case, reveal
from sitr.moderation.statements import export_statements, statement_for
from sitr.moderation.stats import aggregates
from sitr.store.events import verify_chain
from sitr.store.models import Case, Event

PLATFORM = Actor(id=None, name="chatapp", role="integration")
ADMIN = Actor(id=None, name="root", role="admin")


@pytest.fixture
def platform_user(make_user: Callable[..., Actor]) -> Actor:
    return make_user("integration", name="chatapp")


def test_escalation_brings_the_deadline_forward_and_reports_time_to_action(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor], platform_user: Actor, clock: Clock
) -> None:
    analyzer.set("h", harassment=0.7)
    [r] = ingest(svc, [item("h")], actor=platform_user, platform="chatapp")
    helpline, other = make_user("partner", organisation="helpline"), make_user("partner")
    esc = escalate(svc, helpline, platform="chatapp", external_id="h", reason="outing", urgent=True, note="victim")
    assert esc["status"] == "open" and esc["time_to_action_seconds"] is None
    with svc.db.read() as s:
        case = s.get(Case, r.case_id)
        assert case is not None and case.severity == 5
        assert case.deadline_at - case.opened_at <= timedelta(minutes=60)
    reviewer = make_user("reviewer")
    claim(svc, reviewer, int(r.case_id or 0))
    assert list_escalations(svc, helpline)[0]["status"] == "in_review"
    clock.advance(minutes=25)
    decide_case(
        svc, reviewer, int(r.case_id or 0), Ruling("outing", ("remove",), "outing-1", "Exposes a private person.")
    )
    [mine] = list_escalations(svc, helpline)
    assert mine["status"] == "actioned" and mine["time_to_action_seconds"] == 25 * 60 and not mine["overdue"]
    assert list_escalations(svc, other) == []
    assert len(list_escalations(svc, ADMIN)) == 1


def test_escalation_of_an_unknown_item_ingests_the_partners_copy(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor], platform_user: Actor
) -> None:
    helpline = make_user("partner")
    with pytest.raises(NotFound):
        escalate(svc, helpline, platform="chatapp", external_id="z", reason="extortion", urgent=False, note=None)
    with pytest.raises(Invalid):
        escalate(svc, helpline, platform="nowhere", external_id="z", reason="extortion", urgent=False, note=None)
    out = escalate(
        svc,
        helpline,
        platform="chatapp",
        external_id="z",
        reason="extortion",
        urgent=False,
        note=None,
        item=item("z", "send money or I post your photos"),
    )
    assert out["status"] == "open"
    with svc.db.read() as s:
        assert s.scalars(select(Case.origin)).one() == "escalation"


def test_statement_of_reasons_has_no_personal_data(
    svc: Services, analyzer: ScriptedAnalyzer, platform_user: Actor
) -> None:
    analyzer.set("o", outing=0.97)
    text = "Karim Benali +212 612 345 678 is gay, he works at the bank"
    ingest(
        svc,
        [item("o", text, lang="fr", author="acc.karim", target="karim.b", created_at="2026-03-01")],
        actor=platform_user,
        platform="chatapp",
    )
    statement = statement_for(svc, platform_user, "o")
    blob = json.dumps(statement, ensure_ascii=False)
    # Whole digit groups of the phone number: a bare "612" can occur by chance inside the random hex puid.
    for secret in ("Karim", "Benali", "+212", "612 345", "345 678", "karim.b", "acc.karim", "bank"):
        assert secret not in blob
    assert statement["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert statement["content_language"] == "FR" and statement["decision_visibility"]
    assert statement["content_date"] == "2026-03-01" and statement["application_date"] == "2026-03-02"


def test_no_statement_without_restriction(svc: Services, platform_user: Actor) -> None:
    ingest(svc, [item("fine")], actor=platform_user, platform="chatapp")
    with pytest.raises(Conflict):
        statement_for(svc, platform_user, "fine")
    with pytest.raises(NotFound):
        statement_for(svc, platform_user, "never")


def test_export_streams_the_period_only(
    svc: Services, analyzer: ScriptedAnalyzer, platform_user: Actor, clock: Clock
) -> None:
    for i in range(3):
        analyzer.set(f"x{i}", harassment=0.99)
        ingest(svc, [item(f"x{i}")], actor=platform_user, platform="chatapp")
        clock.advance(days=1)
    start = clock.now - timedelta(days=3)
    rows = list(export_statements(svc, platform_user, start, start + timedelta(days=2)))
    assert len(rows) == 2
    other = Actor(id=None, name="forum", role="integration")
    assert list(export_statements(svc, other, start, clock.now)) == []


def test_retention_erases_content_keeps_counts_and_chain(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor], platform_user: Actor, clock: Clock
) -> None:
    analyzer.set("old", outing=0.97)
    analyzer.set("open", harassment=0.7)
    [old] = ingest(svc, [item("old", "secret text", target="t1")], actor=platform_user, platform="chatapp")
    [still_open] = ingest(svc, [item("open", "pending text")], actor=platform_user, platform="chatapp")
    before = aggregates(svc)
    clock.advance(days=40)
    [new] = ingest(svc, [item("new", "fresh")], actor=platform_user, platform="chatapp")
    report = apply_retention(svc, ADMIN, days=30)
    assert report.items == 1 and report.events >= 1
    assert not has_content(svc, old.sitr_id)
    assert has_content(svc, still_open.sitr_id) and has_content(svc, new.sitr_id)
    after = aggregates(svc)
    assert after["by_outcome"] != [] and len(after["by_outcome"]) >= len(before["by_outcome"])
    with svc.db.read() as s:
        assert verify_chain(s).ok
        notice = s.scalars(select(Event).where(Event.type == "target_notified")).one()
        assert notice.payload_enc is None and notice.enc_digest is not None
    reviewer = make_user("reviewer")
    claim(svc, reviewer, int(still_open.case_id or 0))
    assert reveal(svc, reviewer, int(still_open.case_id or 0), ("content",), "check")["content"]
    with pytest.raises(Invalid):
        apply_retention(svc, ADMIN, days=0)


def test_aggregates_suppress_small_counts(svc: Services, analyzer: ScriptedAnalyzer, platform_user: Actor) -> None:
    ingest(svc, [item(f"n{i}") for i in range(12)], actor=platform_user, platform="chatapp")
    analyzer.set("rare", outing=0.97)
    ingest(svc, [item("rare")], actor=platform_user, platform="chatapp")
    agg = aggregates(svc)
    counts = {(r["outcome"], r["threat"]): r["count"] for r in agg["by_outcome"]}
    assert counts[("none", None)] == 12 and counts[("action", "outing")] is None
