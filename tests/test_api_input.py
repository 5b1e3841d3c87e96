"""Bad input gets a clear 4xx, and error bodies never echo what was sent.

Validation happens before any database work, so these run on SQLite only (the backends are compared by the
other API tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Api


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sitr.db'}"


SECRET = "Ahmed from Rabat is gay 0612345678"


BAD_ITEMS: list[tuple[dict[str, object], int, str]] = [
    ({"id": "a", "text": SECRET, "colour": "red"}, 422, "extra"),
    ({"id": "a", "text": 12}, 422, "string"),
    ({"id": True, "text": SECRET}, 422, "id"),
    ({"text": SECRET}, 422, "id"),
    ({"id": "a"}, 422, "neither text nor messages"),
    ({"id": "a", "text": SECRET, "messages": [{"from": "u", "text": "x"}]}, 422, "either text or messages"),
    ({"id": "a", "text": SECRET, "surface": "billboard"}, 422, "surface"),
    ({"id": "a", "text": SECRET, "country": "Morocco"}, 422, "country"),
    ({"id": "a", "text": SECRET, "created_at": "last tuesday"}, 422, "created_at"),
    ({"id": "a" * 300, "text": SECRET}, 422, "id"),
    ({"id": "a", "text": "x" * (64 * 1024 + 1)}, 422, "text"),
    ({"items": []}, 422, "items"),
]


def test_invalid_items_are_422_without_echo(api: Api) -> None:
    for body, status, needle in BAD_ITEMS:
        r = api.call("POST", "/v1/items", "integration", json=body)
        assert r.status_code == status, (body.keys(), r.text)
        assert needle in r.text, (needle, r.text)
        assert "Ahmed" not in r.text and "0612345678" not in r.text


def test_malformed_json_is_400(api: Api) -> None:
    r = api.client.post(
        "/v1/items",
        content=b'{"id": "a", "text": "Ahmed',  # type: ignore[attr-defined]
        headers={**api.headers("integration"), "Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["error"] == "malformed_json" and "Ahmed" not in r.text


def test_oversized_body_is_413(api: Api) -> None:
    big = {"items": [{"id": i, "text": "x" * 60_000} for i in range(10)]}
    r = api.call("POST", "/v1/items", "integration", json=big)
    assert r.status_code == 413 and r.json()["error"] == "too_large"


def test_chunked_oversized_body_is_413(api: Api) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 10_000

    r = api.client.post(
        "/v1/items",
        content=chunks(),  # type: ignore[attr-defined]
        headers={**api.headers("integration"), "Content-Type": "application/json"},
    )
    assert r.status_code == 413


OTHER_BAD: list[tuple[str, str, str, object]] = [
    ("GET", "/v1/queue?threat=gossip", "reviewer", None),
    ("GET", "/v1/queue?limit=100000", "reviewer", None),
    ("GET", "/v1/queue?country=Morocco", "reviewer", None),
    ("GET", "/v1/cases/abc", "reviewer", None),
    ("POST", "/v1/flags", "integration", {"item_id": "a", "reporter": "r", "reason": "dislike"}),
    ("POST", "/v1/cases/1/decision", "reviewer", {"threat": "outing", "clause": "c"}),
    (
        "POST",
        "/v1/cases/1/decision",
        "reviewer",
        {"threat": "outing", "clause": "c", "statement": "s", "actions": ["nuke"]},
    ),
    ("POST", "/v1/cases/1/reveal", "reviewer", {"fields": ["password"], "reason": "curious"}),
    ("POST", "/v1/escalations", "partner", {"platform": "chatapp", "item_id": "a", "reason": "rudeness"}),
    ("POST", "/v1/admin/users", "admin", {"name": "x", "role": "superuser"}),
    ("POST", "/v1/admin/users", "admin", {"name": "x", "role": "reviewer", "password": "short"}),
]


def test_other_bad_requests_are_4xx(api: Api) -> None:
    for method, path, role, body in OTHER_BAD:
        r = api.call(method, path, role, json=body)
        assert 400 <= r.status_code < 500 and r.status_code not in (401, 403), (path, r.status_code, r.text)
        assert "error" in r.json()


def test_not_found_and_conflict_shapes(api: Api) -> None:
    assert api.call("GET", "/v1/items/missing", "integration").json()["error"] == "not_found"
    assert api.call("GET", "/v1/cases/999", "reviewer").status_code == 404
    api.call("POST", "/v1/items", "integration", json={"id": "c", "text": "one"})
    r = api.call("POST", "/v1/items", "integration", json={"id": "c", "text": "two"})
    assert r.status_code == 409 and r.json()["error"] == "conflict"


def test_unexpected_errors_are_500_without_details(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitr.api.routes_items as routes

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(routes, "ingest", broken)
    r = api.call("POST", "/v1/items", "integration", json={"id": "z", "text": SECRET})
    assert r.status_code == 500 and "Ahmed" not in r.text
