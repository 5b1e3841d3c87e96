"""Authentication behind a small protocol, so browser sessions can be added beside API keys later.

An authenticator turns a request into an Actor or None. API keys arrive as `Authorization: Bearer <key>`;
the key is hashed and looked up, never logged. `require(permission)` is the dependency every route uses:
401 without valid credentials, 403 when the role is not allowed for that route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from fastapi import HTTPException, Request

from sitr.api.permissions import ROUTE_ROLES
from sitr.moderation.accounts import actor_for_key
from sitr.moderation.context import Actor
from sitr.store.db import Database


class Authenticator(Protocol):
    def authenticate(self, request: Request) -> Actor | None: ...


class ApiKeyAuthenticator:
    def __init__(self, db: Database) -> None:
        self.db = db

    def authenticate(self, request: Request) -> Actor | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return actor_for_key(self.db, token.strip())


def current_actor(request: Request) -> Actor | None:
    cached = getattr(request.state, "actor", None)
    if isinstance(cached, Actor):
        return cached
    authenticators: list[Authenticator] = request.app.state.authenticators
    for authenticator in authenticators:
        actor = authenticator.authenticate(request)
        if actor is not None:
            request.state.actor = actor
            return actor
    return None


def require(permission: str) -> Callable[[Request], Actor]:
    roles = ROUTE_ROLES[permission]

    def dependency(request: Request) -> Actor:
        actor = current_actor(request)
        if actor is None:
            raise HTTPException(
                status_code=401, detail="missing or invalid API key", headers={"WWW-Authenticate": "Bearer"}
            )
        if actor.role not in roles:
            raise HTTPException(status_code=403, detail=f"role '{actor.role}' may not {permission}")
        return actor

    dependency.__name__ = f"require_{permission.replace('.', '_')}"
    return dependency
