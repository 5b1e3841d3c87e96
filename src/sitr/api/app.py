"""The FastAPI application: routers, auth, guards, error shapes, offline docs.

`create_app(services)` is what tests and embedders use; `create_app_from_env()` is the uvicorn factory behind
`sitr serve`: it reads the configuration, creates the embedded SQLite database on first run (PostgreSQL must
be migrated with `sitr db upgrade` first) and refuses to start in production without an operator key.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitr.api import routes_admin, routes_items, routes_partners, routes_review
from sitr.api.auth import ApiKeyAuthenticator, Authenticator
from sitr.api.docs import mount_docs
from sitr.api.limits import GuardMiddleware
from sitr.config import DEFAULT_MAX_BODY_BYTES, ConfigError, load_settings
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import ModerationError

log = logging.getLogger("sitr.api")
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


def _clean_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors without the offending input: it may be someone's message."""
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors
    ]


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ModerationError)
    async def moderation_error(_request: Request, exc: ModerationError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "detail": exc.message}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _clean_errors(exc.errors())
        if any(e["type"] == "json_invalid" for e in errors):
            return JSONResponse(
                {"error": "malformed_json", "detail": "request body is not valid JSON"}, status_code=400
            )
        return JSONResponse({"error": "invalid", "detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": _CODES.get(exc.status_code, "error"), "detail": exc.detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )


def _media_router(services: Services) -> APIRouter:
    """Hash banks (issue 6): admins and partners manage banks (partners only their own), integrations match."""
    from sitr.api.auth import current_actor
    from sitr.media.api import make_router
    from sitr.media.banks import BankStore
    from sitr.moderation.media import bank_store

    store = bank_store(services)  # the same store (and cached match index) ingest uses

    def get_store() -> BankStore:
        return store

    def get_principal(request: Request) -> Actor:
        actor = current_actor(request)
        if actor is None:
            raise StarletteHTTPException(401, "missing or invalid API key", headers={"WWW-Authenticate": "Bearer"})
        return actor

    return make_router(get_store, get_principal)


def create_app(
    services: Services,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    authenticators: Sequence[Authenticator] | None = None,
) -> FastAPI:
    app = FastAPI(
        title="sitr",
        version="0.1.0",
        description="Trust-and-safety service protecting LGBT people in the Middle East and North Africa "
        "from entrapment, extortion, harassment, doxxing and outing.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.state.authenticators = list(authenticators or [ApiKeyAuthenticator(services.db)])
    for router in (routes_items.router, routes_review.router, routes_partners.router, routes_admin.router):
        app.include_router(router)
    app.include_router(_media_router(services), prefix="/v1/media")
    _install_handlers(app)
    mount_docs(app)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok", "policy_version": str(services.policy.version)}

    app.add_middleware(GuardMiddleware, max_body_bytes=max_body_bytes)
    return app


def create_app_from_env() -> FastAPI:
    """The `sitr serve` factory (uvicorn --factory)."""
    from sitr.store import migrate
    from sitr.store.db import Database

    settings = load_settings()
    db = Database(settings.database_url)
    if not migrate.is_up_to_date(db.engine):
        if settings.is_sqlite:
            migrate.upgrade(db.engine)
        else:
            raise ConfigError("the database schema is not up to date: run `sitr db upgrade` first")
    services = Services.from_settings(settings, db=db)
    log.info("sitr API ready (database %s, policy %s)", db.dialect, services.policy.version)
    from sitr.web import mount

    app = create_app(services, max_body_bytes=settings.max_body_bytes)
    mount(app)  # the reviewer console and partner portal under /console
    return app
