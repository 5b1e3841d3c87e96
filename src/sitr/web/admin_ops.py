"""Account changes the admin page makes that sitr.moderation.accounts has no function for yet: a user's
role, reviewer languages and varieties, organisation, password, and whether the account is active.

Creating users and API keys goes through sitr.moderation.accounts; these are the edits around them. An
admin cannot disable or demote their own account, so a console is never left without an administrator by a
slip of the mouse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from argon2 import PasswordHasher
from sqlalchemy import select

from sitr.moderation.context import Actor
from sitr.moderation.errors import Forbidden, Invalid, NotFound
from sitr.store.db import Database
from sitr.store.models import ROLES, User

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_VARIETY_RE = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
_hasher = PasswordHasher()
MIN_PASSWORD = 12


def split_codes(value: str) -> list[str]:
    """`"ar, fr  en"` -> `["ar", "fr", "en"]`, duplicates dropped, order kept."""
    return list(dict.fromkeys(p for p in re.split(r"[\s,;]+", value.strip()) if p))


def check_languages(languages: Sequence[str]) -> list[str]:
    bad = [lang for lang in languages if not _LANG_RE.match(lang)]
    if bad or len(languages) > 20:
        raise Invalid("languages must be codes like ar, fr, en, ar-Latn")
    return list(languages)


def check_varieties(varieties: Sequence[str]) -> list[str]:
    bad = [v for v in varieties if not _VARIETY_RE.match(v)]
    if bad or len(varieties) > 40:
        raise Invalid("varieties must be short codes like maghrebi, levantine, gulf, egyptian")
    return list(varieties)


def update_user(
    db: Database,
    admin: Actor,
    user_id: int,
    *,
    role: str,
    languages: Sequence[str],
    varieties: Sequence[str],
    organisation: str | None,
    active: bool,
) -> None:
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    langs, kinds = check_languages(languages), check_varieties(varieties)
    with db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("no such user")
        if user.id == admin.id and (role != "admin" or not active):
            raise Forbidden("you cannot demote or disable your own account")
        user.role = role
        user.languages = langs
        user.varieties = kinds
        user.organisation = (organisation or "").strip()[:128] or None
        user.active = active


def set_password(db: Database, user_id: int, password: str) -> None:
    """A new password; the old sessions of that user end (their cookie fingerprint no longer matches)."""
    if len(password) < MIN_PASSWORD or len(password) > 1024:
        raise Invalid(f"password must be {MIN_PASSWORD} to 1024 characters")
    with db.write() as session:
        user = session.scalars(select(User).where(User.id == user_id)).one_or_none()
        if user is None:
            raise NotFound("no such user")
        if user.role == "integration":
            raise Invalid("platform accounts use API keys, not passwords")
        user.password_hash = _hasher.hash(password)
