"""The figures, event by event: proactive vs reported, times, flags, escalations, appeals, reviewer work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sitr.report.build import ReportOptions, build_report, cell
from sitr.report.metrics import Period, compute
from sitr.report.records import EventRecord
from sitr.report.scope import parse_scope

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PERIOD = Period(T0, T0 + timedelta(days=30))


class Log:
    """A tiny event-log builder: items carry their language, variety and country like the database join."""

    def __init__(self) -> None:
        self.records: list[EventRecord] = []
        self.items: dict[str, tuple[str, str, str]] = {}

    def add(self, etype: str, item: str, minutes: float, *, case: int | None = None, actor: str = "system",
            deadline: datetime | None = None, **payload: Any) -> None:
        lang, variety, country = self.items[item]
        self.records.append(
            EventRecord(
                seq=len(self.records) + 1, type=etype, at=T0 + timedelta(minutes=minutes), item_id=item,
                case_id=case, actor=actor, payload=payload, lang=lang, variety=variety, country=country,
                deadline_at=deadline,
            )
        )

    def item(self, item: str, minutes: float, outcome: str, threat: str | None, *, lang: str = "ar",
             variety: str = "egy", country: str = "EG", source: str = "SOURCE_VOLUNTARY") -> None:
        self.items[item] = (lang, variety, country)
        self.add("item_received", item, minutes, source_type=source)
        self.add("assessed", item, minutes, decision={"outcome": outcome, "primary_threat": threat, "actions": []})


def test_proactive_reported_and_times() -> None:
    log = Log()
    # 1: sitr acts at once (proactive, automated, 0 s).
    log.item("a", 0, "action", "outing")
    log.add("auto_actioned", "a", 0, actions=["remove", "notify_target"], threat="outing")
    # 2: sitr misses it; two users flag it; a reviewer removes it (reported, human).
    log.item("b", 10, "none", None)
    log.add("flagged", "b", 70, reason="harassment")
    log.add("flagged", "b", 80, reason="other")
    log.add("queued", "b", 80, case=1, origin="flags", threat="harassment", deadline_minutes=60)
    log.add("claimed", "b", 100, case=1, actor="reviewer:1")
    log.add("decided", "b", 110, case=1, actor="reviewer:1", outcome="action", threat="harassment",
            actions=["remove"], flags_resolved=2)
    # 3: sitr queues it, a user flags it afterwards, a reviewer confirms (proactive: sitr found it first).
    log.item("c", 20, "review", "doxxing")
    log.add("queued", "c", 20, case=2, origin="policy", threat="doxxing", deadline_minutes=60)
    log.add("flagged", "c", 25, reason="doxxing")
    log.add("claimed", "c", 30, case=2, actor="reviewer:2")
    log.add("decided", "c", 50, case=2, actor="reviewer:2", outcome="action", threat="doxxing",
            actions=["remove"], flags_resolved=1)
    fig = compute(log.records, PERIOD)
    total = {m: fig.total(m) for m in fig.counts}
    assert total["items_assessed"] == 3 and total["items_actioned"] == 3
    assert total["actioned_automated"] == 1 and total["actioned_human"] == 2
    assert total["actioned_proactive"] == 2 and total["actioned_flagged"] == 2
    assert total["flags_received"] == 3 and total["flags_upheld"] == 3
    assert fig.counts["flags_upheld"][("other", "EG", "ar", "egy")] == 1  # each flag keeps its own reason
    assert sorted(v for vs in fig.durations["time_to_action"].values() for v in vs) == [0.0, 1800.0, 6000.0]
    assert sorted(v for vs in fig.durations["flag_to_action"].values() for v in vs) == [1500.0, 2400.0]
    work = fig.languages[("ar", "egy")]
    assert work.decisions == 2 and work.handling_seconds == pytest.approx(600 + 1200)
    assert work.decided_late == 0 and work.backlog == 0
    assert (work.tp, work.fp, work.fn, work.tn) == (1, 0, 1, 0)  # c detected and confirmed; b missed


def test_events_before_the_period_build_state_but_are_not_counted() -> None:
    log = Log()
    log.item("old", -60, "review", "extortion", source="SOURCE_VOLUNTARY")
    log.add("queued", "old", -60, case=1, origin="policy", threat="extortion", deadline_minutes=60)
    log.add("claimed", "old", 30, case=1, actor="reviewer:1")
    log.add("decided", "old", 40, case=1, actor="reviewer:1", outcome="action", threat="extortion",
            actions=["restrict_account"], flags_resolved=0)
    fig = compute(log.records, PERIOD)
    assert fig.total("items_assessed") == 0  # assessed before the period
    assert fig.total("items_actioned") == 1 and fig.total("actioned_proactive") == 1
    assert fig.durations["time_to_action"][("extortion", "EG", "ar", "egy")] == [6000.0]
    assert fig.languages[("ar", "egy")].decided_late == 1  # deadline was 60 min after -60


def test_escalations_appeals_backlog_and_overdue() -> None:
    log = Log()
    end = PERIOD.end
    log.item("e", 0, "none", None, lang="fr", variety="fr", country="MA")
    log.add("escalated", "e", 5, case=1, actor="partner:9", reason="outing", urgent=True)
    log.add("queued", "e", 5, case=1, origin="escalation", threat="outing", deadline_minutes=60)
    log.add("claimed", "e", 10, case=1, actor="reviewer:3")
    log.add("decided", "e", 35, case=1, actor="reviewer:3", outcome="action", threat="outing", actions=["remove"],
            flags_resolved=0)
    log.add("target_notified", "e", 35, case=1, actor="reviewer:3", threat="outing")
    log.add("appealed", "e", 100, case=2, actor="integration:1", appellant="author")
    log.add("claimed", "e", 200, case=2, actor="reviewer:4")
    log.add("appeal_decided", "e", 260, case=2, actor="reviewer:4", outcome="none", threat=None, actions=[],
            reversed=True, flags_resolved=0)
    log.item("w", 50, "review", "harassment", lang="fr", variety="fr", country="MA")
    log.add("queued", "w", 50, case=3, origin="policy", threat="harassment", deadline=T0 + timedelta(days=1))
    fig = compute(log.records, PERIOD)
    key = ("outing", "MA", "fr", "fr")
    assert fig.counts["escalations_received"][key] == 1 and fig.counts["escalations_actioned"][key] == 1
    assert fig.durations["escalation_response"][key] == [1800.0]
    assert fig.total("actioned_escalated") == 1 and fig.total("actioned_proactive") == 0
    assert fig.counts["appeals_received"][key] == 1 and fig.counts["appeals_reversed"][key] == 1
    assert fig.durations["appeal_decision"][key] == [160 * 60.0]
    assert fig.counts["targets_notified"][key] == 1
    work = fig.languages[("fr", "fr")]
    assert work.backlog == 1 and work.overdue_open == 1 and work.decisions == 2
    assert work.harm_items == 2  # e actioned, w detected
    assert end > T0


def test_shift_hours_share_a_session_among_its_languages() -> None:
    log = Log()
    log.item("x", 0, "review", "harassment", lang="ar", variety="lev")
    log.item("y", 0, "review", "harassment", lang="en", variety="en")
    log.add("queued", "x", 0, case=1, origin="policy", threat="harassment", deadline_minutes=600)
    log.add("queued", "y", 0, case=2, origin="policy", threat="harassment", deadline_minutes=600)
    log.add("claimed", "x", 60, case=1, actor="reviewer:1")
    log.add("decided", "x", 90, case=1, actor="reviewer:1", outcome="none", threat=None, actions=[],
            flags_resolved=0)
    log.add("claimed", "y", 100, case=2, actor="reviewer:1")
    log.add("decided", "y", 180, case=2, actor="reviewer:1", outcome="none", threat=None, actions=[],
            flags_resolved=0)
    fig = compute(log.records, PERIOD)
    # One session from minute 60 to 180 (2 h), one decision in each language: 1 h each.
    assert fig.languages[("ar", "lev")].shift_seconds == pytest.approx(3600)
    assert fig.languages[("en", "en")].shift_seconds == pytest.approx(3600)
    assert fig.languages[("en", "en")].handling_seconds == pytest.approx(80 * 60)


def test_report_protects_small_cells_and_scope_filters_countries() -> None:
    log = Log()
    for i in range(30):
        log.item(f"eg{i}", i, "action", "harassment")
        log.add("auto_actioned", f"eg{i}", i, actions=["remove"], threat="harassment")
    for i in range(3):
        log.item(f"fr{i}", 100 + i, "action", "outing", lang="fr", variety="fr", country="FR")
        log.add("auto_actioned", f"fr{i}", 100 + i, actions=["remove"], threat="outing")
    report = build_report(log.records, PERIOD, parse_scope("global"), ReportOptions(threshold=10))
    assert report["totals"]["counts"]["items_actioned"] == 33
    rows = {(r["level"], r["threat"], r["country"]): r for r in report["rows"]}
    assert rows[("threat", "outing", None)]["counts"]["items_actioned"] is None
    # The total is shown, so the harassment row must be hidden too, or 33 - 30 gives the 3 away.
    assert rows[("threat", "harassment", None)]["counts"]["items_actioned"] is None
    assert report["privacy"]["audit"].startswith("no suppressed count")
    mena = build_report(log.records, PERIOD, parse_scope("region:MENA"), ReportOptions(threshold=10))
    assert mena["totals"]["counts"]["items_actioned"] == 30 and mena["scope"] == "region:MENA"
    assert cell("items_actioned", threat="outing") == ("items_actioned", ("outing", "*", "*", "*"))
