"""The console's work flows over HTTP: queue, claim, masked case view, recorded reveal, decision, appeals,
and the partner portal's isolation (a partner never sees another partner's escalation)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitr.store.events import read_private
from sitr.store.models import Case, Escalation, Event
from sitr.types import Span
from test_web_support import Web, csrf_of, make_web


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    yield from make_web(tmp_path, monkeypatch)

TEXT = "هاد الواد مثلي، رقمو 0612345678 call him"
PHONE = Span(TEXT.index("0612345678"), TEXT.index("0612345678") + 10, "pii:phone")


def _queue_outing(web: Web, item_id: str = "m1", **extra: object) -> int:
    web.analyzer.set(item_id, (PHONE,), outing=0.7)
    out = web.submit({"id": item_id, "text": TEXT, "lang": "ar", "country": "MA", "target": "victim-7", **extra})
    assert out["case_id"] is not None
    return int(out["case_id"])


def _events(web: Web, case_id: int, kind: str) -> list[Event]:
    with web.svc.db.read() as s:
        return list(s.query(Event).filter(Event.case_id == case_id, Event.type == kind).order_by(Event.seq))


def test_queue_shows_api_items_own_languages_first_with_time_left(web: Web) -> None:
    web.analyzer.set("fr1", harassment=0.8)
    fr_case = web.submit({"id": "fr1", "text": "texte", "lang": "fr"})["case_id"]
    web.analyzer.set("ar1", harassment=0.8)
    ar_case = web.submit({"id": "ar1", "text": "نص", "lang": "ar"})["case_id"]
    amina, lucas = web.login("amina"), web.login("lucas")

    page = amina.get("/console/queue").text
    assert page.index(f'data-case="{ar_case}"') < page.index(f'data-case="{fr_case}"')
    assert "23 h 59 min left" not in page and "24 h" not in page
    assert "1 d 0 h left" in page  # harassment: 24-hour deadline, clock frozen at submission
    page = lucas.get("/console/queue").text
    assert page.index(f'data-case="{fr_case}"') < page.index(f'data-case="{ar_case}"')

    filtered = amina.get("/console/queue", params={"lang": "fr"}).text
    assert f'data-case="{fr_case}"' in filtered and f'data-case="{ar_case}"' not in filtered
    assert f'data-case="{ar_case}"' not in amina.get("/console/queue", params={"threat": "outing"}).text

    web.clock.advance(hours=25)
    assert "overdue by 1 h 00 min" in amina.get("/console/queue").text


def test_claim_reveal_and_decide_through_the_console(web: Web) -> None:
    case_id = _queue_outing(web)
    client = web.login("amina")
    token = web.token(client, "/console/queue")

    page = client.get(f"/console/cases/{case_id}").text
    assert "0612345678" not in page and "[phone]" in page and "victim-7" not in page
    assert 'dir="auto"' in page

    # Revealing needs the case claimed first.
    r = client.post(f"/console/cases/{case_id}/reveal", data={"csrf": token, "fields": "content", "reason": "check"})
    assert r.status_code == 303 and "notice=err.conflict" in r.headers["location"]
    assert _events(web, case_id, "data_revealed") == []

    r = client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    assert r.status_code == 303 and r.headers["location"].endswith("notice=case.claimed")
    page = client.get(f"/console/cases/{case_id}").text
    assert 'id="decision-form"' in page
    prefills = json.loads(page.split('id="prefills">')[1].split("</script>")[0])
    assert set(prefills) == {"harassment", "outing", "doxxing", "extortion", "entrapment", "none"}
    assert prefills["none"]["actions"] == [] and "remove" in prefills["outing"]["actions"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in prefills["outing"]["statement"])  # the author's language

    r = client.post(
        f"/console/cases/{case_id}/reveal",
        data={"csrf": token, "fields": ["content", "target"], "reason": "verify the number"},
    )
    assert r.status_code == 200 and "0612345678" in r.text and "victim-7" in r.text
    (revealed,) = _events(web, case_id, "data_revealed")
    assert json.loads(revealed.payload) == {"fields": ["content", "target"]}
    assert read_private(web.svc.cipher, revealed) == {"reason": "verify the number"}
    assert "0612345678" not in client.get(f"/console/cases/{case_id}").text  # a reveal lasts one view

    r = client.post(
        f"/console/cases/{case_id}/decision",
        data={
            "csrf": token,
            "threat": "outing",
            "actions": ["remove", "notify_target"],
            "clause": "sitr community rules, rule 2 (outing)",
            "statement": "تم حذف المنشور",
            "note": "clear outing",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/queue?notice=case.decided"
    (decided,) = _events(web, case_id, "decided")
    payload = json.loads(decided.payload)
    assert payload["actions"] == ["remove", "notify_target"] and payload["threat"] == "outing"
    assert read_private(web.svc.cipher, decided) == {"statement": "تم حذف المنشور", "note": "clear outing"}
    assert f'data-case="{case_id}"' not in client.get("/console/queue").text

    # The history on the case page shows the decision, its clause and statement.
    page = client.get(f"/console/cases/{case_id}").text
    assert "rule 2 (outing)" in page and "تم حذف المنشور" in page


def test_no_violation_ruling_takes_no_actions_and_incomplete_forms_are_refused(web: Web) -> None:
    case_id = _queue_outing(web)
    client = web.login("amina")
    token = web.token(client)
    client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    r = client.post(f"/console/cases/{case_id}/decision", data={"csrf": token, "threat": "outing", "clause": "x"})
    assert "notice=decision.incomplete" in r.headers["location"]
    r = client.post(f"/console/cases/{case_id}/decision", data={"csrf": token, "threat": "bogus", "clause": "x",
                                                                "statement": "s"})
    assert "notice=err.invalid" in r.headers["location"]
    r = client.post(
        f"/console/cases/{case_id}/decision",
        data={"csrf": token, "threat": "none", "actions": ["remove"], "clause": "no rule", "statement": "ok"},
    )
    assert r.status_code == 303
    (decided,) = _events(web, case_id, "decided")
    assert json.loads(decided.payload)["outcome"] == "none"
    assert json.loads(decided.payload)["actions"] == []


def test_claim_next_and_a_case_held_by_another_reviewer(web: Web) -> None:
    case_id = _queue_outing(web)
    amina, lucas = web.login("amina"), web.login("lucas")
    r = amina.post("/console/queue/next", data={"csrf": web.token(amina), "kind": "review"})
    assert r.headers["location"] == f"/console/cases/{case_id}?notice=case.claimed"
    assert f'data-case="{case_id}"' in amina.get("/console/queue").text  # under "Claimed by you"
    token = web.token(lucas)
    r = lucas.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    assert "notice=err.conflict" in r.headers["location"]
    r = lucas.post("/console/queue/next", data={"csrf": token, "kind": "review"})
    assert r.headers["location"].startswith("/console/queue?") and "notice=queue.empty" in r.headers["location"]
    assert "Another reviewer is working on this case." in lucas.get(f"/console/cases/{case_id}").text
    assert lucas.get("/console/cases/9999").status_code == 404


def test_an_appeal_is_hidden_from_and_refused_to_the_original_reviewer(web: Web) -> None:
    case_id = _queue_outing(web)
    amina = web.login("amina")
    token = web.token(amina)
    amina.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    amina.post(
        f"/console/cases/{case_id}/decision",
        data={"csrf": token, "threat": "outing", "actions": ["remove"], "clause": "rule 2", "statement": "removed"},
    )
    r = web.api("POST", "/v1/appeals", json={"item_id": "m1", "appellant": "author", "reason": "it is my own post"})
    appeal_id = r.json()["case_id"]

    assert f'data-case="{appeal_id}"' not in amina.get("/console/appeals").text
    assert f'data-case="{appeal_id}"' not in amina.get("/console/queue").text
    page = amina.get(f"/console/cases/{appeal_id}").text
    assert "another reviewer must take this appeal" in page and 'id="claim"' not in page
    r = amina.post(f"/console/cases/{appeal_id}/claim", data={"csrf": token})
    assert "notice=err.forbidden_action" in r.headers["location"]
    assert _events(web, appeal_id, "claimed") == []

    lucas = web.login("lucas")
    page = lucas.get("/console/appeals").text
    assert f'data-case="{appeal_id}"' in page
    token = web.token(lucas)
    lucas.post(f"/console/cases/{appeal_id}/claim", data={"csrf": token})
    page = lucas.get(f"/console/cases/{appeal_id}").text
    assert "it is my own post" in page  # the appellant's reason is part of the history
    r = lucas.post(
        f"/console/cases/{appeal_id}/decision",
        data={"csrf": token, "threat": "none", "clause": "no rule broken", "statement": "restored"},
    )
    assert r.headers["location"] == "/console/appeals?notice=case.decided"
    (done,) = _events(web, appeal_id, "appeal_decided")
    assert json.loads(done.payload)["reversed"] is True


def test_partner_escalates_follows_status_and_cannot_see_others(web: Web) -> None:
    helpline = web.login("helpline")
    page = helpline.get("/console/partner").text
    token = csrf_of(page)
    assert '<option value="chatapp"' in page

    r = helpline.post("/console/partner/escalations", data={
        "csrf": token, "platform": "chatapp", "item_ref": "https://chatapp.example/p/1", "reason": "doxxing"})
    assert r.status_code == 404 and "add a copy of the content" in r.text  # never sent by the platform

    r = helpline.post("/console/partner/escalations", data={
        "csrf": token, "platform": "chatapp", "item_ref": "https://chatapp.example/p/1", "reason": "doxxing",
        "text": "his address is 4 olive street", "urgent": "on", "note": "called us", "lang": "en"})
    assert r.status_code == 303
    location = r.headers["location"]
    escalation_id = int(location.split("/escalations/")[1].split("?")[0])
    page = helpline.get(location).text
    assert "waiting for review" in page and "urgent" in page
    with web.svc.db.read() as s:
        esc = s.get(Escalation, escalation_id)
        assert esc is not None and esc.urgent and esc.partner_id == web.actors["helpline"].id
        case = s.get(Case, esc.case_id)
        assert case is not None and case.origin == "escalation"

    # Once decided, the partner sees the outcome and the time to action.
    lucas = web.login("lucas")
    token_r = web.token(lucas)
    web.clock.advance(minutes=42)
    lucas.post(f"/console/cases/{esc.case_id}/claim", data={"csrf": token_r})
    lucas.post(f"/console/cases/{esc.case_id}/decision", data={
        "csrf": token_r, "threat": "doxxing", "actions": ["remove"], "clause": "rule 3", "statement": "removed"})
    page = helpline.get(location).text
    assert "action taken" in page and "42 min" in page
    assert "42 min" in helpline.get("/console/partner").text

    other = web.login("otherline")
    assert other.get(f"/console/partner/escalations/{escalation_id}").status_code == 404
    assert f'data-escalation="{escalation_id}"' not in other.get("/console/partner").text
    assert other.get("/console/partner/escalations/99999").status_code == 404
    for path in ("/console/queue", f"/console/cases/{esc.case_id}", "/console/admin"):
        assert helpline.get(path).status_code == 403
