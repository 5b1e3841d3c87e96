"""Browser sessions: a signed, expiring cookie that names the user and carries the CSRF token.

The cookie holds no personal data: a user id, a random CSRF token, and a fingerprint of the user's password
hash, so changing a password (or disabling the user, checked on every request) ends every open session.
It is signed with a key derived from the operator's secret key, so all workers accept each other's cookies,
and it is HttpOnly, SameSite=Strict and Secure (Secure can be switched off only for tests on plain http).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from sitr.store.crypto import FieldCipher

COOKIE = "sitr_session"
LANG_COOKIE = "sitr_lang"
PATH = "/"
MAX_AGE_SECONDS = 12 * 60 * 60


@dataclass(frozen=True)
class Session:
    """What a browser's cookie says: who (None before sign-in), the CSRF token, the password fingerprint."""

    user_id: int | None
    csrf: str
    fingerprint: str = ""

    @classmethod
    def anonymous(cls) -> Session:
        return cls(user_id=None, csrf=secrets.token_urlsafe(32))

    @classmethod
    def signed_in(cls, user_id: int, password_hash: str | None) -> Session:
        """A fresh token at sign-in: a token planted before sign-in (session fixation) is worthless after."""
        return cls(user_id=user_id, csrf=secrets.token_urlsafe(32), fingerprint=fingerprint(password_hash))

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf.encode(), str(token).encode())


def fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode("utf-8")).hexdigest()[:16]


class SessionCodec:
    """Signs sessions into cookie values and back; a bad, old or foreign cookie reads as no session."""

    def __init__(self, key: bytes, *, secure: bool = True, max_age: int = MAX_AGE_SECONDS) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="sitr-web-session-v1")
        self.secure = secure
        self.max_age = max_age

    def dumps(self, session: Session) -> str:
        return self._serializer.dumps({"u": session.user_id, "c": session.csrf, "f": session.fingerprint})

    def loads(self, value: str | None) -> Session | None:
        if not value or len(value) > 4096:
            return None
        try:
            data: Any = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:  # also covers SignatureExpired
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user = data.get("u")
        if user is not None and not isinstance(user, int):
            return None
        return Session(user_id=user, csrf=data["c"], fingerprint=str(data.get("f", "")))

    def write(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self.dumps(session),
            max_age=self.max_age,
            path=PATH,
            secure=self.secure,
            httponly=True,
            samesite="strict",
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=PATH, secure=self.secure, httponly=True, samesite="strict")

    def write_lang(self, response: Response, lang: str) -> None:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 60 * 60,
            path=PATH,
            secure=self.secure,
            httponly=True,
            samesite="strict",
        )


def key_from_cipher(cipher: FieldCipher) -> bytes:
    """The cookie-signing key, derived from (never equal to) the operator's secret key, the same on all workers."""
    return bytes.fromhex(cipher.pseudonym("sitr-web", "session-signing-key", "v1"))
