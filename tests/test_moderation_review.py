"""Queue ordering, safe claiming, decisions, appeals by another reviewer, masking and logged reveals."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select

from conftest import Clock, ScriptedAnalyzer, item
from sitr.moderation.appeals import appeal
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict, Forbidden, Invalid
from sitr.moderation.ingest import ingest
from sitr.moderation.queue import QueueFilter, claim, claim_next, list_queue
from sitr.moderation.review import Ruling, decide_case, get_case, reveal
from sitr.store.events import read_private
from sitr.store.models import Event
from sitr.store.models import Item as ItemRow
from sitr.types import Span

PLATFORM = Actor(id=None, name="chatapp", role="integration")
REMOVE_OUTING = Ruling(threat="outing", actions=("remove",), clause="outing-1", statement="Exposes a person.")
NO_VIOLATION = Ruling(threat=None, actions=None, clause="none", statement="No rule broken.")


def _queue_case(svc: Services, analyzer: ScriptedAnalyzer, ext: str, **kw: object) -> int:
    scores = {k: v for k, v in kw.items() if isinstance(v, float)}
    fields = {k: v for k, v in kw.items() if not isinstance(v, float)}
    analyzer.set(ext, **scores)  # type: ignore[arg-type]
    [r] = ingest(svc, [item(ext, **fields)], actor=PLATFORM, platform="chatapp")
    assert r.case_id is not None
    return r.case_id


def test_queue_orders_by_severity_then_deadline_and_filters(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    harass = _queue_case(svc, analyzer, "h", harassment=0.7, lang="en")
    outing = _queue_case(svc, analyzer, "o", outing=0.6, lang="fr")
    entrap = _queue_case(svc, analyzer, "e", entrapment=0.6, lang="ar", country="EG")
    reviewer = make_user("reviewer")
    assert [c["case_id"] for c in list_queue(svc, reviewer)] == [outing, entrap, harass]
    assert [c["case_id"] for c in list_queue(svc, reviewer, QueueFilter(threat="harassment"))] == [harass]
    assert [c["case_id"] for c in list_queue(svc, reviewer, QueueFilter(country="eg"))] == [entrap]
    assert [c["case_id"] for c in list_queue(svc, reviewer, QueueFilter(lang="fr"))] == [outing]
    assert [c["case_id"] for c in list_queue(svc, reviewer, QueueFilter(variety="msa"))] == [entrap]


def test_reviewers_see_their_languages_first(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    fr = _queue_case(svc, analyzer, "fr", outing=0.6, lang="fr")
    ar = _queue_case(svc, analyzer, "ar", harassment=0.7, lang="ar")
    arabic_reader = make_user("reviewer", languages=["ar"])
    assert [c["case_id"] for c in list_queue(svc, arabic_reader)][:2] == [ar, fr]
    assert [c["case_id"] for c in list_queue(svc, make_user("reviewer"))][:2] == [fr, ar]


def test_claim_is_exclusive_and_leases_expire(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor], clock: Clock
) -> None:
    case_id = _queue_case(svc, analyzer, "x", harassment=0.7)
    alice, bob = make_user("reviewer"), make_user("reviewer")
    assert claim(svc, alice, case_id)["claimed_by"] == alice.id
    with pytest.raises(Conflict):
        claim(svc, bob, case_id)
    assert list_queue(svc, bob) == []
    clock.advance(minutes=31)
    assert claim(svc, bob, case_id)["claimed_by"] == bob.id


def test_many_workers_claim_each_case_once(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    cases = {_queue_case(svc, analyzer, f"c{i}", harassment=0.7) for i in range(6)}
    reviewers = [make_user("reviewer") for _ in range(4)]
    got: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(r: Actor) -> None:
        try:
            while (c := claim_next(svc, r)) is not None:
                with lock:
                    got.append(c["case_id"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(r,)) for r in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(got) == sorted(cases)


def test_decision_needs_the_claim_and_updates_the_item(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    case_id = _queue_case(svc, analyzer, "o", outing=0.6)
    alice, bob = make_user("reviewer"), make_user("reviewer")
    with pytest.raises(Conflict):
        decide_case(svc, alice, case_id, REMOVE_OUTING)
    claim(svc, alice, case_id)
    with pytest.raises(Conflict):
        decide_case(svc, bob, case_id, REMOVE_OUTING)
    out = decide_case(svc, alice, case_id, REMOVE_OUTING)
    assert out["status"] == "decided" and out["decision"]["outcome"] == "action"
    assert out["decision"]["automated"] is False
    with svc.db.read() as s:
        row = s.scalars(select(ItemRow)).one()
        assert row.outcome == "action" and row.decided_by == alice.id and not row.automated
        ev = s.scalars(select(Event).where(Event.type == "decided")).one()
        assert "Exposes a person." not in ev.payload  # statement and note are stored encrypted
        assert read_private(svc.cipher, ev) == {"statement": "Exposes a person.", "note": None}
    with pytest.raises(Conflict):
        decide_case(svc, alice, case_id, REMOVE_OUTING)


def test_bad_rulings_are_refused(svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]) -> None:
    case_id = _queue_case(svc, analyzer, "o", outing=0.6)
    alice = make_user("reviewer")
    claim(svc, alice, case_id)
    for bad in (
        Ruling(threat="gossip", actions=None, clause="x", statement="s"),
        Ruling(threat="outing", actions=("delete_everything",), clause="x", statement="s"),
        Ruling(threat=None, actions=("remove",), clause="x", statement="s"),
    ):
        with pytest.raises(Invalid):
            decide_case(svc, alice, case_id, bad)


def test_appeal_goes_to_another_reviewer(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    case_id = _queue_case(svc, analyzer, "o", outing=0.6)
    alice, bob = make_user("reviewer"), make_user("reviewer")
    claim(svc, alice, case_id)
    decide_case(svc, alice, case_id, REMOVE_OUTING)
    appeal_case = appeal(svc, PLATFORM, "o", appellant="author", reason="it was my own post")["case_id"]
    with pytest.raises(Conflict):
        appeal(svc, PLATFORM, "o", appellant="author", reason="again")
    assert appeal_case not in [c["case_id"] for c in list_queue(svc, alice)]
    with pytest.raises(Forbidden):
        claim(svc, alice, appeal_case)
    claim(svc, bob, appeal_case)
    out = decide_case(svc, bob, appeal_case, NO_VIOLATION)
    assert out["decision"]["outcome"] == "none"
    with svc.db.read() as s:
        ev = s.scalars(select(Event).where(Event.type == "appeal_decided")).one()
        assert '"reversed":true' in ev.payload
        assert s.scalars(select(ItemRow.outcome)).one() == "none"


def test_appeal_of_automatic_decision_any_reviewer(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    analyzer.set("auto", harassment=0.99)
    ingest(svc, [item("auto")], actor=PLATFORM, platform="chatapp")
    case = appeal(svc, PLATFORM, "auto", appellant="author", reason="satire")
    alice = make_user("reviewer")
    assert claim(svc, alice, case["case_id"])["status"] == "claimed"


def test_personal_data_is_masked_until_revealed_and_the_reveal_is_logged(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    text = "Karim lives at 12 rue X, call 0612345678"
    analyzer.set("m", (Span(0, 5, "name"), Span(30, 40, "pii:phone")), doxxing=0.6)
    [r] = ingest(svc, [item("m", text, author="acc-9", target="karim")], actor=PLATFORM, platform="chatapp")
    assert r.case_id is not None
    alice = make_user("reviewer")
    view = get_case(svc, alice, r.case_id)
    shown = view["item"]["content"]["text"]
    assert "0612345678" not in shown and "Karim" not in shown and "[phone]" in shown and "[name]" in shown
    assert view["item"]["author"] == "[hidden]" and view["item"]["target"] == "[hidden]"
    with pytest.raises(Conflict):
        reveal(svc, alice, r.case_id, ("content",), "need to check the number")
    claim(svc, alice, r.case_id)
    shown = reveal(svc, alice, r.case_id, ("content", "target"), "need to check the number")
    assert shown["content"]["text"] == text and shown["target"] == "karim"
    with svc.db.read() as s:
        ev = s.scalars(select(Event).where(Event.type == "data_revealed")).one()
        assert ev.actor == alice.label and '"fields":["content","target"]' in ev.payload


def test_conversation_senders_are_masked(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    analyzer.set("conv", extortion=0.6)
    conv = {"id": "conv", "messages": [{"from": "u", "text": "hi"}, {"from": "samir_77", "text": "pay or else"}]}
    from sitr.types import Item

    [r] = ingest(svc, [Item.from_dict(conv)], actor=PLATFORM, platform="chatapp")
    assert r.case_id is not None
    msgs = get_case(svc, make_user("reviewer"), r.case_id)["item"]["content"]["messages"]
    assert [m["from"] for m in msgs] == ["target", "participant 1"]


def test_cases_table_is_a_view_of_the_event_log(
    svc: Services, analyzer: ScriptedAnalyzer, make_user: Callable[..., Actor]
) -> None:
    from sqlalchemy import text

    from sitr.moderation.projection import check_cases

    a = _queue_case(svc, analyzer, "a", outing=0.6)
    _queue_case(svc, analyzer, "b", harassment=0.7)
    alice, bob = make_user("reviewer"), make_user("reviewer")
    claim(svc, alice, a)
    decide_case(svc, alice, a, REMOVE_OUTING)
    appeal_case = appeal(svc, PLATFORM, "a", appellant="author", reason="r")["case_id"]
    claim(svc, bob, appeal_case)
    with svc.db.read() as s:
        report = check_cases(s)
    assert report.ok and report.cases == 3
    with svc.db.write() as s:  # someone edits the projection behind the log's back
        s.execute(text("UPDATE cases SET status = 'decided' WHERE id = :i"), {"i": appeal_case})
    with svc.db.read() as s:
        assert check_cases(s).mismatches == ((appeal_case, "claimed", "decided"),)
