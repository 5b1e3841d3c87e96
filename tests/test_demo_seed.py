"""`sitr demo seed` drives the real services; the report's figures must match what the seeder did.

Expected figures are recomputed here from the seeder's ledger (its own clock and the services' answers),
never from the event log, so a bug anywhere between the services, the log and the report shows up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sitr.demo.seed import SeedConfig, SeedItem, SeedLedger, seed
from sitr.moderation.context import Services
from sitr.moderation.policy_bridge import load_policy
from sitr.report.build import ReportOptions, build_report
from sitr.report.metrics import SHIFT_GAP, Period, compute
from sitr.report.records import stream_records
from sitr.report.render import render, report_from_db
from sitr.report.scope import parse_scope
from sitr.store.crypto import FieldCipher
from sitr.store.db import Database
from sitr.store.events import verify_chain
from sitr.store.migrate import upgrade
from sitr.store.models import Case

CONFIG = SeedConfig(start=datetime(2025, 9, 1, tzinfo=UTC), days=35, items_per_day=22, seed=11)
RESTRICTING = {"remove", "restrict_visibility", "label", "suspend_account", "restrict_account", "warn_account"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, SeedLedger]]:
    path: Path = tmp_path_factory.mktemp("demo") / "sitr.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    svc = Services(db=db, cipher=FieldCipher(bytes(range(32))), policy=load_policy(),
                   analyzer=lambda item: (_ for _ in ()).throw(AssertionError("planned analyzer expected")))
    ledger = seed(svc, CONFIG)
    yield db, ledger
    db.dispose()


def _figures(db: Database, period: Period) -> Any:
    with db.read() as session:
        return compute(stream_records(session, end=period.end), period)


def _key(item: SeedItem, threat: str | None) -> tuple[str, str, str, str]:
    return (threat or "none", item.country, item.lang, item.variety)


def _first_actions(ledger: SeedLedger) -> dict[str, tuple[datetime, str | None, bool, tuple[str, ...]]]:
    """Per item: when it was first actioned, for which threat, whether automatically, with which actions."""
    out: dict[str, tuple[datetime, str | None, bool, tuple[str, ...]]] = {}
    for item in ledger.items.values():
        if item.outcome == "action":
            out[item.ext_id] = (item.received_at, item.threat, True, item.actions)
    for r in sorted(ledger.reviews, key=lambda r: r.decided_at):
        if r.outcome == "action" and r.ext_id not in out:
            out[r.ext_id] = (r.decided_at, r.threat, False, r.actions)
    return out


def test_the_simulation_covers_every_language_and_activity(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    s = ledger.summary()
    assert s["items"] > 600 and s["flags"] > 50 and s["escalations"] > 10 and s["appeals"] > 5
    assert {(i.lang, i.variety) for i in ledger.items.values()} >= {
        ("ar", "egy"), ("ar", "lev"), ("ar", "glf"), ("ar", "irq"), ("ar", "mag"), ("ar", "msa"),
        ("ar-Latn", "lev"), ("ar-Latn", "mag"), ("fr", "fr"), ("en", "en"),
    }
    assert {i.country for i in ledger.items.values()} >= {"EG", "MA", "LB", "SA", "FR", "US"}
    with db.read() as session:
        assert verify_chain(session).ok  # the demo log is a real, intact hash chain


def test_report_counts_match_the_ledger(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    fig = _figures(db, Period(CONFIG.start, CONFIG.end))
    items = ledger.items
    assessed = Counter(_key(i, i.threat) for i in items.values())
    assert dict(fig.counts["items_assessed"]) == dict(assessed)

    actions = _first_actions(ledger)
    actioned: Counter[tuple[str, str, str, str]] = Counter()
    automated: Counter[tuple[str, str, str, str]] = Counter()
    removed = 0
    for ext, (_, threat, auto, acts) in actions.items():
        actioned[_key(items[ext], threat)] += 1
        automated[_key(items[ext], threat)] += auto
        removed += "remove" in acts
    assert dict(fig.counts["items_actioned"]) == dict(actioned)
    assert dict(fig.counts["actioned_automated"]) == {k: v for k, v in automated.items() if v}
    assert fig.total("action_remove") == removed

    first_report: dict[str, datetime] = {}
    for f in ledger.flags:
        first_report[f.ext_id] = min(first_report.get(f.ext_id, f.at), f.at)
    for e in ledger.escalations:
        first_report[e.ext_id] = min(first_report.get(e.ext_id, e.at), e.at)
    proactive = sum(
        1 for ext in actions
        if items[ext].outcome in ("action", "review") and items[ext].received_at <= first_report.get(ext, CONFIG.end)
    )
    assert fig.total("actioned_proactive") == proactive

    flags = Counter(_key(items[f.ext_id], f.reason if f.reason != "other" else "other") for f in ledger.flags)
    assert dict(fig.counts["flags_received"]) == dict(flags)
    escalations = Counter(_key(items[e.ext_id], e.reason) for e in ledger.escalations)
    assert dict(fig.counts["escalations_received"]) == dict(escalations)
    assert fig.total("appeals_received") == len(ledger.appeals)
    assert fig.total("appeals_decided") == sum(1 for r in ledger.reviews if r.kind == "appeal")
    notified = sum(i.notified for i in items.values()) + sum(r.notified for r in ledger.reviews)
    assert fig.total("targets_notified") == notified


def test_times_to_action_match_the_ledger(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    fig = _figures(db, Period(CONFIG.start, CONFIG.end))
    expected = sorted(
        (at - ledger.items[ext].received_at).total_seconds() for ext, (at, _, _, _) in _first_actions(ledger).items()
    )
    got = sorted(v for values in fig.durations["time_to_action"].values() for v in values)
    assert got == pytest.approx(expected)
    responses = []
    for e in ledger.escalations:
        decided = [r.decided_at for r in ledger.reviews if r.case_id == e.case_id and r.decided_at >= e.at]
        if decided:
            responses.append((min(decided) - e.at).total_seconds())
    got_resp = sorted(v for values in fig.durations["escalation_response"].values() for v in values)
    assert got_resp == pytest.approx(sorted(responses))


def test_reviewer_work_backlog_and_accuracy_match(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    fig = _figures(db, Period(CONFIG.start, CONFIG.end))
    items = {i.sitr_id: i for i in ledger.items.values()}
    by_ext = ledger.items
    handling: dict[tuple[str, str], float] = defaultdict(float)
    decisions: Counter[tuple[str, str]] = Counter()
    for r in ledger.reviews:
        lv = (by_ext[r.ext_id].lang, by_ext[r.ext_id].variety)
        handling[lv] += (r.decided_at - r.claimed_at).total_seconds()
        decisions[lv] += 1
    for lv, seconds in handling.items():
        assert fig.languages[lv].handling_seconds == pytest.approx(seconds)
        assert fig.languages[lv].decisions == decisions[lv]

    # Shifts: each reviewer's claims and decisions, split where the gap exceeds SHIFT_GAP.
    moments: dict[str, list[datetime]] = defaultdict(list)
    for r in ledger.reviews:
        moments[r.reviewer] += [r.claimed_at, r.decided_at]
    shift_total = 0.0
    for times in moments.values():
        times.sort()
        start = prev = times[0]
        for t in times[1:]:
            if t - prev > SHIFT_GAP:
                shift_total += (prev - start).total_seconds()
                start = t
            prev = t
        shift_total += (prev - start).total_seconds()
    # Claims whose decision falls after the end of the run are in the log but not in the ledger.
    assert sum(w.shift_seconds for w in fig.languages.values()) == pytest.approx(shift_total, rel=0.02)

    with db.read() as session:
        cases = session.scalars(select(Case)).all()
        late = Counter(
            (c.lang, c.variety) for c in cases
            if c.decided_at is not None and c.decided_at.replace(tzinfo=UTC) > c.deadline_at.replace(tzinfo=UTC)
        )
        backlog = Counter((c.lang, c.variety) for c in cases if c.status != "decided")
    for lv, work in fig.languages.items():
        assert work.decided_late == late.get(lv, 0)
        assert work.backlog == backlog.get(lv, 0)

    confusion: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    seen: set[str] = set()
    for r in sorted(ledger.reviews, key=lambda r: r.decided_at):
        if r.ext_id in seen or r.kind != "review":
            continue
        seen.add(r.ext_id)
        item = by_ext[r.ext_id]
        auto, harmful = item.outcome in ("action", "review"), r.threat is not None
        confusion[(item.lang, item.variety)][0 if auto and harmful else 1 if auto else 2 if harmful else 3] += 1
    for lv, (tp, fp, fn, tn) in confusion.items():
        w = fig.languages[lv]
        assert (w.tp, w.fp, w.fn, w.tn) == (tp, fp, fn, tn)
    assert items  # the ledger maps sitr ids too


def test_a_later_period_counts_only_its_own_events(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    period = Period(CONFIG.start + timedelta(days=14), CONFIG.start + timedelta(days=28))
    fig = _figures(db, period)
    assert fig.total("items_assessed") == sum(1 for i in ledger.items.values() if i.received_at in period)
    actions = _first_actions(ledger)
    assert fig.total("items_actioned") == sum(1 for at, *_ in actions.values() if at in period)
    assert fig.total("flags_received") == sum(1 for f in ledger.flags if f.at in period)


def test_published_report_is_protected_and_names_nobody(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    period = Period(CONFIG.start, CONFIG.end)
    report = report_from_db(db, period, parse_scope("global"), ReportOptions(threshold=10))
    counts = [v for row in [report["totals"], *report["rows"]] for v in row["counts"].values()]
    assert all(v is None or v == 0 or v >= 10 for v in counts)
    assert report["privacy"]["suppressed_primary"] > 0
    assert report["privacy"]["audit"].startswith("no suppressed count")
    outputs = [render(report, f, lang="fr") for f in ("json", "csv", "dsa-csv", "html", "santa-clara")]
    reviewer_ids = {f"reviewer:{uid}" for uid in ledger.reviewers.values()}
    for text in outputs:
        for item in list(ledger.items.values())[:200]:
            assert item.ext_id not in text and item.sitr_id not in text
        assert not any(name in text for name in ledger.reviewers)
        assert not any(label in text for label in reviewer_ids)
        assert "demo-reporter" not in text and "demo-member" not in text
    unprotected = build_report([], period, parse_scope("global"), ReportOptions(threshold=1))
    assert unprotected["totals"]["counts"]["items_assessed"] == 0


def test_mena_scope_excludes_global_traffic(seeded: tuple[Database, SeedLedger]) -> None:
    db, ledger = seeded
    report = report_from_db(
        db, Period(CONFIG.start, CONFIG.end), parse_scope("region:MENA"), ReportOptions(threshold=1, audit=False)
    )
    from sitr.report.scope import MENA

    assert report["totals"]["counts"]["items_assessed"] == sum(
        1 for i in ledger.items.values() if i.country in MENA
    )
    countries = {r["country"] for r in report["rows"] if r["level"] == "country"}
    assert countries <= MENA and "US" not in countries
