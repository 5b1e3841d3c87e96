"""Encryption at rest: the database file holds no plaintext of a submitted message, key or password."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from conftest import TEST_KEY, ScriptedAnalyzer
from sitr.api.app import create_app
from sitr.moderation.accounts import actor_for_password, add_user, create_key
from sitr.moderation.context import Services
from sitr.moderation.policy_bridge import load_policy
from sitr.store.crypto import DecryptError, FieldCipher, aad_for
from sitr.store.db import Database
from sitr.store.migrate import upgrade

SECRETS = {
    "text": "Youssef El Amrani est gay, appelez-le au 0661234567",
    "arabic": "يوسف مثلي وهذا رقمه ٠٦٦١٢٣٤٥٦٧",
    "author": "hater_account_77",
    "target": "youssef.amrani",
    "sender": "blackmailer_x",
}


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def test_sqlite_file_holds_no_plaintext_of_a_submitted_message(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'sitr.db'}")
    upgrade(db.engine)
    analyzer = ScriptedAnalyzer()
    analyzer.set("m1", outing=0.97)
    analyzer.set("m2", extortion=0.6)
    svc = Services(db=db, cipher=FieldCipher(TEST_KEY), policy=load_policy(), analyzer=analyzer)
    add_user(db, "chatapp", "integration")
    key = create_key(db, "chatapp").key
    add_user(db, "rev", "reviewer", password="correct horse battery staple")
    with TestClient(create_app(svc)) as client:
        h = {"Authorization": f"Bearer {key}"}
        r1 = client.post(
            "/v1/items",
            headers=h,
            json={
                "id": "m1",
                "text": SECRETS["text"] + " " + SECRETS["arabic"],
                "author": SECRETS["author"],
                "target": SECRETS["target"],
            },
        )
        r2 = client.post(
            "/v1/items",
            headers=h,
            json={
                "id": "m2",
                "messages": [
                    {"from": SECRETS["sender"], "text": SECRETS["arabic"]},
                    {"from": "u", "text": SECRETS["text"]},
                ],
            },
        )
        flag = client.post(
            "/v1/flags",
            headers=h,
            json={"item_id": "m1", "reporter": SECRETS["author"], "reason": "outing", "note": SECRETS["text"]},
        )
        assert r1.status_code == r2.status_code == flag.status_code == 200
    db.dispose()
    raw = _all_bytes(tmp_path)  # the database, its WAL and shared-memory files
    assert len(raw) > 10_000
    for name, value in SECRETS.items():
        for encoded in (value.encode("utf-8"), value.encode("utf-16-le")):
            assert encoded not in raw, name
    for fragment in ("0661234567", "Youssef", "يوسف", "correct horse", key):
        assert fragment.encode("utf-8") not in raw, fragment


def test_password_is_argon2id_and_keys_are_hashed(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade(db.engine)
    add_user(db, "rev", "reviewer", password="a long enough password")
    key = create_key(db, "rev").key
    with db.read() as s:
        stored = s.execute(text("SELECT password_hash FROM users")).scalar_one()
        hashes = s.execute(text("SELECT key_hash, prefix FROM api_keys")).one()
    assert stored.startswith("$argon2id$")
    assert key not in hashes and hashes[1] == key[:12]
    assert actor_for_password(db, "rev", "a long enough password") is not None
    assert actor_for_password(db, "rev", "a wrong password!!") is None
    assert actor_for_password(db, "nobody", "a long enough password") is None


def test_ciphertext_is_bound_to_its_row_and_key() -> None:
    cipher = FieldCipher(TEST_KEY)
    blob = cipher.encrypt(b"secret", aad_for("items", "content_enc", "row-1"))
    assert cipher.decrypt(blob, aad_for("items", "content_enc", "row-1")) == b"secret"
    with pytest.raises(DecryptError):
        cipher.decrypt(blob, aad_for("items", "content_enc", "row-2"))
    with pytest.raises(DecryptError):
        cipher.decrypt(blob, aad_for("items", "personal_enc", "row-1"))
    with pytest.raises(DecryptError):
        FieldCipher(bytes(32)).decrypt(blob, aad_for("items", "content_enc", "row-1"))
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(DecryptError):
        cipher.decrypt(tampered, aad_for("items", "content_enc", "row-1"))
    assert cipher.encrypt(b"same", "a") != cipher.encrypt(b"same", "a")  # fresh nonce every time


def test_pseudonyms_are_keyed() -> None:
    assert FieldCipher(TEST_KEY).pseudonym("reporter", "p", "alice") != FieldCipher(bytes(32)).pseudonym(
        "reporter", "p", "alice"
    )
    assert FieldCipher(TEST_KEY).pseudonym("reporter", "p", "alice") == FieldCipher(TEST_KEY).pseudonym(
        "reporter", "p", "alice"
    )
