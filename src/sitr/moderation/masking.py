"""Masking personal data in what a reviewer sees, until they choose to reveal it (and the reveal is logged).

The detectors already located the personal data: findings of kind `pii:*` (phone numbers, IDs, handles,
addresses...) and `name`. Those spans are replaced by a bracketed label; people in a conversation become
"participant 1", "participant 2"; author and target references are withheld. Everything else stays, because
a reviewer cannot judge a threat they cannot read.
"""

from __future__ import annotations

from typing import Any

MASKED_PREFIXES: tuple[str, ...] = ("pii:", "name")


def _label(kind: str) -> str:
    return "[" + (kind.split(":", 1)[1] if ":" in kind else kind) + "]"


def _mask_one(text: str, spans: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, kind in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(text[pos:start])
        out.append(_label(kind))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def personal_spans(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    spans = list(assessment.get("findings") or [])
    for signal in assessment.get("signals") or []:
        spans.extend(signal.get("spans") or [])
    return [s for s in spans if str(s.get("kind", "")).startswith(MASKED_PREFIXES)]


def mask_content(content: dict[str, Any], assessment: dict[str, Any], target: str | None = None) -> dict[str, Any]:
    """A copy of `content` with personal data replaced; `masked` counts what was hidden."""
    spans = personal_spans(assessment)
    hidden = 0
    if "text" in content:
        mine = {(int(s["start"]), int(s["end"]), str(s["kind"])) for s in spans if s.get("message") is None}
        hidden += len(mine)
        return {"text": _mask_one(str(content["text"]), list(mine)), "masked": hidden}
    senders: dict[str, str] = {target: "target"} if target else {}
    messages = []
    for index, m in enumerate(content.get("messages") or []):
        mine = {(int(s["start"]), int(s["end"]), str(s["kind"])) for s in spans if s.get("message") == index}
        hidden += len(mine)
        sender = str(m.get("from", ""))
        alias = senders.setdefault(sender, f"participant {len(senders) + (0 if target else 1)}")
        messages.append({"from": alias, "text": _mask_one(str(m.get("text", "")), list(mine))})
    return {"messages": messages, "masked": hidden + len(senders)}
