"""Shared helpers for the console tests (tests/test_web_*.py): an app with the console mounted, one user per
role with a password, and a TestClient per user over https (so Secure cookies behave as in production).

Holds no tests itself; each test module that needs a running console wraps `make_web` in its own `web` fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import TEST_KEY, Clock, ScriptedAnalyzer
from sitr.api.app import create_app
from sitr.moderation import accounts
from sitr.moderation.accounts import add_user, create_key
from sitr.moderation.context import Actor, Services
from sitr.moderation.policy_bridge import load_policy
from sitr.store.crypto import FieldCipher
from sitr.store.db import Database
from sitr.store.migrate import upgrade
from sitr.web import mount

PASSWORD = "correct horse battery staple"
BASE = "https://testserver"
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
USERS: dict[str, tuple[str, dict[str, Any]]] = {
    "amina": ("reviewer", {"languages": ["ar", "ar-Latn"]}),
    "lucas": ("reviewer", {"languages": ["fr", "en"]}),
    "helpline": ("partner", {"organisation": "Helpline MENA"}),
    "otherline": ("partner", {"organisation": "Other helpline"}),
    "root": ("admin", {}),
    "audra": ("auditor", {}),
}


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@dataclass
class Web:
    app: FastAPI
    svc: Services
    analyzer: ScriptedAnalyzer
    clock: Clock
    platform_key: str
    actors: dict[str, Actor]

    def anonymous(self) -> TestClient:
        return TestClient(self.app, base_url=BASE, follow_redirects=False, raise_server_exceptions=True)

    def login(self, name: str, password: str = PASSWORD) -> TestClient:
        client = self.anonymous()
        token = csrf_of(client.get("/console/login").text)
        r = client.post("/console/login", data={"csrf": token, "name": name, "password": password})
        assert r.status_code == 303, r.text
        return client

    def token(self, client: TestClient, path: str = "/console/") -> str:
        r = client.get(path, follow_redirects=True)
        return csrf_of(r.text)

    def submit(self, item: dict[str, Any]) -> dict[str, Any]:
        r = self.anonymous().post("/v1/items", json=item, headers={"Authorization": f"Bearer {self.platform_key}"})
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()["item"]
        return out

    def api(self, method: str, path: str, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.platform_key}"}
        return self.anonymous().request(method, path, headers=headers, **kw)


def make_web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    # Cheap argon2 parameters for test accounts only: verification reads them from each hash.
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    db = Database(f"sqlite:///{tmp_path / 'web.db'}")
    upgrade(db.engine)
    analyzer, clock = ScriptedAnalyzer(), Clock()
    svc = Services(db=db, cipher=FieldCipher(TEST_KEY), policy=load_policy(), analyzer=analyzer, clock=clock)
    actors = {name: add_user(db, name, role, password=PASSWORD, **kw) for name, (role, kw) in USERS.items()}
    actors["chatapp"] = add_user(db, "chatapp", "integration")
    key = create_key(db, "chatapp").key
    app = create_app(svc)
    mount(app)
    yield Web(app, svc, analyzer, clock, key, actors)
    db.dispose()
