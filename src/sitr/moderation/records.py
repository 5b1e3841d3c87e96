"""Shared building blocks over the tables: encrypted item content, item lookup by caller, opening cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sitr.moderation.context import Actor
from sitr.moderation.errors import NotFound
from sitr.store.crypto import FieldCipher, aad_for
from sitr.store.models import Case
from sitr.store.models import Item as ItemRow
from sitr.types import Item

OPEN_STATES: tuple[str, ...] = ("open", "claimed")
DEFAULT_DEADLINE_MINUTES = 24 * 60


def content_of(item: Item) -> dict[str, Any]:
    """What the item says, as stored (encrypted): the text, or the messages with their senders."""
    if item.text is not None:
        return {"text": item.text}
    return {"messages": [{"from": m.sender, "text": m.text} for m in item.messages]}


def personal_of(item: Item) -> dict[str, Any]:
    return {"author": item.author, "target": item.target}


def seal_item(cipher: FieldCipher, item_id: str, item: Item) -> tuple[bytes, bytes]:
    return (
        cipher.encrypt_json(content_of(item), aad_for("items", "content_enc", item_id)),
        cipher.encrypt_json(personal_of(item), aad_for("items", "personal_enc", item_id)),
    )


def open_content(cipher: FieldCipher, row: ItemRow) -> dict[str, Any] | None:
    """The decrypted content, or None once retention has erased it."""
    if row.content_enc is None:
        return None
    value = cipher.decrypt_json(row.content_enc, aad_for("items", "content_enc", row.id))
    return value if isinstance(value, dict) else None


def open_personal(cipher: FieldCipher, row: ItemRow) -> dict[str, Any]:
    if row.personal_enc is None:
        return {"author": None, "target": None}
    value = cipher.decrypt_json(row.personal_enc, aad_for("items", "personal_enc", row.id))
    return value if isinstance(value, dict) else {"author": None, "target": None}


def find_item(session: Session, platform: str, external_id: str) -> ItemRow | None:
    return session.scalars(
        select(ItemRow).where(ItemRow.platform == platform, ItemRow.external_id == external_id)
    ).one_or_none()


def item_for(session: Session, actor: Actor, ref: str, *, lock: bool = False) -> ItemRow:
    """An item as the caller may see it: an integration names its own ids; others use sitr's id."""
    stmt = select(ItemRow)
    if actor.platform is not None:
        stmt = stmt.where(ItemRow.platform == actor.platform, ItemRow.external_id == ref)
    else:
        stmt = stmt.where(ItemRow.id == ref)
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalars(stmt).one_or_none()
    if row is None:
        raise NotFound("no such item")
    return row


def open_case_for(session: Session, item_id: str, *, kind: str | None = None, lock: bool = False) -> Case | None:
    stmt = select(Case).where(Case.item_id == item_id, Case.status.in_(OPEN_STATES))
    if kind is not None:
        stmt = stmt.where(Case.kind == kind)
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt.order_by(Case.id).limit(1)).one_or_none()


def new_case(
    row: ItemRow,
    *,
    kind: str,
    origin: str,
    threat: str | None,
    severity: int,
    deadline_minutes: int | None,
    now: datetime,
    appeal_of: int | None = None,
    excluded_reviewer: int | None = None,
) -> Case:
    return Case(
        item_id=row.id,
        kind=kind,
        origin=origin,
        status="open",
        threat=threat,
        lang=row.lang,
        variety=row.variety,
        country=row.country,
        severity=severity,
        opened_at=now,
        deadline_at=now + timedelta(minutes=deadline_minutes or DEFAULT_DEADLINE_MINUTES),
        appeal_of=appeal_of,
        excluded_reviewer=excluded_reviewer,
    )
