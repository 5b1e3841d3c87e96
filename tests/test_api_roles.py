"""Every endpoint checks its role: the whole role-by-endpoint matrix, plus anonymous and bad keys.

The expected matrix is written out here, independently of sitr.api.permissions, so that loosening a route's
roles in the code makes this test fail.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Api

ROLES = ("admin", "reviewer", "partner", "auditor", "integration")
ITEM = {"id": "m1", "text": "hello"}
MANAGE = {"admin", "partner"}
HASH = "f" * 64

# (method, path, json body or None, roles allowed)
MATRIX: list[tuple[str, str, dict[str, Any] | None, set[str]]] = [
    ("POST", "/v1/items", ITEM, {"integration"}),
    ("GET", "/v1/items/m1", None, {"integration"}),
    ("POST", "/v1/flags", {"item_id": "m1", "reporter": "r", "reason": "other"}, {"integration"}),
    ("POST", "/v1/appeals", {"item_id": "m1", "appellant": "author", "reason": "r"}, {"integration"}),
    ("GET", "/v1/items/m1/statement", None, {"integration", "admin"}),
    ("GET", "/v1/export/statements?from=2026-01-01&to=2026-12-31", None, {"integration", "admin"}),
    ("GET", "/v1/queue", None, {"reviewer"}),
    ("POST", "/v1/queue/next", None, {"reviewer"}),
    ("GET", "/v1/cases/1", None, {"reviewer"}),
    ("POST", "/v1/cases/1/claim", None, {"reviewer"}),
    ("POST", "/v1/cases/1/reveal", {"fields": ["content"], "reason": "check"}, {"reviewer"}),
    ("POST", "/v1/cases/1/decision", {"threat": None, "clause": "c", "statement": "s"}, {"reviewer"}),
    ("POST", "/v1/escalations", {"platform": "chatapp", "item_id": "m1", "reason": "outing"}, {"partner"}),
    ("GET", "/v1/escalations", None, {"partner", "admin"}),
    ("GET", "/v1/stats", None, {"auditor", "admin"}),
    ("GET", "/v1/audit/verify", None, {"auditor", "admin"}),
    ("POST", "/v1/admin/users", {"name": "newbie", "role": "reviewer"}, {"admin"}),
    ("POST", "/v1/admin/keys", {"user": "auditor"}, {"admin"}),
    ("GET", "/v1/whoami", None, set(ROLES)),
    # hash banks (issue 6): admins and partners manage, integrations may only match
    ("GET", "/v1/media/banks", None, MANAGE),
    ("POST", "/v1/media/banks", {"name": "b1", "purpose": "victim_submitted"}, MANAGE),
    ("GET", "/v1/media/banks/b1", None, MANAGE),
    ("POST", "/v1/media/banks/b1/hashes", {"hashes": [HASH]}, MANAGE),
    ("POST", "/v1/media/banks/b1/images", {"images": []}, MANAGE),
    ("POST", "/v1/media/banks/b1/hashes/remove", {"hashes": [HASH]}, MANAGE),
    ("DELETE", "/v1/media/banks/b1/hashes", None, MANAGE),
    ("POST", "/v1/media/banks/b1/import", None, MANAGE),
    ("GET", "/v1/media/banks/b1/export", None, MANAGE),
    ("POST", "/v1/media/match", {"hashes": [HASH]}, {"admin", "partner", "integration"}),
    ("DELETE", "/v1/media/banks/b1", None, MANAGE),
]


def test_matrix_covers_every_api_route(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()  # type: ignore[attr-defined]
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    tested = {
        (m, p.split("?")[0].replace("/m1", "/{item_id}").replace("/1", "/{case_id}").replace("/b1", "/{name}"))
        for m, p, _, _ in MATRIX
    }
    assert documented == tested


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(api: Api, role: str) -> None:
    api.call("POST", "/v1/items", "integration", json=ITEM)  # something to act on
    for method, path, body, allowed in MATRIX:
        r = api.call(method, path, role, json=body)
        if role in allowed:
            assert r.status_code not in (401, 403), f"{role} refused on {method} {path}: {r.text}"
        else:
            assert r.status_code == 403, f"{role} got {r.status_code} on {method} {path}"
            assert r.json()["error"] == "forbidden"


def test_no_key_and_bad_keys_are_401(api: Api) -> None:
    for method, path, body, _ in MATRIX:
        assert api.call(method, path, None, json=body).status_code == 401
    for header in ("Bearer sitr_not-a-real-key", "Basic Zm9vOmJhcg==", "Bearer", api.keys["admin"]):
        r = api.client.get("/v1/whoami", headers={"Authorization": header})  # type: ignore[attr-defined]
        assert r.status_code == 401, header


def test_revoked_key_is_refused(api: Api, svc: Any) -> None:
    from sitr.moderation.accounts import revoke_key

    assert api.call("GET", "/v1/whoami", "auditor").status_code == 200
    assert revoke_key(svc.db, api.keys["auditor"][:12]) == 1
    assert api.call("GET", "/v1/whoami", "auditor").status_code == 401


def test_health_is_public(api: Api) -> None:
    assert api.client.get("/healthz").json()["status"] == "ok"  # type: ignore[attr-defined]
