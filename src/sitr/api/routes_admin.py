"""Administration and oversight: accounts and keys (admin), aggregates and chain audit (auditor, admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sitr.api.auth import require
from sitr.api.deps import services
from sitr.api.schemas import KeyIn, UserIn
from sitr.moderation.accounts import add_user, create_key
from sitr.moderation.context import Actor, Services
from sitr.moderation.projection import check_cases
from sitr.moderation.stats import aggregates
from sitr.store.events import verify_chain

router = APIRouter(prefix="/v1", tags=["oversight"])


@router.get("/whoami", summary="The role and languages of the calling key")
def whoami(actor: Annotated[Actor, Depends(require("whoami"))]) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "role": actor.role,
        "languages": list(actor.languages),
        "varieties": list(actor.varieties),
    }


@router.get("/stats", summary="Aggregate counts, small counts suppressed")
def stats(
    _actor: Annotated[Actor, Depends(require("stats.read"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    return aggregates(svc)


@router.get("/audit/verify", summary="Recompute the event log's hash chain and check cases against it")
def audit_verify(
    _actor: Annotated[Actor, Depends(require("audit.verify"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    with svc.db.read() as session:
        report = verify_chain(session).to_dict()
        report["cases"] = check_cases(session).to_dict()
        return report


@router.post("/admin/users", status_code=201, summary="Create a user")
def post_user(
    body: UserIn,
    _actor: Annotated[Actor, Depends(require("admin.users"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    user = add_user(
        svc.db,
        body.name,
        body.role,
        languages=body.languages,
        varieties=body.varieties,
        organisation=body.organisation,
        password=body.password,
    )
    return {"id": user.id, "name": user.name, "role": user.role}


@router.post("/admin/keys", status_code=201, summary="Create an API key (shown once)")
def post_key(
    body: KeyIn,
    _actor: Annotated[Actor, Depends(require("admin.keys"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    key = create_key(svc.db, body.user, body.label)
    return {"key": key.key, "prefix": key.prefix, "user": key.user, "role": key.role}
