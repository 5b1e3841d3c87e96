"""The console in a real Chromium: an item sent through the API reaches the queue and a reviewer decides it;
an appeal goes to another reviewer; a partner follows its escalation and cannot open anyone else's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from browser.live import Live
from sitr.moderation.queue import claim
from sitr.moderation.review import Ruling, decide_case
from sitr.store.models import Case, Escalation, Event
from sitr.types import Span

pytestmark = pytest.mark.browser

TEXT_AR = "شوفو هاد الدري، راه مثلي وكيخدم فالحانوت ديال باه. رقمو 0612345678 سيفطو ليه"
PHONE = (TEXT_AR.index("0612345678"), TEXT_AR.index("0612345678") + 10)
CUE = (TEXT_AR.index("راه مثلي"), TEXT_AR.index("راه مثلي") + len("راه مثلي"))


def _outing_item(live: Live, item_id: str, **extra: Any) -> dict[str, Any]:
    live.analyzer.set(
        item_id,
        outing=0.72,
        doxxing=0.41,
        evidence=[("outing", Span(*CUE, "cue:identity_claim")), ("doxxing", Span(*PHONE, "pii:phone"))],
        findings=(Span(*PHONE, "pii:phone"),),
    )
    return live.submit({"id": item_id, "text": TEXT_AR, "lang": "ar", "country": "MA", "target": "user-8841", **extra})


def _event_types(live: Live, case_id: int) -> list[str]:
    with live.svc.db.read() as s:
        return [e.type for e in s.query(Event).filter(Event.case_id == case_id).order_by(Event.seq)]


def test_item_from_the_api_is_queued_claimed_revealed_and_decided(live: Live, as_user: Callable[..., Any]) -> None:
    result = _outing_item(live, "post-1001")
    case_id = result["case_id"]
    assert case_id is not None and result["decision"]["outcome"] == "review"

    page = as_user("amina")
    assert page.url.endswith("/console/queue")
    row = page.locator(f"tr.queue-row[data-case='{case_id}']")
    assert row.count() == 1
    assert "★" in row.inner_text()  # Arabic is one of amina's languages

    # Keyboard: j selects the first row, c claims it.
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("c")
    assert f"/console/cases/{case_id}" in page.url

    # Interface in Arabic: right to left, the mixed text stays isolated.
    with page.expect_navigation():
        page.click("nav.langs a[lang=ar]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    content = page.locator(".content .text").first
    assert content.get_attribute("dir") == "auto"
    assert "0612345678" not in content.inner_text()  # masked until revealed
    assert page.locator(".content .masked").first.inner_text() == "[phone]"
    assert page.locator(".content mark.ev.ev-outing").first.inner_text() == "راه مثلي"

    # Reveal is recorded, then shows the number.
    page.fill("#reveal-reason", "التحقق من الرقم")
    with page.expect_navigation():
        page.click("form[action$='/reveal'] button[type=submit]")
    assert "0612345678" in page.locator(".content").inner_text()
    assert "data_revealed" in _event_types(live, case_id)

    # The statement of reasons is prefilled in the author's language (Arabic), and editable.
    statement = page.input_value("#statement")
    assert any("\u0600" <= ch <= "\u06ff" for ch in statement)
    page.fill("#note", "confirmed with the helpline")
    page.focus("#note")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert "/console/queue" in page.url and "notice=case.decided" in page.url
    assert page.locator(f"tr.queue-row[data-case='{case_id}']").count() == 0
    with live.svc.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.status == "decided" and case.decided_by == live.actors["amina"].id
    assert _event_types(live, case_id)[-1] in ("decided", "target_notified")


def test_an_appeal_goes_to_another_reviewer(live: Live, as_user: Callable[..., Any]) -> None:
    first = _outing_item(live, "post-2002")
    amina = live.actors["amina"]
    claim(live.svc, amina, first["case_id"])
    decide_case(live.svc, amina, first["case_id"], Ruling("outing", None, "rule 2", "statement"))
    r = live.api("POST", "/v1/appeals", json={"item_id": "post-2002", "appellant": "author", "reason": "self post"})
    assert r.status_code == 200, r.text
    appeal_id = r.json()["case_id"]

    page = as_user("amina")
    page.goto(live.base_url + "/console/appeals")
    assert page.locator(f"tr.queue-row[data-case='{appeal_id}']").count() == 0
    page.goto(f"{live.base_url}/console/cases/{appeal_id}")
    assert page.locator("#claim").count() == 0  # no claim button for the reviewer under appeal
    assert page.locator("p.notice.error").count() == 1
    # Even a hand-made claim is refused by the service.
    page.evaluate(
        """([url, csrf]) => { const f = document.createElement('form'); f.method = 'post'; f.action = url;
        const i = document.createElement('input'); i.type = 'hidden'; i.name = 'csrf'; i.value = csrf;
        f.appendChild(i); document.body.appendChild(f); f.submit(); }""",
        [f"/console/cases/{appeal_id}/claim", page.input_value("form[action$='/logout'] input[name=csrf]")],
    )
    page.wait_for_url("**notice=err.forbidden_action")
    with live.svc.db.read() as s:
        held = s.get(Case, appeal_id)
        assert held is not None and held.status == "open"

    other = as_user("lucas")
    other.goto(live.base_url + "/console/appeals")
    row = other.locator(f"tr.queue-row[data-case='{appeal_id}']")
    assert row.count() == 1
    with other.expect_navigation():
        row.locator("button[data-row-key=c]").click()
    other.select_option("#threat", "none")
    assert other.locator("#actions input:checked").count() == 0  # the policy's prefill for "no rule broken"
    with other.expect_navigation():
        other.click("#decision-form button[type=submit]")
    assert "/console/appeals" in other.url
    with live.svc.db.read() as s:
        case = s.get(Case, appeal_id)
        assert case is not None and case.status == "decided" and case.decided_by == live.actors["lucas"].id
        decided = s.query(Event).filter(Event.case_id == appeal_id, Event.type == "appeal_decided").one()
        assert '"reversed":true' in decided.payload


def test_a_partner_follows_its_escalation_and_sees_nobody_elses(live: Live, as_user: Callable[..., Any]) -> None:
    page = as_user("helpline", locale="fr-FR")
    assert page.get_attribute("html", "lang") == "fr"  # the browser's language is the default
    page.select_option("#platform", "chatapp")
    page.fill("#item_ref", "https://chatapp.example/p/77")
    page.fill("#text", "Voici son adresse : 12 rue des Oliviers, il est gay, faites passer")
    page.select_option("#reason", "doxxing")
    page.check("input[name=urgent]")
    page.fill("#note", "La personne nous a contactés ce matin.")
    with page.expect_navigation():
        page.click("form[action$='/partner/escalations'] button[type=submit]")
    assert "/console/partner/escalations/" in page.url
    escalation_id = int(page.url.split("/escalations/")[1].split("?")[0])
    assert page.inner_text("#esc-status") == "en attente de revue"

    with live.svc.db.read() as s:
        esc = s.get(Escalation, escalation_id)
        assert esc is not None and esc.urgent
        case_id = esc.case_id
    lucas = live.actors["lucas"]
    claim(live.svc, lucas, case_id)
    decide_case(live.svc, lucas, case_id, Ruling("doxxing", None, "rule 3", "statement"))
    page.reload()
    assert page.inner_text("#esc-status") == "mesure prise"

    page.goto(live.base_url + "/console/partner")
    assert page.locator(f"tr.esc-row[data-escalation='{escalation_id}']").count() == 1
    # A partner cannot reach the review pages.
    assert page.goto(live.base_url + "/console/queue").status == 403
    assert page.goto(f"{live.base_url}/console/cases/{case_id}").status == 403

    other = as_user("otherline")
    response = other.goto(f"{live.base_url}/console/partner/escalations/{escalation_id}")
    assert response is not None and response.status == 404
    other.goto(live.base_url + "/console/partner")
    assert other.locator(f"tr.esc-row[data-escalation='{escalation_id}']").count() == 0
