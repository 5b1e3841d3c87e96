"""No message text or personal data in logs, whatever happens: normal flows, errors, bad input."""

from __future__ import annotations

import logging

import pytest

from conftest import Api, ScriptedAnalyzer

TEXT = "Samira Haddad lives at 14 rue des Oliviers, her number is 0698765432"
PEOPLE = ("samira.h", "uploader_99", "reporter-7")


def test_logs_never_hold_content_or_personal_data(
    api: Api, analyzer: ScriptedAnalyzer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sitr", "uvicorn", "fastapi", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    analyzer.set("d1", doxxing=0.6)
    r = api.call(
        "POST", "/v1/items", "integration", json={"id": "d1", "text": TEXT, "author": PEOPLE[1], "target": PEOPLE[0]}
    )
    case_id = r.json()["item"]["case_id"]
    api.call(
        "POST",
        "/v1/flags",
        "integration",
        json={"item_id": "d1", "reporter": PEOPLE[2], "reason": "doxxing", "note": TEXT},
    )
    api.call("POST", "/v1/items", "integration", json={"id": "bad", "text": TEXT, "unknown": TEXT})
    api.call("POST", "/v1/items", "integration", json={"id": "d1", "text": TEXT + "!"})  # conflict
    api.call("GET", f"/v1/cases/{case_id}", "reviewer")
    api.call("POST", f"/v1/cases/{case_id}/claim", "reviewer")
    api.call("POST", f"/v1/cases/{case_id}/reveal", "reviewer", json={"fields": ["content", "target"], "reason": TEXT})
    api.call(
        "POST",
        f"/v1/cases/{case_id}/decision",
        "reviewer",
        json={"threat": "doxxing", "clause": "d", "statement": TEXT, "note": TEXT},
    )
    import sitr.api.routes_items as routes

    def broken(*_a: object, **_k: object) -> None:
        raise ValueError(TEXT)

    monkeypatch.setattr(routes, "ingest", broken)
    assert api.call("POST", "/v1/items", "integration", json={"id": "z", "text": TEXT}).status_code == 500
    assert caplog.records, "expected some log records to check"
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (TEXT, "Samira", "0698765432", *PEOPLE):
        assert secret not in logged, secret
