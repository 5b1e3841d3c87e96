"""What a reviewer reads: evidence highlighted and personal data masked on the ORIGINAL offsets, giving
exactly the text sitr.moderation.masking produces, and the original text back after a recorded reveal."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.moderation.masking import mask_content
from sitr.web.highlight import EVIDENCE, MASKED, PERSONAL, PLAIN, content_blocks, mask_label

KINDS = ("pii:phone", "pii:address", "name", "cue:threat", "cue:identity_claim", "pii:email")
THREATS = ("outing", "doxxing", "extortion")


@st.composite
def texts_with_spans(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    text = draw(st.text(alphabet=st.sampled_from("ab cشوفو0123 é,"), max_size=40))
    n = len(text)

    def span() -> dict[str, Any]:
        start = draw(st.integers(0, n + 2))
        end = draw(st.integers(start, n + 4))
        return {"start": start, "end": end, "kind": draw(st.sampled_from(KINDS))}

    findings = [span() for _ in range(draw(st.integers(0, 4)))]
    signals = [
        {"threat": draw(st.sampled_from(THREATS)), "spans": [span() for _ in range(draw(st.integers(0, 3)))]}
        for _ in range(draw(st.integers(0, 3)))
    ]
    return text, findings, signals


@settings(max_examples=300, deadline=None)
@given(texts_with_spans())
def test_masked_view_is_exactly_what_masking_produces(case: tuple[str, list[Any], list[Any]]) -> None:
    text, findings, signals = case
    assessment = {"findings": findings, "signals": signals}
    (block,) = content_blocks({"text": text}, assessment)
    assert block.shown == mask_content({"text": text}, assessment)["text"]
    (revealed,) = content_blocks({"text": text}, assessment, revealed=True)
    assert revealed.shown == text
    assert MASKED not in {s.kind for s in revealed.segments}
    for seg in block.segments:
        assert seg.kind in (PLAIN, EVIDENCE, MASKED)
        assert bool(seg.threats) == (seg.kind == EVIDENCE)
        if seg.kind == MASKED:
            assert seg.text == mask_label(seg.labels[0])


@settings(max_examples=100, deadline=None)
@given(texts_with_spans(), st.sampled_from([None, "u1", "u2"]))
def test_conversations_number_participants_like_masking(
    case: tuple[str, list[Any], list[Any]], target: str | None
) -> None:
    text, findings, signals = case
    for group in (findings, *(s["spans"] for s in signals)):
        for i, span in enumerate(group):
            span["message"] = i % 3
    content = {"messages": [{"from": f"u{i % 2 + 1}", "text": text} for i in range(3)]}
    assessment = {"findings": findings, "signals": signals}
    expected = mask_content(content, assessment, target)["messages"]
    blocks = content_blocks(content, assessment, target=target)
    assert [b.shown for b in blocks] == [m["text"] for m in expected]
    names = ["target" if b.is_target else f"participant {b.participant}" for b in blocks]
    assert names == [m["from"] for m in expected]
    assert all(b.sender is None for b in blocks)  # real sender ids only after a reveal
    revealed = content_blocks(content, assessment, target=target, revealed=True)
    assert [b.sender for b in revealed] == ["u1", "u2", "u1"]


def test_arabic_example_highlights_evidence_and_hides_the_number() -> None:
    text = "راه مثلي، رقمو 0612345678"
    phone = text.index("0612345678")
    assessment = {
        "findings": [{"start": phone, "end": phone + 10, "kind": "pii:phone"}],
        "signals": [{"threat": "outing", "spans": [{"start": 0, "end": 8, "kind": "cue:identity_claim"}]}],
    }
    (block,) = content_blocks({"text": text}, assessment)
    assert [(s.kind, s.text, s.threats) for s in block.segments] == [
        (EVIDENCE, "راه مثلي", ("outing",)),
        (PLAIN, "، رقمو ", ()),
        (MASKED, "[phone]", ()),
    ]
    (shown,) = content_blocks({"text": text}, assessment, revealed=True)
    assert shown.segments[-1].kind == PERSONAL and shown.segments[-1].text == "0612345678"
