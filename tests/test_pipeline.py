"""The analyze pipeline: deterministic, spans index the original text, hard negatives stay clean."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sitr import Item, analyze
from sitr.pipeline import analyze_batch
from sitr.types import THREATS


def _item(text: str, **kw: object) -> Item:
    return Item.from_dict({"id": "t", "text": text, **kw})


def test_deterministic_and_batch_equals_single() -> None:
    texts = [
        "ادفع 300 دولار قبل بكرة وإلا هبعت صورك لأهلك كلهم",
        "Pay me 200 euros by tonight or I send your pics to your family",
        "good morning friends",
    ]
    items = [Item.from_dict({"id": str(i), "text": t}) for i, t in enumerate(texts)]
    batch = [a.to_dict() for a in analyze_batch(items)]
    single = [analyze(i).to_dict() for i in items]
    assert batch == single
    assert [a.to_dict() for a in analyze_batch(items)] == batch


def test_all_threats_present_with_scores_in_range() -> None:
    a = analyze(_item("hello"))
    assert set(a.threats) == set(THREATS)
    assert all(0.0 <= t.score <= 1.0 for t in a.threats.values())


def test_spans_index_the_original_text_even_when_obfuscated() -> None:
    text = "رقمه ٠١٠١٢٣٤٥٦٧٨ وهو ش.ا.ذ"
    a = analyze(_item(text))
    phones = [f for f in a.findings if f.kind == "pii:phone"]
    assert phones, "the Arabic-Indic phone number is found"
    assert text[phones[0].start : phones[0].end].strip() == "٠١٠١٢٣٤٥٦٧٨"


def test_conversation_spans_carry_message_index() -> None:
    item = Item.from_dict(
        {
            "id": "c",
            "surface": "dating_chat",
            "messages": [
                {"from": "x", "text": "hey"},
                {"from": "u", "text": "hi"},
                {"from": "x", "text": "send me a face pic and your live location, let's meet tonight"},
            ],
        }
    )
    a = analyze(item)
    spans = [s for sig in a.signals for s in sig.spans]
    assert spans and all(s.message in (0, 2) for s in spans)


def test_extortion_detected_in_four_languages() -> None:
    cases = [
        "ادفع 500 دولار قبل بكرة وإلا هبعت صورك لأهلك",
        "hat 500 dollar bokra walla haba3at sowarak le ahlak",
        "Tu me paies 500 euros avant demain sinon j'envoie tes photos à ta famille",
        "Pay me 500 dollars before tomorrow or I send your photos to your family",
    ]
    for text in cases:
        assert analyze(_item(text, surface="dm")).threats["extortion"].detected, text


def test_hard_negatives_stay_clean() -> None:
    benign = [
        "أنا مثلي وفخور بنفسي",
        "I'm gay and proud, happy pride everyone",
        "Our office number is +961 1 234 567, call us for legal support",
        "someone sent me this: 'pay or I post your photos'. what should I do?",
        "Reminder: you still owe me 20 dollars for the concert tickets",
    ]
    for text in benign:
        a = analyze(_item(text))
        assert not a.detected(), (text, a.detected())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_spans_in_bounds(text: str) -> None:
    a = analyze(_item(text))
    for f in a.findings:
        assert 0 <= f.start <= f.end <= len(text)


def test_prepare_batch_gives_the_same_documents_as_prepare() -> None:
    from sitr.pipeline import prepare, prepare_batch

    items = [
        Item.from_dict({"id": "a", "text": "هو شاذ ورقمه 01012345678"}),
        Item.from_dict({"id": "b", "text": "paie ou je publie tes photos, appelle le 0612345678"}),
        Item.from_dict(
            {
                "id": "c",
                "messages": [{"from": "x", "text": "bidi shoufak"}, {"from": "u", "text": "la2"}],
                "target": "u",
            }
        ),
    ]
    batch = prepare_batch(items)
    for item, doc in zip(items, batch, strict=True):
        single = prepare(item)
        assert (doc.lang, doc.variety, doc.findings) == (single.lang, single.variety, single.findings)
