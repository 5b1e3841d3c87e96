"""The hash-chained event log: appends stay linear, and every edit, deletion or reordering is reported."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from conftest import TEST_KEY
from sitr.store import events as ev
from sitr.store.crypto import FieldCipher
from sitr.store.db import Database
from sitr.store.models import Event

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
CIPHER = FieldCipher(TEST_KEY)


def _fill(db: Database, n: int) -> None:
    with db.write() as s:
        ev.append(
            s,
            CIPHER,
            [
                ev.NewEvent(
                    "flagged",
                    f"integration:{i}",
                    item_id=f"i{i}",
                    payload={"n": i},
                    private={"reporter": f"r{i}"} if i % 2 else None,
                )
                for i in range(n)
            ],
            NOW,
        )


def _drop_guards(db: Database) -> None:
    """What an attacker with database rights does first: remove the append-only triggers."""
    with db.engine.begin() as conn:
        if db.is_postgres:
            conn.execute(text("DROP TRIGGER events_guard_rows ON events"))
        else:
            conn.execute(text("DROP TRIGGER events_no_delete"))
            conn.execute(text("DROP TRIGGER events_no_update"))
            conn.execute(text("DROP TRIGGER events_erase_only"))


def _verify(db: Database) -> ev.ChainReport:
    with db.read() as s:
        return ev.verify_chain(s)


def test_empty_and_intact_chain_verify(db: Database) -> None:
    assert _verify(db).ok and _verify(db).events == 0
    _fill(db, 7)
    report = _verify(db)
    assert report.ok and report.events == 7 and report.last_seq == 7


def test_each_event_links_to_the_previous_hash(db: Database) -> None:
    _fill(db, 4)
    with db.read() as s:
        rows = s.query(Event).order_by(Event.seq).all()
    assert rows[0].prev_hash == "0" * 64
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_database_refuses_update_and_delete_of_events(db: Database) -> None:
    _fill(db, 2)
    for statement in ("UPDATE events SET actor = 'x' WHERE seq = 1", "DELETE FROM events WHERE seq = 2"):
        with pytest.raises(Exception, match="append-only"), db.write() as s:
            s.execute(text(statement))
    assert _verify(db).ok


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [
        ("UPDATE events SET payload = '[99]' WHERE seq = 3", "edited"),
        ("UPDATE events SET actor = 'admin:1' WHERE seq = 2", "edited"),
        ("UPDATE events SET created_at = '2020-01-01T00:00:00.000000Z' WHERE seq = 4", "edited"),
        ("DELETE FROM events WHERE seq = 3", "deleted"),
        ("DELETE FROM events WHERE seq = 6", "truncated"),
    ],
)
def test_tampering_is_reported(db: Database, tamper: str, kind: str) -> None:
    _fill(db, 6)
    _drop_guards(db)
    with db.engine.begin() as conn:
        conn.execute(text(tamper))
    report = _verify(db)
    assert not report.ok
    assert kind in {p.kind for p in report.problems}


def test_reordering_is_reported(db: Database) -> None:
    _fill(db, 6)
    _drop_guards(db)
    with db.engine.begin() as conn:  # swap events 3 and 4, renumbering them
        conn.execute(text("UPDATE events SET seq = -1 WHERE seq = 3"))
        conn.execute(text("UPDATE events SET seq = 3 WHERE seq = 4"))
        conn.execute(text("UPDATE events SET seq = 4 WHERE seq = -1"))
    report = _verify(db)
    assert "reordered" in {p.kind for p in report.problems}


def test_rewriting_an_encrypted_payload_is_reported(db: Database) -> None:
    _fill(db, 3)
    _drop_guards(db)
    forged = CIPHER.encrypt_json({"reporter": "someone else"}, "sitr:events.payload_enc:2")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET payload_enc = :v WHERE seq = 2"), {"v": forged})
    assert "ciphertext_edited" in {p.kind for p in _verify(db).problems}


def test_erasing_encrypted_payloads_keeps_the_chain_valid(db: Database) -> None:
    _fill(db, 5)
    with db.write() as s:
        s.execute(text("UPDATE events SET payload_enc = NULL"))
    assert _verify(db).ok


def test_private_payload_round_trips_and_is_not_in_plain_columns(db: Database) -> None:
    with db.write() as s:
        ev.append(
            s,
            CIPHER,
            [
                ev.NewEvent(
                    "data_revealed",
                    "reviewer:3",
                    payload={"fields": ["target"]},
                    private={"reason": "needs the phone number +212600000000"},
                )
            ],
            NOW,
        )
    with db.read() as s:
        row = s.get(Event, 1)
        assert row is not None
        assert "+212600000000" not in row.payload
        assert ev.read_private(CIPHER, row) == {"reason": "needs the phone number +212600000000"}


def test_unknown_event_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        ev.NewEvent("deleted_quietly", "admin:1")


def test_concurrent_appenders_keep_one_linear_chain(db: Database) -> None:
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for j in range(10):
                with db.write() as s:
                    ev.append(s, CIPHER, [ev.NewEvent("flagged", f"w{k}", payload={"j": j})] * 2, NOW)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = _verify(db)
    assert report.ok and report.events == 80
