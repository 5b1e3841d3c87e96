"""The platform API end to end: items (single and batch), flags, appeals, statements, export, docs."""

from __future__ import annotations

import json

from conftest import Api, ScriptedAnalyzer


def test_single_item_returns_assessment_and_decision(api: Api, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("p1", outing=0.97)
    r = api.call("POST", "/v1/items", "integration", json={"id": "p1", "text": "x", "target": "t", "lang": "fr"})
    assert r.status_code == 200, r.text
    out = r.json()["item"]
    assert out["id"] == "p1" and out["decision"]["outcome"] == "action"
    assert out["assessment"]["threats"]["outing"]["score"] == 0.97
    assert out["target_notice"]["lang"] == "fr"
    again = api.call("POST", "/v1/items", "integration", json={"id": "p1", "text": "x", "target": "t", "lang": "fr"})
    assert again.json()["item"]["duplicate"] is True
    got = api.call("GET", "/v1/items/p1", "integration").json()
    assert got["sitr_id"] == out["sitr_id"] and got["decision"] == out["decision"]


def test_batch_of_items(api: Api, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("b3", harassment=0.7)
    body = {"items": [{"id": f"b{i}", "text": f"message {i}"} for i in range(5)]}
    r = api.call("POST", "/v1/items", "integration", json=body)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["id"] for i in items] == [f"b{i}" for i in range(5)]
    assert items[3]["case_id"] is not None and items[0]["case_id"] is None


def test_batch_over_1000_is_refused(api: Api) -> None:
    body = {"items": [{"id": i, "text": "a"} for i in range(1001)]}
    r = api.call("POST", "/v1/items", "integration", json=body)
    assert r.status_code == 422 and "1000" in r.text


def test_review_flow_over_http(api: Api, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("x", doxxing=0.6)
    case_id = api.call("POST", "/v1/items", "integration", json={"id": "x", "text": "a"}).json()["item"]["case_id"]
    queue = api.call("GET", "/v1/queue", "reviewer").json()["cases"]
    assert [c["case_id"] for c in queue] == [case_id]
    assert api.call("GET", "/v1/queue?threat=outing", "reviewer").json()["cases"] == []
    assert api.call("POST", f"/v1/cases/{case_id}/claim", "reviewer").status_code == 200
    assert api.call("POST", f"/v1/cases/{case_id}/claim", "reviewer2").status_code == 409
    decision = {
        "threat": "doxxing",
        "actions": ["remove"],
        "clause": "doxxing-2",
        "statement": "Publishes where someone lives.",
        "note": "address confirmed",
    }
    r = api.call("POST", f"/v1/cases/{case_id}/decision", "reviewer", json=decision)
    assert r.status_code == 200, r.text
    statement = api.call("GET", "/v1/items/x/statement", "integration").json()
    assert statement["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    appeal = api.call(
        "POST", "/v1/appeals", "integration", json={"item_id": "x", "appellant": "author", "reason": "public info"}
    )
    assert appeal.status_code == 200, appeal.text
    appeal_id = appeal.json()["case_id"]
    assert api.call("POST", f"/v1/cases/{appeal_id}/claim", "reviewer").status_code == 403
    assert api.call("POST", f"/v1/cases/{appeal_id}/claim", "reviewer2").status_code == 200
    upheld = dict(decision, statement="Upheld on appeal.")
    assert api.call("POST", f"/v1/cases/{appeal_id}/decision", "reviewer2", json=upheld).status_code == 200


def test_queue_next_claims_in_order(api: Api, analyzer: ScriptedAnalyzer) -> None:
    analyzer.set("q1", harassment=0.7)
    analyzer.set("q2", outing=0.6)
    api.call("POST", "/v1/items", "integration", json={"items": [{"id": "q1", "text": "a"}, {"id": "q2", "text": "b"}]})
    first = api.call("POST", "/v1/queue/next", "reviewer").json()["case"]
    assert first["threat"] == "outing" and first["status"] == "claimed"
    second = api.call("POST", "/v1/queue/next", "reviewer2").json()["case"]
    assert second["threat"] == "harassment"
    assert api.call("POST", "/v1/queue/next", "reviewer2").json()["case"] is None


def test_flags_over_http(api: Api) -> None:
    r = api.call(
        "POST",
        "/v1/flags",
        "integration",
        json={
            "item_id": "f1",
            "reporter": "u1",
            "reason": "outing",
            "item": {"id": "f1", "text": "I came out to my family today"},
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["reporter_weight"] == 0.5 and r.json()["queued"] is False
    missing = api.call("POST", "/v1/flags", "integration", json={"item_id": "nope", "reporter": "u", "reason": "other"})
    assert missing.status_code == 404


def test_escalations_are_private_to_their_partner(api: Api) -> None:
    body = {
        "platform": "chatapp",
        "item_id": "e1",
        "reason": "extortion",
        "urgent": True,
        "item": {"id": "e1", "text": "pay or I send the photos"},
    }
    r = api.call("POST", "/v1/escalations", "partner", json=body)
    assert r.status_code == 200, r.text
    assert api.call("GET", "/v1/escalations", "partner").json()["escalations"][0]["status"] == "open"
    assert api.call("GET", "/v1/escalations", "partner2").json()["escalations"] == []
    assert len(api.call("GET", "/v1/escalations", "admin").json()["escalations"]) == 1


def test_export_statements_ndjson(api: Api, analyzer: ScriptedAnalyzer) -> None:
    for i in range(3):
        analyzer.set(f"s{i}", harassment=0.99)
    api.call("POST", "/v1/items", "integration", json={"items": [{"id": f"s{i}", "text": "a"} for i in range(4)]})
    r = api.call("GET", "/v1/export/statements?from=2026-03-01&to=2026-03-03", "integration")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert len(rows) == 3 and all(row["decision_ground"].startswith("DECISION_GROUND_") for row in rows)
    assert api.call("GET", "/v1/export/statements?from=2026-03-03&to=2026-03-01", "admin").status_code == 422
    assert api.call("GET", "/v1/export/statements?from=yesterday&to=2026-03-01", "admin").status_code == 422


def test_docs_are_served_without_any_cdn(api: Api) -> None:
    for path in ("/docs", "/redoc"):
        html = api.client.get(path).text  # type: ignore[attr-defined]
        assert "/docs-static/" in html
        assert "http://" not in html and "https://" not in html
    assert api.client.get("/docs-static/swagger-ui-bundle.js").status_code == 200  # type: ignore[attr-defined]
    spec = api.client.get("/openapi.json").json()  # type: ignore[attr-defined]
    assert "/v1/items" in spec["paths"] and "/v1/export/statements" in spec["paths"]


def test_audit_and_stats(api: Api) -> None:
    api.call("POST", "/v1/items", "integration", json={"id": "a", "text": "x"})
    assert api.call("GET", "/v1/audit/verify", "auditor").json()["ok"] is True
    assert api.call("GET", "/v1/stats", "auditor").json()["small_count_threshold"] == 10
