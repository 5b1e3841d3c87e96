"""Request bodies: strict Pydantic models (unknown fields, wrong types and oversize values are 422s).

Size limits mirror sitr.types (64 KiB of text per item, 500 messages, 1,000 items per batch) and sitr.media
(16 images per item, 20 MB each, base64; the request body limit usually binds first); item content is
validated once more by `Item.from_dict`, whose errors never quote the text.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from sitr.media.images import MAX_IMAGE_BYTES, MAX_IMAGES_PER_ITEM
from sitr.types import MAX_ID_CHARS, MAX_MESSAGES, MAX_TEXT_BYTES, THREATS, Item

MAX_BATCH = 1000
ThreatName = Literal["harassment", "outing", "doxxing", "extortion", "entrapment"]
assert set(ThreatName.__args__) == set(THREATS)  # type: ignore[attr-defined]
ItemId = Annotated[StrictStr, Field(min_length=1, max_length=MAX_ID_CHARS)] | StrictInt
ShortText = Annotated[StrictStr, Field(max_length=2000)]
Statement = Annotated[StrictStr, Field(min_length=1, max_length=5000)]
# base64 of the largest image, a `data:` prefix and line breaks (decode_base64_image checks the exact size).
ImageB64 = Annotated[StrictStr, Field(min_length=1, max_length=(MAX_IMAGE_BYTES // 3 + 2) * 4 + 1024)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class MessageIn(Strict):
    sender: ItemId = Field(alias="from", default="")
    text: Annotated[StrictStr, Field(max_length=MAX_TEXT_BYTES)]


class ItemIn(Strict):
    """One item, as in DESIGN.md's input contract."""

    id: ItemId
    text: Annotated[StrictStr, Field(max_length=MAX_TEXT_BYTES)] | None = None
    messages: Annotated[list[MessageIn], Field(min_length=1, max_length=MAX_MESSAGES)] | None = None
    surface: Literal["post", "comment", "dm", "dating_chat"] | None = None
    context: Literal["public_post", "post", "comment", "direct_message", "dm", "dating_chat"] | None = None
    lang: Annotated[StrictStr, Field(max_length=16)] | None = None
    country: Annotated[StrictStr, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")] | None = None
    author: Annotated[StrictStr, Field(max_length=MAX_ID_CHARS)] | None = None
    target: Annotated[StrictStr, Field(max_length=MAX_ID_CHARS)] | None = None
    created_at: Annotated[StrictStr, Field(max_length=64)] | None = None
    images: Annotated[list[ImageB64], Field(max_length=MAX_IMAGES_PER_ITEM)] | None = Field(
        default=None, description="Images as base64 (or data: URLs): JPEG, PNG, GIF, WebP or BMP; only hashes are kept"
    )

    def to_item(self) -> Item:
        """Validated by sitr.types as well; raises ItemError."""
        return Item.from_dict(self.model_dump(by_alias=True, exclude_none=True, exclude={"images"}))


class ItemBatch(Strict):
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=MAX_BATCH)]


class FlagIn(Strict):
    item_id: ItemId
    reporter: Annotated[StrictStr, Field(min_length=1, max_length=MAX_ID_CHARS)]
    reason: Literal["harassment", "outing", "doxxing", "extortion", "entrapment", "other"]
    note: ShortText | None = None
    item: ItemIn | None = Field(default=None, description="The item, if it was never sent to POST /v1/items")


class AppealIn(Strict):
    item_id: ItemId
    appellant: Literal["author", "reporter", "target"]
    reason: ShortText


class DecisionIn(Strict):
    threat: ThreatName | None = Field(description="The threat confirmed; null when no rule was broken")
    actions: Annotated[list[StrictStr], Field(max_length=9)] | None = Field(
        default=None, description="Actions taken; omitted: the policy's actions for the threat"
    )
    clause: Annotated[StrictStr, Field(min_length=1, max_length=128)] = Field(description="The policy clause applied")
    statement: Statement = Field(description="Public statement of reasons, shown to the author")
    note: Annotated[StrictStr, Field(max_length=5000)] | None = Field(
        default=None, description="Internal note for other reviewers (stored encrypted)"
    )


class RevealIn(Strict):
    fields: Annotated[list[Literal["content", "author", "target"]], Field(min_length=1, max_length=3)]
    reason: Annotated[StrictStr, Field(min_length=3, max_length=500)]


class EscalationIn(Strict):
    platform: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    item_id: ItemId
    reason: ThreatName
    urgent: bool = False
    note: ShortText | None = None
    item: ItemIn | None = Field(default=None, description="The partner's copy, if the platform never sent it")


class UserIn(Strict):
    name: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    role: Literal["admin", "reviewer", "partner", "auditor", "integration"]
    languages: Annotated[list[Annotated[StrictStr, Field(max_length=16)]], Field(max_length=20)] = []
    varieties: Annotated[list[Annotated[StrictStr, Field(max_length=32)]], Field(max_length=40)] = []
    organisation: Annotated[StrictStr, Field(max_length=128)] | None = None
    password: Annotated[StrictStr, Field(min_length=12, max_length=1024)] | None = None


class KeyIn(Strict):
    user: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    label: Annotated[StrictStr, Field(max_length=128)] | None = None
