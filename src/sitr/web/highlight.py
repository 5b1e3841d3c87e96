"""The text a reviewer reads, cut into segments: plain, evidence (highlighted, with its threats) or masked.

Spans index the ORIGINAL text, so highlighting works on the original and masks at the same time instead of
on the already-masked string (whose offsets no longer match). Masking follows sitr.moderation.masking
exactly (same spans, same labels, same overlap rule): joined back together, the shown segments are the text
`mask_content` produces, which the tests check. After a recorded reveal, personal data is shown but still
marked as such, so the reviewer knows what they are looking at.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sitr.moderation.masking import MASKED_PREFIXES, personal_spans

PLAIN, EVIDENCE, MASKED, PERSONAL = "plain", "evidence", "masked", "personal"


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = PLAIN  # plain | evidence | masked | personal
    threats: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # span kinds, e.g. "pii:phone", "cue:threat"


@dataclass(frozen=True)
class Block:
    """One text or one message of a conversation. `participant` numbers the senders as masking.py does
    (0 is the target); `sender` is the real sender reference, set only once the content was revealed."""

    segments: tuple[Segment, ...]
    participant: int | None = None
    sender: str | None = None
    is_target: bool = False

    @property
    def shown(self) -> str:
        return "".join(s.text for s in self.segments)


def mask_label(kind: str) -> str:
    """The placeholder masking.py writes for a span kind: `pii:phone` -> `[phone]`."""
    return "[" + (kind.split(":", 1)[1] if ":" in kind else kind) + "]"


def _mask_regions(spans: set[tuple[int, int, str]], length: int) -> list[tuple[int, int, str]]:
    """The regions masking.py replaces: sorted, clipped, each starting where the previous one ended."""
    regions: list[tuple[int, int, str]] = []
    pos = 0
    for start, end, kind in sorted(spans):
        start, end = max(start, pos), min(end, length)
        if start >= end:
            continue
        regions.append((start, end, kind))
        pos = end
    return regions


def _evidence(assessment: dict[str, Any], message: int | None) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    for signal in assessment.get("signals") or []:
        threat = str(signal.get("threat", ""))
        for span in signal.get("spans") or []:
            kind = str(span.get("kind", ""))
            # Media spans index an item's images, not its text (sitr.media.signal).
            if kind.startswith(MASKED_PREFIXES) or kind.startswith("media:") or span.get("message") != message:
                continue
            out.append((int(span["start"]), int(span["end"]), kind, threat))
    return out


def segments(
    text: str,
    masks: set[tuple[int, int, str]],
    evidence: list[tuple[int, int, str, str]],
    *,
    revealed: bool = False,
) -> tuple[Segment, ...]:
    """Cut `text` at every span boundary and label each piece; adjacent pieces with equal labels merge."""
    n = len(text)
    regions = _mask_regions(masks, n)
    clipped = [(max(0, s), min(e, n), k, t) for s, e, k, t in evidence if min(e, n) > max(0, s)]
    cuts = {0, n}
    for s, e, _ in regions:
        cuts.update((s, e))
    for s, e, _, _ in clipped:
        cuts.update((s, e))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in pairwise(points):
        region = next((r for r in regions if r[0] <= a and b <= r[1]), None)
        covering = [(k, t) for s, e, k, t in clipped if s <= a and b <= e]
        threats = tuple(sorted({t for _, t in covering}))
        kinds = tuple(sorted({k for k, _ in covering}))
        if region is not None:
            if revealed:
                out.append(Segment(text[a:b], PERSONAL, threats, (region[2], *kinds)))
            elif a == region[0]:
                out.append(Segment(mask_label(region[2]), MASKED, (), (region[2],)))
            continue
        out.append(Segment(text[a:b], EVIDENCE if covering else PLAIN, threats, kinds))
    return _merge(out)


def _merge(parts: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for seg in parts:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and seg.kind in (PLAIN, EVIDENCE, PERSONAL)
            and (prev.kind, prev.threats, prev.labels) == (seg.kind, seg.threats, seg.labels)
        ):
            merged[-1] = Segment(prev.text + seg.text, seg.kind, seg.threats, seg.labels)
        else:
            merged.append(seg)
    return tuple(merged)


def _masks(assessment: dict[str, Any], message: int | None) -> set[tuple[int, int, str]]:
    return {
        (int(s["start"]), int(s["end"]), str(s["kind"]))
        for s in personal_spans(assessment)
        if s.get("message") == message
    }


def content_blocks(
    content: dict[str, Any], assessment: dict[str, Any], *, target: str | None = None, revealed: bool = False
) -> list[Block]:
    """The item as blocks of segments: one block for a text, one per message for a conversation."""
    if "text" in content:
        text = str(content["text"])
        return [Block(segments(text, _masks(assessment, None), _evidence(assessment, None), revealed=revealed))]
    numbers: dict[str, int] = {target: 0} if target else {}
    blocks: list[Block] = []
    for index, message in enumerate(content.get("messages") or []):
        sender = str(message.get("from", ""))
        number = numbers.setdefault(sender, len(numbers) + (0 if target else 1))
        segs = segments(
            str(message.get("text", "")), _masks(assessment, index), _evidence(assessment, index), revealed=revealed
        )
        blocks.append(
            Block(segs, participant=number, sender=sender if revealed else None, is_target=bool(target) and number == 0)
        )
    return blocks
