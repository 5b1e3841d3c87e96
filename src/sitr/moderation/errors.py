"""Errors of the moderation services, each with the HTTP status the API answers with.

Messages name the field or the rule that failed and never quote content or personal data.
"""

from __future__ import annotations


class ModerationError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ModerationError):
    status = 404
    code = "not_found"


class Conflict(ModerationError):
    status = 409
    code = "conflict"


class Forbidden(ModerationError):
    status = 403
    code = "forbidden"


class Invalid(ModerationError):
    status = 422
    code = "invalid"
