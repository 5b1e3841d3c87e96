"""A live sitr (API + console) on 127.0.0.1 with a temporary SQLite database, for the browser tests and for
scripts/screenshots.py.

Scores come from `DemoAnalyzer` (set per item id by the caller) rather than the trained pipeline: what the
browser tests check is the console, and a retrained model must not decide whether an item reaches the queue.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from sitr.api.app import create_app
from sitr.moderation.accounts import add_user, create_key
from sitr.moderation.context import Actor, Services
from sitr.moderation.policy_bridge import load_policy
from sitr.store.crypto import FieldCipher
from sitr.store.db import Database
from sitr.store.migrate import upgrade
from sitr.types import THREATS, Assessment, Item, Signal, Span, ThreatScore
from sitr.web import mount

PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# name -> (role, languages, organisation)
USERS: dict[str, tuple[str, list[str], str | None]] = {
    "amina": ("reviewer", ["ar", "ar-Latn"], None),
    "lucas": ("reviewer", ["fr", "en"], None),
    "helpline": ("partner", [], "Helpline MENA"),
    "otherline": ("partner", [], "Other helpline"),
    "admin": ("admin", [], None),
    "auditor": ("auditor", [], None),
}


@dataclass
class DemoAnalyzer:
    """Scores and evidence spans set per item id: `set("m1", outing=0.7, spans=[...])`."""

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    spans: dict[str, list[tuple[str, Span]]] = field(default_factory=dict)
    findings: dict[str, tuple[Span, ...]] = field(default_factory=dict)

    def set(
        self,
        item_id: str,
        *,
        evidence: Sequence[tuple[str, Span]] = (),
        findings: tuple[Span, ...] = (),
        **scores: float,
    ) -> None:
        self.scores[item_id] = scores
        self.spans[item_id] = list(evidence)
        self.findings[item_id] = findings

    def __call__(self, item: Item) -> Assessment:
        wanted = self.scores.get(item.id, {})
        score = {t: wanted.get(t, 0.0) for t in THREATS}
        threats = {t: ThreatScore(s, "high" if s >= 0.5 else "none", s >= 0.5) for t, s in score.items()}
        by_threat: dict[str, list[Span]] = {}
        for threat, span in self.spans.get(item.id, []):
            by_threat.setdefault(threat, []).append(span)
        signals = tuple(
            Signal(t, s, f"{t}-cues", "1.2", tuple(by_threat.get(t, ()))) for t, s in wanted.items() if s > 0
        )
        lang = item.lang or "ar"
        variety = {"ar": "maghrebi", "ar-Latn": "maghrebi"}.get(lang, lang)
        return Assessment(item.id, lang, variety, threats, signals, self.findings.get(item.id, ()), {"demo": "1"})


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    base_url: str
    svc: Services
    analyzer: DemoAnalyzer
    platform_key: str
    actors: dict[str, Actor]

    def api(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.platform_key}"}
        return httpx.request(method, self.base_url + path, headers=headers, timeout=30, **kw)

    def submit(self, item: dict[str, Any]) -> dict[str, Any]:
        """Send an item through the platform API, as a platform would."""
        r = self.api("POST", "/v1/items", json=item)
        r.raise_for_status()
        out: dict[str, Any] = r.json()["item"]
        return out


@contextmanager
def live_server(folder: Path, *, secure_cookies: bool = True) -> Iterator[Live]:
    db = Database(f"sqlite:///{folder / 'sitr.db'}")
    upgrade(db.engine)
    analyzer = DemoAnalyzer()
    svc = Services(db=db, cipher=FieldCipher(os.urandom(32)), policy=load_policy(), analyzer=analyzer)
    actors = {
        name: add_user(db, name, role, languages=langs, organisation=org, password=PASSWORD)
        for name, (role, langs, org) in USERS.items()
    }
    actors["chatapp"] = add_user(db, "chatapp", "integration")
    key = create_key(db, "chatapp", "demo platform").key
    app = create_app(svc)
    mount(app, secure_cookies=secure_cookies)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="sitr-live", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", svc, analyzer, key, actors)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.dispose()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing that phones home; never a downloaded browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def sign_in(page: Any, base_url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/console/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("domcontentloaded")
