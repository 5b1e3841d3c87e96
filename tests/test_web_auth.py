"""Sign-in, session cookies, CSRF, role checks on every page, language choice and security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from sitr.store.models import Event
from test_web_support import PASSWORD, Web, csrf_of, make_web


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    yield from make_web(tmp_path, monkeypatch)

# Every console page and the roles that may open it (written out here, independently of the code).
PAGES: dict[str, set[str]] = {
    "/console/queue": {"reviewer"},
    "/console/appeals": {"reviewer"},
    "/console/cases/1": {"reviewer"},
    "/console/partner": {"partner"},
    "/console/partner/escalations/1": {"partner"},
    "/console/admin": {"admin"},
    "/console/stats": {"admin", "auditor"},
}
POSTS: dict[str, set[str]] = {
    "/console/queue/next": {"reviewer"},
    "/console/cases/1/claim": {"reviewer"},
    "/console/cases/1/reveal": {"reviewer"},
    "/console/cases/1/decision": {"reviewer"},
    "/console/partner/escalations": {"partner"},
    "/console/admin/users": {"admin"},
    "/console/admin/users/1": {"admin"},
    "/console/admin/users/1/password": {"admin"},
    "/console/admin/keys": {"admin"},
    "/console/admin/keys/revoke": {"admin"},
}
ROLE_OF = {"amina": "reviewer", "helpline": "partner", "root": "admin", "audra": "auditor"}


def test_sign_in_sets_a_strict_session_cookie_and_lands_on_the_role_page(web: Web) -> None:
    homes = {"amina": "/console/queue", "helpline": "/console/partner", "root": "/console/admin",
             "audra": "/console/stats"}
    for name, home in homes.items():
        client = web.anonymous()
        token = csrf_of(client.get("/console/login").text)
        r = client.post("/console/login", data={"csrf": token, "name": name, "password": PASSWORD})
        assert r.status_code == 303 and r.headers["location"] == home
        cookie = r.headers["set-cookie"].lower()
        for flag in ("secure", "httponly", "samesite=strict", "path=/"):
            assert flag in cookie, flag
        assert name not in r.headers["set-cookie"]  # the cookie names a user id, not a person
        assert client.get(home).status_code == 200


def test_wrong_passwords_and_accounts_without_console_access_are_refused(web: Web) -> None:
    client = web.anonymous()
    token = csrf_of(client.get("/console/login").text)
    for name, password in (("amina", "wrong password!"), ("nobody", PASSWORD), ("chatapp", PASSWORD), ("amina", "")):
        r = client.post("/console/login", data={"csrf": token, "name": name, "password": password})
        assert r.status_code == 401, name
        assert "Wrong user name or password." in r.text
    assert client.get("/console/queue").status_code == 303


def test_repeated_failures_lock_the_account_for_a_while(web: Web) -> None:
    client = web.anonymous()
    token = csrf_of(client.get("/console/login").text)
    for _ in range(5):
        client.post("/console/login", data={"csrf": token, "name": "amina", "password": "not the password"})
    r = client.post("/console/login", data={"csrf": token, "name": "amina", "password": PASSWORD})
    assert r.status_code == 429 and "Too many failed attempts" in r.text
    web.login("lucas")  # other accounts are unaffected


def test_pages_send_anonymous_browsers_to_sign_in_and_back(web: Web) -> None:
    client = web.anonymous()
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"] == f"/console/login?next={quote(path, safe='')}"
    token = csrf_of(client.get("/console/login?next=/console/appeals").text)
    r = client.post("/console/login", data={"csrf": token, "name": "amina", "password": PASSWORD,
                                            "next": "/console/appeals"})
    assert r.headers["location"] == "/console/appeals"


@pytest.mark.parametrize("name", sorted(ROLE_OF))
def test_every_page_and_form_checks_the_role(web: Web, name: str) -> None:
    client = web.login(name)
    role = ROLE_OF[name]
    token = web.token(client)
    for path, roles in PAGES.items():
        status = client.get(path).status_code
        if role in roles:
            assert status in (200, 404), f"{name} refused {path}"
        else:
            assert status == 403, f"{name} got {status} on {path}"
    for path, roles in POSTS.items():
        status = client.post(path, data={"csrf": token}).status_code
        if role not in roles:
            assert status == 403, f"{name} got {status} on POST {path}"
        else:
            assert status != 403, f"{name} refused POST {path}"


def test_forms_without_the_session_csrf_token_are_refused(web: Web) -> None:
    web.analyzer.set("m1", outing=0.7)
    case_id = web.submit({"id": "m1", "text": "x", "lang": "ar"})["case_id"]
    amina, lucas = web.login("amina"), web.login("lucas")
    foreign = web.token(lucas)
    for data in ({}, {"csrf": ""}, {"csrf": foreign}, {"csrf": "x" * 43}):
        r = amina.post(f"/console/cases/{case_id}/claim", data=data)
        assert r.status_code == 403 and "The form expired" in r.text
    with web.svc.db.read() as s:
        assert s.query(Event).filter(Event.type == "claimed").count() == 0
    anonymous = web.anonymous()
    assert anonymous.post("/console/login", data={"name": "amina", "password": PASSWORD}).status_code == 403


def test_sign_out_ends_the_session_and_a_new_sign_in_changes_the_token(web: Web) -> None:
    client = web.anonymous()
    before = csrf_of(client.get("/console/login").text)
    client.post("/console/login", data={"csrf": before, "name": "amina", "password": PASSWORD})
    after = web.token(client)
    assert after != before  # a token planted before sign-in is worthless after it
    r = client.post("/console/logout", data={"csrf": after})
    assert r.headers["location"] == "/console/login?notice=login.signed_out"
    assert client.get("/console/queue").status_code == 303


def test_tampered_or_foreign_cookies_are_ignored(web: Web) -> None:
    client = web.login("amina")
    value = client.cookies.get("sitr_session")
    assert value
    forged = web.anonymous()
    forged.cookies.set("sitr_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert forged.get("/console/queue").status_code == 303


def test_language_follows_the_browser_then_the_switcher(web: Web) -> None:
    client = web.anonymous()
    page = client.get("/console/login", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.8"}).text
    assert '<html lang="ar" dir="rtl">' in page and "تسجيل الدخول" in page
    page = client.get("/console/login", headers={"Accept-Language": "de-DE,fr;q=0.5"}).text
    assert '<html lang="fr" dir="ltr">' in page
    r = client.get("/console/lang", params={"to": "ar", "next": "/console/login"})
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert '<html lang="ar" dir="rtl">' in client.get("/console/login", headers={"Accept-Language": "en"}).text
    for evil in ("https://evil.example/", "//evil.example", "/v1/items", "/console/../v1"):
        assert client.get("/console/lang", params={"to": "fr", "next": evil}).headers["location"] == "/console/"
    r = client.get("/console/lang", params={"to": "xx"})
    assert "sitr_lang=en" in r.headers["set-cookie"]


def test_console_pages_carry_strict_security_headers_and_are_not_cached(web: Web) -> None:
    client = web.login("amina")
    r = client.get("/console/queue")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "no-referrer"
    css = client.get("/console/static/console.css")
    assert css.status_code == 200 and "cache-control" not in css.headers
    assert client.get("/console/static/console.js").status_code == 200
    assert "content-security-policy" not in client.get("/healthz").headers  # the API is left as it was


def test_console_errors_are_html_pages_and_the_api_schema_is_unchanged(web: Web) -> None:
    client = web.login("amina")
    r = client.get("/console/cases/424242")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "Not found." in r.text
    paths = web.anonymous().get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/console") or p == "/"]
    assert web.anonymous().get("/").headers["location"] == "/console/"


def test_disabling_a_user_or_changing_the_password_ends_their_sessions(web: Web) -> None:
    amina, lucas, root = web.login("amina"), web.login("lucas"), web.login("root")
    token = web.token(root)
    r = root.post(f"/console/admin/users/{web.actors['amina'].id}/password",
                  data={"csrf": token, "password": "another long password"})
    assert r.headers["location"] == "/console/admin?notice=admin.password_set"
    assert amina.get("/console/queue").status_code == 303
    web.login("amina", "another long password")

    r = root.post(f"/console/admin/users/{web.actors['lucas'].id}",
                  data={"csrf": token, "role": "reviewer", "languages": "fr", "varieties": "", "organisation": ""})
    assert r.status_code == 303  # no "active" box ticked: disabled
    assert lucas.get("/console/queue").status_code == 303


def test_the_sign_in_page_warns_when_served_over_plain_http_to_another_machine(web: Web) -> None:
    warning = "This console needs HTTPS"
    assert warning not in web.anonymous().get("/console/login").text  # https
    plain = TestClient(web.app, base_url="http://sitr.example.org", follow_redirects=False)
    assert warning in plain.get("/console/login").text
    local = TestClient(web.app, base_url="http://127.0.0.1:8000", follow_redirects=False)
    assert warning not in local.get("/console/login").text


def test_content_and_names_are_escaped(web: Web) -> None:
    web.analyzer.set("x1", harassment=0.8)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    case_id = web.submit({"id": "x1", "text": payload, "lang": "en"})["case_id"]
    page = web.login("lucas").get(f"/console/cases/{case_id}").text
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page and "<img src=x" not in page
