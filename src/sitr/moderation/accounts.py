"""Users and API keys: argon2id for passwords, SHA-256 for API keys (they are long random secrets already).

A key is shown once, at creation; the database keeps its SHA-256 and a short prefix so an operator can tell
keys apart in listings. Looking a key up by its hash means no key ever has to be compared in plain text.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sitr.moderation.context import Actor, utcnow
from sitr.moderation.errors import Conflict, Invalid, NotFound
from sitr.store.db import Database
from sitr.store.models import ROLES, ApiKey, User

KEY_PREFIX = "sitr_"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("sitr-timing-equaliser")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewKey:
    key: str
    prefix: str
    user: str
    role: str


def to_actor(user: User) -> Actor:
    return Actor(
        id=user.id,
        name=user.name,
        role=user.role,
        languages=tuple(user.languages or ()),
        varieties=tuple(user.varieties or ()),
        organisation=user.organisation,
    )


def add_user(
    db: Database,
    name: str,
    role: str,
    *,
    languages: Sequence[str] = (),
    varieties: Sequence[str] = (),
    organisation: str | None = None,
    password: str | None = None,
) -> Actor:
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    if not _NAME_RE.match(name):
        raise Invalid("name must be 1-64 letters, digits, '.', '_' or '-'")
    bad = [lang for lang in languages if not _LANG_RE.match(lang)]
    if bad:
        raise Invalid("languages must be codes like ar, fr, en, ar-Latn")
    if password is not None and len(password) < 12:
        raise Invalid("password must be at least 12 characters")
    user = User(
        name=name,
        role=role,
        languages=list(languages),
        varieties=list(varieties),
        organisation=organisation,
        password_hash=_hasher.hash(password) if password else None,
        active=True,
        created_at=utcnow(),
    )
    try:
        with db.write() as session:
            session.add(user)
            session.flush()
            return to_actor(user)
    except IntegrityError:
        raise Conflict("a user with that name exists") from None


def create_key(db: Database, user_name: str, label: str | None = None) -> NewKey:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with db.write() as session:
        user = session.scalars(select(User).where(User.name == user_name)).one_or_none()
        if user is None:
            raise NotFound("no such user")
        session.add(ApiKey(user_id=user.id, prefix=key[:12], key_hash=key_hash(key), label=label, created_at=utcnow()))
        return NewKey(key=key, prefix=key[:12], user=user.name, role=user.role)


def revoke_key(db: Database, prefix: str) -> int:
    with db.write() as session:
        keys = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))).all()
        for k in keys:
            k.revoked_at = utcnow()
        return len(keys)


def actor_for_key(db: Database, key: str) -> Actor | None:
    """The active user an API key belongs to, or None (unknown, revoked, or user disabled)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    with db.read() as session:
        row = session.execute(
            select(User)
            .join(ApiKey, ApiKey.user_id == User.id)
            .where(ApiKey.key_hash == key_hash(key), ApiKey.revoked_at.is_(None), User.active.is_(True))
        ).scalar_one_or_none()
        return to_actor(row) if row is not None else None


def actor_for_password(db: Database, name: str, password: str) -> Actor | None:
    """Check a password (argon2id); the same work is done for unknown users, so timing reveals nothing."""
    with db.read() as session:
        user = session.scalars(select(User).where(User.name == name, User.active.is_(True))).one_or_none()
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return to_actor(user) if user is not None and user.password_hash else None
