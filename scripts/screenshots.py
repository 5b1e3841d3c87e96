#!/usr/bin/env python
"""Screenshots of the console's main pages, saved as PNG into docs/screenshots/.

Starts a live sitr on 127.0.0.1 with a temporary database, fills it with invented demonstration items
(nobody real: names, numbers and places are made up), and photographs the pages with Debian's Chromium:
the review queue (English), a case in Arabic (right to left), the partner portal (French), the admin page and
the auditor's figures. Needs scripts/ensure_browser.sh first; never downloads a browser.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser.live import Live, launch_chromium, live_server, sign_in  # noqa: E402
from sitr.moderation.escalations import escalate  # noqa: E402
from sitr.moderation.queue import claim  # noqa: E402
from sitr.moderation.review import Ruling, decide_case  # noqa: E402
from sitr.types import Item, Span  # noqa: E402


def _span(text: str, part: str, kind: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), kind)


def _msg_span(messages: list[dict[str, str]], index: int, part: str, kind: str) -> Span:
    start = messages[index]["text"].index(part)
    return Span(start, start + len(part), kind, message=index)


def seed(live: Live) -> dict[str, int]:
    """Invented items covering the threats, languages and surfaces a reviewer meets."""
    a = live.analyzer
    ids: dict[str, int] = {}

    outing = "شوفو هاد الدري، راه مثلي وكيخدم فالحانوت ديال باه فحي النهضة. رقمو 0612345678 سيفطو ليه"
    a.set(
        "post-4471",
        outing=0.81,
        doxxing=0.57,
        evidence=[
            ("outing", _span(outing, "راه مثلي", "cue:identity_claim")),
            ("outing", _span(outing, "شوفو هاد الدري", "cue:exposure_call")),
            ("doxxing", _span(outing, "كيخدم فالحانوت ديال باه", "cue:workplace")),
        ],
        findings=(_span(outing, "0612345678", "pii:phone"), _span(outing, "فحي النهضة", "pii:address")),
    )
    ids["outing"] = live.submit(
        {"id": "post-4471", "text": outing, "lang": "ar", "country": "MA", "surface": "post", "target": "u-8841"}
    )["case_id"]

    chat = [
        {"from": "u-301",
         "text": "3andi tsawer dyalek m3a sa7bek. ila ma sifti liya 2000 dh ghada nsiftehom l familtek"},
        {"from": "u-302", "text": "3lach katdir hakka? 3afak"},
        {"from": "u-301", "text": "3andek 24 sa3a. ra 3reft fin katskon"},
    ]
    a.set(
        "chat-990",
        extortion=0.76,
        evidence=[
            ("extortion", _msg_span(chat, 0, "ila ma sifti liya 2000 dh", "cue:demand")),
            ("extortion", _msg_span(chat, 0, "ghada nsiftehom l familtek", "cue:threat_to_expose")),
            ("extortion", _msg_span(chat, 2, "3andek 24 sa3a", "cue:deadline")),
        ],
    )
    ids["extortion"] = live.submit(
        {"id": "chat-990", "messages": chat, "lang": "ar-Latn", "country": "MA", "surface": "dating_chat",
         "target": "u-302"}
    )["case_id"]

    harass = "Ces gens-là sont une maladie, il faut les chasser du quartier avant qu'ils contaminent nos enfants."
    a.set("c-5120", harassment=0.74,
          evidence=[("harassment", _span(harass, "sont une maladie", "cue:dehumanising")),
                    ("harassment", _span(harass, "il faut les chasser", "cue:incitement"))])
    ids["harassment"] = live.submit(
        {"id": "c-5120", "text": harass, "lang": "fr", "country": "TN", "surface": "comment"}
    )["case_id"]

    lure = [
        {"from": "u-77",
         "text": "you look nice, are you alone tonight? come to the corniche at 11, send me your id first"},
        {"from": "u-78", "text": "why do you need my id?"},
    ]
    a.set("dm-33", entrapment=0.66,
          evidence=[("entrapment", _msg_span(lure, 0, "come to the corniche at 11", "cue:meeting_push")),
                    ("entrapment", _msg_span(lure, 0, "send me your id first", "cue:identity_request"))])
    ids["entrapment"] = live.submit(
        {"id": "dm-33", "messages": lure, "lang": "en", "country": "EG", "surface": "dm", "target": "u-78"}
    )["case_id"]

    dox = "ده عنوانه: شارع التحرير عمارة ٤ الدور التالت، وبيشتغل في البنك، روحوله"
    a.set("post-88", doxxing=0.69,
          evidence=[("doxxing", _span(dox, "روحوله", "cue:call_to_action"))],
          findings=(_span(dox, "شارع التحرير عمارة ٤ الدور التالت", "pii:address"),
                    _span(dox, "بيشتغل في البنك", "pii:workplace")))
    ids["doxxing"] = live.submit(
        {"id": "post-88", "text": dox, "lang": "ar", "country": "EG", "surface": "post"}
    )["case_id"]

    # A decided case, appealed: the appeal shows in the appeals queue, with its history.
    a.set("post-61", outing=0.7)
    decided = live.submit({"id": "post-61", "text": "kolchi 3aref bli howa mitli", "lang": "ar-Latn",
                           "country": "DZ"})["case_id"]
    amina = live.actors["amina"]
    claim(live.svc, amina, decided)
    decide_case(live.svc, amina, decided, Ruling("outing", None, "sitr community rules, rule 2 (outing)",
                                                  "Removed under rule 2."))
    r = live.api("POST", "/v1/appeals", json={"item_id": "post-61", "appellant": "author",
                                              "reason": "I wrote about myself"})
    r.raise_for_status()

    # The partner's escalations: one actioned, one waiting and urgent.
    helpline = live.actors["helpline"]
    first = escalate(live.svc, helpline, platform="chatapp", external_id="https://chatapp.example/p/312",
                     reason="outing", urgent=True, note=None,
                     item=Item.from_dict({"id": "https://chatapp.example/p/312", "text": "invented example"}))
    lucas, handled = live.actors["lucas"], _case_of(live, first["escalation_id"])
    claim(live.svc, lucas, handled)
    decide_case(live.svc, lucas, handled, Ruling("outing", None, "sitr community rules, rule 2 (outing)", "Removed."))
    escalate(live.svc, helpline, platform="chatapp", external_id="chat-990", reason="extortion", urgent=True,
             note="The person is being asked to pay tonight.")
    escalate(live.svc, helpline, platform="chatapp", external_id="c-5120", reason="harassment", urgent=False,
             note=None)
    return ids


def _case_of(live: Live, escalation_id: int) -> int:
    from sitr.store.models import Escalation

    with live.svc.db.read() as s:
        esc = s.get(Escalation, escalation_id)
        assert esc is not None
        return int(esc.case_id)


def shoot(page: Any, path: Path, *, full: bool = True) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=full)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp)) as live, sync_playwright() as p:
        ids = seed(live)
        browser = launch_chromium(p)

        def page_for(name: str, locale: str) -> Any:
            context = browser.new_context(locale=locale, viewport={"width": 1366, "height": 900},
                                          device_scale_factor=1)
            page = context.new_page()
            sign_in(page, live.base_url, name)
            return page

        reviewer = page_for("amina", "en-GB")
        reviewer.goto(live.base_url + "/console/queue")
        reviewer.click(f"tr.queue-row[data-case='{ids['extortion']}'] button[data-row-key=c]")
        reviewer.wait_for_load_state("domcontentloaded")
        reviewer.goto(live.base_url + "/console/queue")
        shoot(reviewer, out / "queue.png")

        reviewer.goto(live.base_url + "/console/lang?to=ar&next=/console/cases/" + str(ids["outing"]))
        reviewer.click("#claim")
        reviewer.wait_for_load_state("domcontentloaded")
        shoot(reviewer, out / "case-ar.png")

        reviewer.goto(live.base_url + "/console/lang?to=en&next=/console/cases/" + str(ids["extortion"]))
        shoot(reviewer, out / "case-conversation.png")

        second = page_for("lucas", "en-GB")  # amina decided the appealed case: the appeal is not hers to see
        second.goto(live.base_url + "/console/appeals")
        shoot(second, out / "appeals.png", full=False)

        partner = page_for("helpline", "fr-FR")
        shoot(partner, out / "partner-fr.png")

        admin = page_for("admin", "en-GB")
        shoot(admin, out / "admin.png")
        admin.goto(live.base_url + "/console/stats")
        shoot(admin, out / "stats.png", full=False)

        login = browser.new_context(locale="ar", viewport={"width": 1000, "height": 640}).new_page()
        login.goto(live.base_url + "/console/login")
        shoot(login, out / "login-ar.png", full=False)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
