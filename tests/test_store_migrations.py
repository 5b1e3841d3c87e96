"""Alembic migrations: they build exactly the models' schema, on SQLite and PostgreSQL, and go back down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from sitr.store.base import Base
from sitr.store.db import Database
from sitr.store.migrate import current_revision, downgrade, head_revision, is_up_to_date, upgrade


def test_migrations_match_the_models(db: Database) -> None:
    assert is_up_to_date(db.engine) and current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_chain_head_is_seeded_and_sqlite_uses_wal(db: Database) -> None:
    with db.read() as s:
        assert s.execute(text("SELECT id, seq, hash FROM chain_head")).all() == [(1, 0, "0" * 64)]
        if not db.is_postgres:
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_downgrade_removes_everything_and_upgrade_is_repeatable(db: Database) -> None:
    downgrade(db.engine, "base")
    assert not {"items", "events", "cases"} & set(inspect(db.engine).get_table_names())
    upgrade(db.engine)
    upgrade(db.engine)  # a second upgrade is a no-op
    assert {"items", "events", "cases", "users", "api_keys"} <= set(inspect(db.engine).get_table_names())
