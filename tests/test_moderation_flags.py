"""Flags: weighted reporters, no removal by mass reporting, weights that fall when flags are rejected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from conftest import ScriptedAnalyzer, item
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Invalid, NotFound
from sitr.moderation.flags import BENIGN_QUEUE_WEIGHT, flag, reporter_weight
from sitr.moderation.ingest import ingest
from sitr.moderation.queue import claim
from sitr.moderation.review import Ruling, decide_case
from sitr.store.models import Case, Reporter
from sitr.store.models import Item as ItemRow

PLATFORM = Actor(id=None, name="chatapp", role="integration")


def _flag(svc: Services, ext: str, reporter: str, reason: str = "outing") -> dict[str, object]:
    return flag(svc, PLATFORM, platform="chatapp", external_id=ext, reporter=reporter, reason=reason).to_dict()


@given(st.integers(0, 500), st.integers(0, 500))
def test_weight_is_a_probability_that_falls_with_rejections(upheld: int, rejected: int) -> None:
    w = reporter_weight(upheld, rejected)
    assert 0 < w < 1
    assert reporter_weight(upheld, rejected + 1) < w < reporter_weight(upheld + 1, rejected)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 200))
def test_new_reporters_start_neutral(n: int) -> None:
    assert reporter_weight(0, 0) == 0.5
    assert reporter_weight(0, n) <= 1 / 3


def test_mass_reports_never_remove_benign_content(svc: Services) -> None:
    [r] = ingest(svc, [item("selfdisclosure", "I am gay and proud")], actor=PLATFORM, platform="chatapp")
    for i in range(40):
        _flag(svc, "selfdisclosure", f"campaign-{i}")
    with svc.db.read() as s:
        row = s.scalars(select(ItemRow)).one()
        cases = s.scalars(select(Case)).all()
    assert row.outcome == "none" and row.decision == r.decision and row.decided_at is None
    assert len(cases) == 1 and cases[0].origin == "flags" and cases[0].severity == 1


def test_benign_items_need_more_weight_than_suspicious_ones(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("sus", harassment=0.65)
    ingest(svc, [item("benign"), item("sus")], actor=PLATFORM, platform="chatapp")
    needed = int(BENIGN_QUEUE_WEIGHT / 0.5)
    results = [_flag(svc, "benign", f"r{i}") for i in range(needed)]
    assert [bool(r["queued"]) for r in results] == [False] * (needed - 1) + [True]


def test_rejected_flags_lower_the_reporter_weight(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    reviewer = make_user("reviewer")
    for i in range(3):
        analyzer.set(f"s{i}", harassment=0.65)
    ingest(svc, [item(f"s{i}") for i in range(3)], actor=PLATFORM, platform="chatapp")
    weights = []
    for i in range(3):
        res = _flag(svc, f"s{i}", "serial-flagger", "harassment")
        weights.append(res["reporter_weight"])
        assert res["case_id"] is not None
        claim(svc, reviewer, int(res["case_id"]))  # type: ignore[call-overload]
        decide_case(svc, reviewer, int(res["case_id"]), Ruling(None, None, "none", "no rule broken"))  # type: ignore[call-overload]
    assert weights[0] == 0.5 and weights[0] > weights[1] > weights[2]
    with svc.db.read() as s:
        rep = s.scalars(select(Reporter)).one()
    assert (rep.rejected, rep.upheld, rep.flags_total) == (3, 0, 3)
    assert "serial-flagger" not in rep.pseudonym


def test_flag_is_idempotent_per_reporter(svc: Services) -> None:
    ingest(svc, [item("x")], actor=PLATFORM, platform="chatapp")
    first = _flag(svc, "x", "r1")
    again = _flag(svc, "x", "r1")
    assert again["duplicate"] and again["flag_id"] == first["flag_id"]


def test_flag_needs_a_known_item_and_reason(svc: Services) -> None:
    with pytest.raises(NotFound):
        _flag(svc, "never-sent", "r1")
    ingest(svc, [item("y")], actor=PLATFORM, platform="chatapp")
    with pytest.raises(Invalid):
        _flag(svc, "y", "r1", reason="dislike")
