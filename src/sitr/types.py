"""The data contracts of sitr: items in, assessments out.

Plain frozen dataclasses rather than Pydantic models: `analyze` runs thousands of times a second and these
objects are built on its hot path. The small values built several times per item (Span, Signal, ThreatScore)
are NamedTuples, which cost a third of a frozen dataclass to build. Validation of untrusted JSON happens once,
in `Item.from_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

THREATS: tuple[str, ...] = ("harassment", "outing", "doxxing", "extortion", "entrapment")

SURFACES: tuple[str, ...] = ("post", "comment", "dm", "dating_chat")
# The labelled data says `context` with longer names; both spellings are accepted.
SURFACE_ALIASES: dict[str, str] = {
    "public_post": "post",
    "post": "post",
    "comment": "comment",
    "direct_message": "dm",
    "dm": "dm",
    "dating_chat": "dating_chat",
}

MAX_TEXT_BYTES = 64 * 1024
MAX_MESSAGES = 500
MAX_ID_CHARS = 256


class ItemError(ValueError):
    """An input item that cannot be analysed; the message says why (never echoes the text)."""


@dataclass(frozen=True, slots=True)
class Message:
    sender: str
    text: str


@dataclass(frozen=True, slots=True)
class Item:
    """One unit of content: a text, or a conversation of ordered messages."""

    id: str
    text: str | None = None
    messages: tuple[Message, ...] = ()
    surface: str = "post"
    lang: str | None = None
    country: str | None = None
    author: str | None = None
    target: str | None = None
    created_at: str | None = None

    @property
    def is_conversation(self) -> bool:
        return self.text is None

    def segments(self) -> list[str]:
        """The texts to analyse, in order: one for a post, one per message for a conversation."""
        if self.text is not None:
            return [self.text]
        return [m.text for m in self.messages]

    @classmethod
    def from_dict(cls, data: Any) -> Item:
        """Build an item from untrusted JSON, raising ItemError with a reason that never quotes the text."""
        if not isinstance(data, dict):
            raise ItemError("item must be a JSON object")
        raw_id = data.get("id")
        if raw_id is None or raw_id == "":
            raise ItemError("missing id")
        if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
            raise ItemError("id must be a string or an integer")
        item_id = str(raw_id)
        if len(item_id) > MAX_ID_CHARS:
            raise ItemError(f"id longer than {MAX_ID_CHARS} characters")
        text = data.get("text")
        raw_messages = data.get("messages")
        if text is not None and raw_messages is not None:
            raise ItemError("give either text or messages, not both")
        messages: tuple[Message, ...] = ()
        if text is not None:
            if not isinstance(text, str):
                raise ItemError("text must be a string")
            _check_size(text, "text")
        elif raw_messages is not None:
            if not isinstance(raw_messages, list):
                raise ItemError("messages must be a list")
            if len(raw_messages) == 0:
                raise ItemError("messages is empty")
            if len(raw_messages) > MAX_MESSAGES:
                raise ItemError(f"conversation has more than {MAX_MESSAGES} messages")
            built = []
            total = 0
            for i, m in enumerate(raw_messages):
                if not isinstance(m, dict):
                    raise ItemError(f"message {i} must be an object")
                mt = m.get("text")
                sender = m.get("from", "")
                if not isinstance(mt, str):
                    raise ItemError(f"message {i} has no text string")
                if not isinstance(sender, (str, int)) or isinstance(sender, bool):
                    raise ItemError(f"message {i} has an invalid 'from'")
                total += len(mt.encode("utf-8", "surrogatepass"))
                built.append(Message(sender=str(sender), text=mt))
            if total > MAX_TEXT_BYTES:
                raise ItemError(f"conversation text over {MAX_TEXT_BYTES // 1024} KiB")
            messages = tuple(built)
        else:
            raise ItemError("item has neither text nor messages")
        surface_raw = data.get("surface", data.get("context"))
        if surface_raw is None:
            surface = "dm" if messages else "post"
        elif isinstance(surface_raw, str) and surface_raw in SURFACE_ALIASES:
            surface = SURFACE_ALIASES[surface_raw]
        else:
            raise ItemError(f"unknown surface; expected one of {', '.join(SURFACES)}")
        country = _opt_str(data, "country", 2)
        if country is not None:
            if not (len(country) == 2 and country.isascii() and country.isalpha()):
                raise ItemError("country must be an ISO-3166 alpha-2 code")
            country = country.upper()
        target = _opt_str(data, "target", MAX_ID_CHARS)
        if messages and target is None:
            # The labelled data's convention: "u" is the user sitr protects.
            target = "u" if any(m.sender == "u" for m in messages) else None
        return cls(
            id=item_id,
            text=text,
            messages=messages,
            surface=surface,
            lang=_opt_str(data, "lang", 16),
            country=country,
            author=_opt_str(data, "author", MAX_ID_CHARS),
            target=target,
            created_at=_opt_str(data, "created_at", 64),
        )


def _check_size(text: str, what: str) -> None:
    if len(text) > MAX_TEXT_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise ItemError(f"{what} over {MAX_TEXT_BYTES // 1024} KiB")


def _opt_str(data: dict[str, Any], key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError(f"{key} must be a string")
    if len(value) > limit:
        raise ItemError(f"{key} longer than {limit} characters")
    return value


class Span(NamedTuple):
    """Evidence: [start, end) in the ORIGINAL text of one segment (message index for conversations)."""

    start: int
    end: int
    kind: str
    message: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "kind": self.kind}
        if self.message is not None:
            d["message"] = self.message
        return d


class Signal(NamedTuple):
    """What one detector found about one threat."""

    threat: str
    score: float
    detector: str
    version: str
    spans: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "threat": self.threat,
            "score": round(self.score, 4),
            "detector": self.detector,
            "version": self.version,
            "spans": [s.to_dict() for s in self.spans],
        }


class ThreatScore(NamedTuple):
    score: float
    level: str  # "none" | "low" | "medium" | "high"
    detected: bool

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "level": self.level, "detected": self.detected}


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    lang: str
    variety: str
    threats: dict[str, ThreatScore]
    signals: tuple[Signal, ...]
    findings: tuple[Span, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)

    def detected(self) -> list[str]:
        return [t for t in THREATS if self.threats[t].detected]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape `sitr scan` writes. Built inline (no per-span method calls): it is on the hot path."""
        threats = self.threats
        return {
            "id": self.id,
            "lang": self.lang,
            "variety": self.variety,
            "threats": {
                t: {"score": round(score, 4), "level": level, "detected": detected}
                for t in THREATS
                for score, level, detected in (threats[t],)
            },
            "signals": [
                {
                    "threat": s.threat,
                    "score": round(s.score, 4),
                    "detector": s.detector,
                    "version": s.version,
                    "spans": _span_dicts(s.spans),
                }
                for s in self.signals
            ],
            "findings": _span_dicts(self.findings),
            "versions": dict(self.versions),
        }


def _span_dicts(spans: tuple[Span, ...]) -> list[dict[str, Any]]:
    return [
        {"start": start, "end": end, "kind": kind}
        if message is None
        else {"start": start, "end": end, "kind": kind, "message": message}
        for start, end, kind, message in spans
    ]
