"""Platform endpoints: submit items, flags and appeals; read decisions and statements of reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import Discriminator, Tag

from sitr.api.auth import require
from sitr.api.deps import services
from sitr.api.schemas import AppealIn, FlagIn, ItemBatch, ItemIn
from sitr.media.images import ImageError, load_item_images
from sitr.moderation.appeals import appeal
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Invalid
from sitr.moderation.flags import flag
from sitr.moderation.ingest import ingest
from sitr.moderation.records import item_for
from sitr.moderation.statements import export_statements, statement_for
from sitr.store.events import canonical_json
from sitr.types import ItemError

router = APIRouter(prefix="/v1", tags=["platform"])


def _body_kind(value: Any) -> str:
    if isinstance(value, ItemBatch) or (isinstance(value, dict) and "items" in value):
        return "batch"
    return "item"


ItemsBody = Annotated[
    Annotated[ItemIn, Tag("item")] | Annotated[ItemBatch, Tag("batch")],
    Discriminator(_body_kind),
]


def _images(raw: ItemIn, index: int) -> list[bytes]:
    """The item's images decoded from base64 (never read as paths: a caller must not make the server open files)."""
    if not raw.images:
        return []
    try:
        return load_item_images({"images": raw.images}, allow_paths=False)
    except ImageError as exc:
        raise Invalid(f"item {index}: {exc}") from None


def _platform(actor: Actor) -> str:
    if actor.platform is None:  # only integrations reach these routes; this keeps mypy and readers sure
        raise Invalid("only a platform's key can do this")
    return actor.platform


@router.post("/items", summary="Assess, decide and record one item or a batch of up to 1,000")
def post_items(
    body: Annotated[ItemsBody, Body()],
    actor: Annotated[Actor, Depends(require("items.create"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    batch = body.items if isinstance(body, ItemBatch) else [body]
    items = []
    images = []
    for index, raw in enumerate(batch):
        try:
            items.append(raw.to_item())
        except ItemError as exc:
            raise Invalid(f"item {index}: {exc}") from None
        images.append(_images(raw, index))
    results = [r.to_dict() for r in ingest(svc, items, actor=actor, platform=_platform(actor), images=images)]
    return {"items": results} if isinstance(body, ItemBatch) else {"item": results[0]}


@router.get("/items/{item_id}", summary="The stored assessment and decision of one of your items")
def get_item(
    item_id: str,
    actor: Annotated[Actor, Depends(require("items.read"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    with svc.db.read() as session:
        row = item_for(session, actor, item_id)
        return {
            "id": row.external_id,
            "sitr_id": row.id,
            "assessment": row.assessment,
            "decision": row.decision,
            "automated": row.automated,
            "outcome": row.outcome,
            "content_deleted": row.content_deleted_at is not None,
        }


@router.post("/flags", summary="A user's report about an item")
def post_flag(
    body: FlagIn,
    actor: Annotated[Actor, Depends(require("flags.create"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    platform = _platform(actor)
    if body.item is not None:
        if str(body.item.id) != str(body.item_id):
            raise Invalid("item.id must equal item_id")
        try:
            ingest(svc, [body.item.to_item()], actor=actor, platform=platform, images=[_images(body.item, 0)])
        except ItemError as exc:
            raise Invalid(f"item: {exc}") from None
    return flag(
        svc,
        actor,
        platform=platform,
        external_id=str(body.item_id),
        reporter=body.reporter,
        reason=body.reason,
        note=body.note,
    ).to_dict()


@router.post("/appeals", summary="Appeal a decision; decided by a reviewer other than the first")
def post_appeal(
    body: AppealIn,
    actor: Annotated[Actor, Depends(require("appeals.create"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    return appeal(svc, actor, str(body.item_id), appellant=body.appellant, reason=body.reason)


@router.get("/items/{item_id}/statement", summary="DSA statement of reasons (Transparency Database schema)")
def get_statement(
    item_id: str,
    actor: Annotated[Actor, Depends(require("statements.read"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    return statement_for(svc, actor, item_id)


def _moment(value: str, name: str) -> datetime:
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"'{name}' must be an ISO-8601 date or date-time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@router.get(
    "/export/statements",
    summary="Statements of reasons decided in [from, to), as NDJSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export(
    actor: Annotated[Actor, Depends(require("statements.export"))],
    svc: Annotated[Services, Depends(services)],
    start: Annotated[str, Query(alias="from", max_length=40, description="ISO date or date-time")],
    end: Annotated[str, Query(alias="to", max_length=40, description="ISO date or date-time (exclusive)")],
) -> StreamingResponse:
    lo, hi = _moment(start, "from"), _moment(end, "to")
    if hi <= lo:
        raise Invalid("'to' must be after 'from'")

    def lines() -> Iterator[str]:
        for statement in export_statements(svc, actor, lo, hi):
            yield canonical_json(statement) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")
