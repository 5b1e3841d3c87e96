"""Shared fixtures: a `db_url` for every backend (SQLite file, PostgreSQL schema), migrated services.

PostgreSQL tests use SITR_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test), each
test in its own fresh schema, dropped afterwards. Without a reachable server they skip with the reason, unless
CI is set: in CI a missing database is a failure, never a silent skip (scripts/ensure_services.sh starts one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from sitr.moderation.context import Actor, Services
from sitr.moderation.policy_bridge import load_policy
from sitr.store.crypto import FieldCipher
from sitr.store.db import Database
from sitr.store.migrate import upgrade
from sitr.types import THREATS, Assessment, Item, Signal, Span, ThreatScore

PG_URL = os.environ.get("SITR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_KEY = bytes(range(32))
_pg_state: dict[str, str | None] = {}


def _pg_error() -> str | None:
    """None when the test PostgreSQL server answers, else why not (checked once per session)."""
    if "error" not in _pg_state:
        try:
            engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_state["error"] = None
        except Exception as exc:  # any failure to connect means "no server" here
            _pg_state["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return _pg_state["error"]


def require_postgres() -> None:
    error = _pg_error()
    if error is None:
        return
    message = f"PostgreSQL not reachable at SITR_TEST_POSTGRES_URL ({error}); run scripts/ensure_services.sh"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema of its own."""
    require_postgres()
    schema = "sitr_t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sitr.db'}"
        return
    yield request.getfixturevalue("pg_schema_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@dataclass
class ScriptedAnalyzer:
    """A deterministic stand-in for sitr.analyze: scores come from the test, keyed by item id.

    Moderation logic is tested on exact scores so that a change in the detectors cannot hide a bug in the
    service; the real pipeline is exercised by the API tests that use `sitr.analyze` when it is importable.
    """

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    findings: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    calls: int = 0

    def set(self, item_id: str, findings: tuple[Span, ...] = (), **scores: float) -> None:
        self.scores[item_id] = scores
        self.findings[item_id] = findings

    def __call__(self, item: Item) -> Assessment:
        self.calls += 1
        wanted = self.scores.get(item.id, {})
        threats = {
            t: ThreatScore(
                wanted.get(t, 0.0), "high" if wanted.get(t, 0.0) >= 0.5 else "none", wanted.get(t, 0.0) >= 0.5
            )
            for t in THREATS
        }
        signals = tuple(Signal(t, s, "scripted", "1") for t, s in wanted.items())
        lang = item.lang or "en"
        variety = {"ar": "msa", "ar-Latn": "maghrebi"}.get(lang, lang)
        return Assessment(item.id, lang, variety, threats, signals, self.findings.get(item.id, ()), {"scripted": "1"})


@pytest.fixture
def analyzer() -> ScriptedAnalyzer:
    return ScriptedAnalyzer()


class Clock:
    """A settable clock: deadlines, leases and retention are tested without sleeping."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(db: Database, analyzer: ScriptedAnalyzer, clock: Clock) -> Services:
    return Services(db=db, cipher=FieldCipher(TEST_KEY), policy=load_policy(), analyzer=analyzer, clock=clock)


@pytest.fixture
def make_user(db: Database) -> Callable[..., Actor]:
    from sitr.moderation.accounts import add_user

    counter = iter(range(1, 10_000))

    def make(role: str, **kw: object) -> Actor:
        name = str(kw.pop("name", f"{role}{next(counter)}"))
        return add_user(db, name, role, **kw)  # type: ignore[arg-type]

    return make


def item(item_id: str, text_value: str = "hello there", **kw: object) -> Item:
    data: dict[str, object] = {"id": item_id, "text": text_value}
    data.update(kw)
    return Item.from_dict(data)


@dataclass
class Api:
    """A TestClient on a fresh app, and one API key per role (the integration is the platform 'chatapp')."""

    client: object
    keys: dict[str, str]
    actors: dict[str, Actor]

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"} if role else {}

    def call(self, method: str, path: str, role: str | None, **kw: object):  # type: ignore[no-untyped-def]
        return self.client.request(method, path, headers=self.headers(role), **kw)  # type: ignore[attr-defined]


@pytest.fixture
def api(svc: Services, db: Database) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    from sitr.api.app import create_app
    from sitr.moderation.accounts import add_user, create_key

    keys: dict[str, str] = {}
    actors: dict[str, Actor] = {}
    specs = {
        "admin": {},
        "reviewer": {"languages": ["ar", "fr"]},
        "reviewer2": {"languages": ["en"]},
        "partner": {"organisation": "helpline"},
        "partner2": {"organisation": "other-helpline"},
        "auditor": {},
        "integration": {},
    }
    for label, extra in specs.items():
        role = label.rstrip("2")
        name = "chatapp" if label == "integration" else label
        actors[label] = add_user(db, name, role, **extra)  # type: ignore[arg-type]
        keys[label] = create_key(db, name).key
    with TestClient(create_app(svc, max_body_bytes=256 * 1024), raise_server_exceptions=False) as client:
        yield Api(client, keys, actors)
