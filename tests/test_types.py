"""Item.from_dict is the one gate untrusted JSON passes: every rejection names a reason, never the text."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitr.types import MAX_MESSAGES, MAX_TEXT_BYTES, Item, ItemError


def test_text_item_defaults() -> None:
    item = Item.from_dict({"id": "a", "text": "hello"})
    assert item.surface == "post"
    assert item.segments() == ["hello"]
    assert not item.is_conversation


def test_context_alias_and_conversation_target_default() -> None:
    item = Item.from_dict(
        {"id": 7, "context": "dating_chat", "messages": [{"from": "x", "text": "hi"}, {"from": "u", "text": "yo"}]}
    )
    assert item.id == "7"
    assert item.surface == "dating_chat"
    assert item.target == "u"
    assert item.segments() == ["hi", "yo"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ([], "JSON object"),
        ({"text": "x"}, "missing id"),
        ({"id": "", "text": "x"}, "missing id"),
        ({"id": True, "text": "x"}, "id must be"),
        ({"id": "a"}, "neither text nor messages"),
        ({"id": "a", "text": 5}, "text must be a string"),
        ({"id": "a", "text": "x", "messages": []}, "either text or messages"),
        ({"id": "a", "messages": []}, "empty"),
        ({"id": "a", "messages": "hi"}, "must be a list"),
        ({"id": "a", "messages": [{"from": "x"}]}, "no text"),
        ({"id": "a", "text": "x", "surface": "billboard"}, "unknown surface"),
        ({"id": "a", "text": "x", "country": "Egypt"}, "country"),
        ({"id": "a", "text": "x" * (MAX_TEXT_BYTES + 1)}, "64 KiB"),
        ({"id": "a", "text": "ش" * (MAX_TEXT_BYTES // 2 + 1)}, "64 KiB"),
        ({"id": "a", "messages": [{"from": "x", "text": "hi"}] * (MAX_MESSAGES + 1)}, "500 messages"),
    ],
)
def test_rejections_name_the_reason(data: object, reason: str) -> None:
    with pytest.raises(ItemError, match=reason):
        Item.from_dict(data)


def test_rejection_never_quotes_text() -> None:
    secret = "call 01012345678 " * 5000
    with pytest.raises(ItemError) as info:
        Item.from_dict({"id": "a", "text": secret})
    assert "0101" not in str(info.value)


@given(st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.integers(), st.text(max_size=20)), max_size=6))
def test_from_dict_only_raises_item_error(data: dict[str, object]) -> None:
    with contextlib.suppress(ItemError):
        Item.from_dict(data)
