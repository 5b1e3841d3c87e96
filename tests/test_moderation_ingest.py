"""Ingest: analyse, decide, record; idempotent on the platform's id; target notices; all-or-nothing batches."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from conftest import ScriptedAnalyzer, item
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict, Invalid
from sitr.moderation.ingest import ingest
from sitr.store.events import verify_chain
from sitr.store.models import Case, Event
from sitr.store.models import Item as ItemRow

PLATFORM = Actor(id=1, name="chatapp", role="integration")


def _events(svc: Services, item_id: str) -> list[str]:
    with svc.db.read() as s:
        return list(s.scalars(select(Event.type).where(Event.item_id == item_id).order_by(Event.seq)))


def test_benign_item_is_recorded_without_case(svc: Services) -> None:
    [r] = ingest(svc, [item("p1", "proud of who I am")], actor=PLATFORM, platform="chatapp")
    assert r.decision["outcome"] == "none" and r.case_id is None and not r.duplicate
    assert r.decision["policy_version"] == svc.policy.version
    assert _events(svc, r.sitr_id) == ["item_received", "assessed"]


def test_review_score_opens_a_case_with_the_policy_deadline(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("h1", harassment=0.7)
    [r] = ingest(svc, [item("h1", lang="fr", country="ma")], actor=PLATFORM, platform="chatapp")
    assert r.decision["outcome"] == "review" and r.case_id is not None
    with svc.db.read() as s:
        case = s.get(Case, r.case_id)
        assert case is not None
        assert (case.status, case.threat, case.lang, case.country, case.origin) == (
            "open",
            "harassment",
            "fr",
            "MA",
            "policy",
        )
        minutes = (case.deadline_at - case.opened_at).total_seconds() / 60
    assert minutes == svc.policy.threats["harassment"].review_deadline_minutes
    assert _events(svc, r.sitr_id) == ["item_received", "assessed", "queued"]


def test_outing_with_known_target_records_a_notice_in_their_language(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("o1", outing=0.97)
    [r] = ingest(svc, [item("o1", lang="ar", target="user-42")], actor=PLATFORM, platform="chatapp")
    assert r.decision["outcome"] == "action" and "remove" in r.decision["actions"]
    assert r.target_notice is not None
    assert r.target_notice["lang"] == "ar" and "lock_profile" in r.target_notice["steps"]
    assert "target_notified" in _events(svc, r.sitr_id)
    with svc.db.read() as s:
        payload = s.scalars(select(Event.payload).where(Event.type == "target_notified")).one()
    assert "user-42" not in payload  # the target reference is only in the encrypted part


def test_no_notice_without_a_known_target(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("o2", outing=0.97)
    [r] = ingest(svc, [item("o2")], actor=PLATFORM, platform="chatapp")
    assert r.target_notice is None and "target_notified" not in _events(svc, r.sitr_id)


def test_resubmission_is_idempotent_and_not_reanalysed(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("d1", doxxing=0.6)
    [first] = ingest(svc, [item("d1", "x")], actor=PLATFORM, platform="chatapp")
    calls = analyzer.calls
    [again] = ingest(svc, [item("d1", "x")], actor=PLATFORM, platform="chatapp")
    assert again.duplicate and again.sitr_id == first.sitr_id and again.case_id == first.case_id
    assert again.decision == first.decision and analyzer.calls == calls
    with svc.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ItemRow)) == 1


def test_same_id_on_another_platform_is_another_item(svc: Services) -> None:
    [a] = ingest(svc, [item("same", "x")], actor=PLATFORM, platform="chatapp")
    [b] = ingest(svc, [item("same", "x")], actor=PLATFORM, platform="forum")
    assert a.sitr_id != b.sitr_id and not b.duplicate


def test_same_id_with_other_content_is_refused(svc: Services) -> None:
    ingest(svc, [item("c1", "first text")], actor=PLATFORM, platform="chatapp")
    with pytest.raises(Conflict):
        ingest(svc, [item("c1", "rewritten text")], actor=PLATFORM, platform="chatapp")


def test_batch_duplicates_are_marked_and_results_keep_input_order(svc: Services) -> None:
    results = ingest(svc, [item("b1"), item("b2"), item("b1")], actor=PLATFORM, platform="chatapp")
    assert [r.external_id for r in results] == ["b1", "b2", "b1"]
    assert [r.duplicate for r in results] == [False, False, True]
    assert results[0].sitr_id == results[2].sitr_id


def test_a_failing_batch_writes_nothing(svc: Services) -> None:
    with pytest.raises(Invalid):
        ingest(svc, [item("ok1"), item("bad", created_at="not a date")], actor=PLATFORM, platform="chatapp")
    with svc.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ItemRow)) == 0
        assert s.scalar(select(func.count()).select_from(Event)) == 0


def test_crash_inside_the_transaction_leaves_nothing_half_written(
    svc: Services, analyzer: ScriptedAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitr.store import events

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(events, "append", boom)
    analyzer.set("k1", harassment=0.7)
    with pytest.raises(RuntimeError):
        ingest(svc, [item("k1")], actor=PLATFORM, platform="chatapp")
    with svc.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ItemRow)) == 0
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def test_content_and_personal_data_are_encrypted_at_rest(svc: Services) -> None:
    [r] = ingest(
        svc,
        [item("e1", "call me on 0612345678 said Youssef", author="youssef.k", target="amine")],
        actor=PLATFORM,
        platform="chatapp",
    )
    with svc.db.read() as s:
        raw = s.execute(text("SELECT * FROM items")).one()
    blob = repr(tuple(raw))
    for secret in ("0612345678", "Youssef", "youssef.k", "amine"):
        assert secret not in blob
    assert r.sitr_id in blob


def test_same_scores_same_decision_whatever_the_language(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    decisions = []
    for lang in ("ar", "ar-Latn", "fr", "en"):
        analyzer.set(f"l-{lang}", extortion=0.95, harassment=0.3)
        [r] = ingest(svc, [item(f"l-{lang}", lang=lang)], actor=PLATFORM, platform="chatapp")
        decisions.append(r.decision)
    assert all(d == decisions[0] for d in decisions)


def test_chain_verifies_after_ingest(svc: Services, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("v1", outing=0.95)
    analyzer.set("v2", harassment=0.7)
    ingest(svc, [item("v1", target="t"), item("v2"), item("v3")], actor=PLATFORM, platform="chatapp")
    with svc.db.read() as s:
        assert verify_chain(s).ok


def test_real_pipeline_through_the_service(db: object, tmp_path: object) -> None:
    """The service with sitr's own detectors (skipped while the shipped model is being rebuilt)."""
    from sitr.config import load_settings
    from sitr.models.threat_model import ModelMissingError

    settings = load_settings({"SITR_HOME": str(tmp_path), "SITR_SECRET_KEY": "11" * 32})
    real = Services.from_settings(settings, db=db)  # type: ignore[arg-type]
    texts = [
        "I came out to my parents today and I feel free",
        "send me 500 euros or I show your photos to your family",
        "Je suis fier d'être gay",
        "انا فخور بنفسي",
    ]
    try:
        results = ingest(real, [item(f"r{i}", t) for i, t in enumerate(texts)], actor=PLATFORM, platform="chatapp")
    except ModelMissingError as exc:
        pytest.skip(f"shipped threat model unavailable: {exc}")
    assert [r.decision["policy_version"] for r in results] == [real.policy.version] * 4
    assert all(
        set(r.assessment["threats"]) == {"harassment", "outing", "doxxing", "extortion", "entrapment"} for r in results
    )
    assert results[0].decision["outcome"] == "none"
    with real.db.read() as s:
        assert verify_chain(s).ok
