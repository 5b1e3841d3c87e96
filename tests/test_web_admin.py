"""The admin page (users, roles, languages, API keys, policy) and the auditor's figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitr.moderation.accounts import actor_for_key
from sitr.store.models import ApiKey, User
from test_web_support import Web, csrf_of, make_web


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    yield from make_web(tmp_path, monkeypatch)


def test_admin_creates_a_reviewer_who_can_then_sign_in(web: Web) -> None:
    root = web.login("root")
    token = csrf_of(root.get("/console/admin").text)
    r = root.post("/console/admin/users", data={
        "csrf": token, "name": "salma", "role": "reviewer", "languages": "ar, ar-Latn fr", "varieties": "levantine",
        "organisation": "", "password": "a fresh long password"})
    assert r.headers["location"] == "/console/admin?notice=admin.user_created"
    with web.svc.db.read() as s:
        user = s.query(User).filter(User.name == "salma").one()
        assert user.languages == ["ar", "ar-Latn", "fr"] and user.varieties == ["levantine"]
    web.login("salma", "a fresh long password")

    for bad in ({"name": "salma"}, {"name": "x y"}, {"name": "new1", "languages": "arabic!"},
                {"name": "new2", "password": "short"}):
        r = root.post("/console/admin/users", data={"csrf": token, "role": "reviewer", **bad})
        assert r.status_code in (409, 422) and 'class="notice error"' in r.text


def test_admin_edits_roles_and_languages_but_cannot_demote_itself(web: Web) -> None:
    root = web.login("root")
    token = web.token(root)
    lucas = web.actors["lucas"].id
    r = root.post(f"/console/admin/users/{lucas}", data={
        "csrf": token, "role": "reviewer", "languages": "en ar", "varieties": "gulf", "organisation": "",
        "active": "on"})
    assert r.status_code == 303
    with web.svc.db.read() as s:
        user = s.get(User, lucas)
        assert user is not None and user.languages == ["en", "ar"] and user.varieties == ["gulf"] and user.active
    assert "en, ar" in root.get("/console/admin").text

    me = web.actors["root"].id
    r = root.post(f"/console/admin/users/{me}", data={"csrf": token, "role": "reviewer", "active": "on"})
    assert r.status_code == 403
    r = root.post(f"/console/admin/users/{me}", data={"csrf": token, "role": "admin"})  # disable self
    assert r.status_code == 403
    with web.svc.db.read() as s:
        user = s.get(User, me)
        assert user is not None and user.role == "admin" and user.active


def test_an_api_key_is_shown_once_and_can_be_revoked(web: Web) -> None:
    root = web.login("root")
    token = web.token(root)
    r = root.post("/console/admin/keys", data={"csrf": token, "user": "audra", "label": "monthly export"})
    assert r.status_code == 200
    key = re.search(r'id="new-key">(sitr_[^<]+)<', r.text)
    assert key is not None
    actor = actor_for_key(web.svc.db, key.group(1))
    assert actor is not None and actor.name == "audra"
    page = root.get("/console/admin").text
    assert key.group(1) not in page and key.group(1)[:12] in page and "monthly export" in page

    r = root.post("/console/admin/keys/revoke", data={"csrf": token, "prefix": key.group(1)[:12]})
    assert r.headers["location"] == "/console/admin?notice=admin.key_revoked"
    assert actor_for_key(web.svc.db, key.group(1)) is None
    with web.svc.db.read() as s:
        assert s.query(ApiKey).filter(ApiKey.revoked_at.is_(None), ApiKey.label == "monthly export").count() == 0
    r = root.post("/console/admin/keys", data={"csrf": token, "user": "ghost"})
    assert r.status_code == 404


def test_admin_page_shows_the_policy_in_force(web: Web) -> None:
    page = web.login("root").get("/console/admin").text
    version = web.svc.policy.version
    assert f'<code id="policy-version" dir="ltr">{version}</code>' in page
    assert web.svc.policy.threats["outing"].ground_reference in page


def test_figures_for_auditors_suppress_small_counts_and_verify_the_log(web: Web) -> None:
    web.analyzer.set("m1", outing=0.7)
    web.submit({"id": "m1", "text": "x", "lang": "ar"})
    page = web.login("audra").get("/console/stats").text
    assert 'id="chain-ok"' in page
    assert "&lt; threshold" in page  # one item: below the suppression threshold
