"""Statements of reasons in the EU DSA Transparency Database schema, for one item or a period (NDJSON).

Built by sitr.report.dsa from the stored decision and non-personal facts only: the puid is sitr's opaque item
id (the platform's own id may carry a user name), `decision_facts` is the policy's template, and nothing is
read from the content.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from sitr.moderation import policy_bridge as pb
from sitr.moderation.context import Actor, Services, as_utc
from sitr.moderation.errors import Conflict
from sitr.moderation.records import item_for
from sitr.report.dsa import StatementError, statement_of_reasons
from sitr.store.models import Item as ItemRow

CONTENT_TYPES = {"text": "CONTENT_TYPE_TEXT", "image": "CONTENT_TYPE_IMAGE"}
_CHUNK = 500


def _statement(svc: Services, row: ItemRow) -> dict[str, Any]:
    decision = pb.decision_from_dict(row.decision)
    if not pb.restricts(decision) or row.decided_at is None:
        raise Conflict("no restriction was decided for this item, so no statement of reasons is due")
    return statement_of_reasons(
        decision,
        puid=row.id,
        content_type=CONTENT_TYPES.get(row.content_type, "CONTENT_TYPE_OTHER"),
        content_language=row.lang.split("-")[0] if row.lang and row.lang != "mixed" else None,
        territorial_scope=None,
        application_date=as_utc(row.decided_at),
        content_date=as_utc(row.content_date or row.received_at),
        source_type=row.source_type,
        automated_detection=row.source_type == "SOURCE_VOLUNTARY",
        decision_facts=pb.decision_facts(decision, svc.policy),
    )


def statement_for(svc: Services, actor: Actor, item_ref: str) -> dict[str, Any]:
    with svc.db.read() as session:
        row = item_for(session, actor, item_ref)
        try:
            return _statement(svc, row)
        except StatementError as exc:
            raise Conflict(str(exc)) from None


def export_statements(svc: Services, actor: Actor, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    """Every statement with an application date in [start, end), oldest first, read in chunks."""
    last_key: tuple[datetime, str] | None = None
    while True:
        stmt = select(ItemRow).where(ItemRow.decided_at >= start, ItemRow.decided_at < end)
        if actor.platform is not None:
            stmt = stmt.where(ItemRow.platform == actor.platform)
        if last_key is not None:
            moment, ident = last_key
            stmt = stmt.where((ItemRow.decided_at > moment) | ((ItemRow.decided_at == moment) & (ItemRow.id > ident)))
        stmt = stmt.order_by(ItemRow.decided_at, ItemRow.id).limit(_CHUNK)
        with svc.db.read() as session:
            rows = session.scalars(stmt).all()
        if not rows:
            return
        for row in rows:
            try:
                yield _statement(svc, row)
            except (Conflict, StatementError):
                continue
        tail = rows[-1]
        assert tail.decided_at is not None
        last_key = (tail.decided_at, tail.id)
