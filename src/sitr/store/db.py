"""Engines and transactions for SQLite (embedded default) and PostgreSQL (production).

SQLite runs in WAL mode so readers never wait for the writer, and every write transaction starts with
BEGIN IMMEDIATE so two writers never both read the chain head and fork the event log. PostgreSQL serialises
appends with a row lock on the chain head instead (see events.py). Statement parameters are hidden from error
messages, because a failed INSERT would otherwise print ciphertext and platform ids into logs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

_WRITE = "sitr_write"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and route them to psycopg 3, the driver sitr ships."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if memory else None,
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's deferred implicit transactions.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock shared by every process on this host (no-op where flock is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: SQLite's own busy handler still serialises
        yield
        return
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Database:
    """One engine with two session factories: writes (serialised on SQLite) and reads.

    SQLite writers also queue on a lock of their own (a thread lock, then a file lock for other worker
    processes) before BEGIN IMMEDIATE: waiting on SQLite's busy handler means sleeping in steps of up to
    100 ms, which would dominate latency as soon as two requests write at once.
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.engine = make_engine(url, **engine_kwargs)
        self.dialect = self.engine.dialect.name
        self._writes = sessionmaker(self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False)
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._thread_lock = threading.Lock()
        database = self.engine.url.database if self.dialect == "sqlite" else None
        self._lock_path = Path(database + ".writelock") if database and database != ":memory:" else None

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error: nothing is half-written."""
        if self.dialect != "sqlite":
            with self._writes() as session, session.begin():
                yield session
            return
        with self._thread_lock:
            if self._lock_path is None:
                with self._writes() as session, session.begin():
                    yield session
                return
            with _file_lock(self._lock_path), self._writes() as session, session.begin():
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
