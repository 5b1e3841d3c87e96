"""Alembic environment: one migration history for every table on sitr.store.base.Base.

Run through `sitr db upgrade` (sitr.store.migrate), which passes an open connection; the URL path is for
`alembic` used by hand with `-x url=...`.
"""

from __future__ import annotations

import contextlib
import importlib

from alembic import context
from sqlalchemy import Connection, create_engine

from sitr.store.base import Base

# Every model module must be imported so that Base.metadata knows its tables.
importlib.import_module("sitr.store.models")
with contextlib.suppress(ModuleNotFoundError):
    importlib.import_module("sitr.media.models")

target_metadata = Base.metadata
config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: use `sitr db upgrade` or pass -x url=...")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; run `sitr db upgrade`")
run_migrations_online()
