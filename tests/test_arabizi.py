"""Arabizi detection and the Arabic-script view."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.text.arabizi import arabizi_view, has_arabizi, is_arabizi_word, transliterate_word
from sitr.text.normalize import normalize


def view(text: str) -> str:
    return arabizi_view(normalize(text)).text


@pytest.mark.parametrize(
    "text",
    [
        "ya3ni shu, badna nsammi el shawaz community?",
        "ana 3ayez a3rafak",
        "wallah khalas",
        "enta fein?",
        "kel el sh4waz lezim yen7absu",
        "3andy el screenshots bta3tak",
        "hayda el shab",
        "l'7ala",
    ],
)
def test_has_arabizi(text: str) -> None:
    assert has_arabizi(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll meet you at 3am, bring 2 friends",
        "Rendez-vous à 5h, 20 rue de la Paix",
        "call 0612345678 or +961 3 728 410",
        "my new ps5 and mp3 player, covid19 test on 2nd may",
        "the law says men must be free",
        "ma mère est là",
        "",
        "12/05/2024 500$",
    ],
)
def test_no_arabizi_in_english_french_or_numbers(text: str) -> None:
    assert not has_arabizi(text)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("7abibi", "حبيبي"),
        ("ma7loul", "محلول"),
        ("m3rouf", "معروف"),
        ("mithli", "مثلي"),
        ("kif", "كيف"),
        ("bint", "بنت"),
        ("ezzin", "الزين"),
        ("yen7absu", "ينحبسو"),
        ("3'ali", "غلي"),
        ("7'ara", "خره"),
        ("sowar", "صور"),
        ("gesm", "جسم"),
    ],
)
def test_letter_rules(word: str, expected: str) -> None:
    assert transliterate_word(word)[0] == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("shawaz", "شواذ"),
        ("khawal", "خول"),
        ("zamel", "زامل"),
        ("sharmouta", "شرموطه"),
        ("3ayez", "عايز"),
        ("ya3ni", "يعني"),
        ("wallah", "والله"),
        ("kteer", "كتير"),
    ],
)
def test_listed_words_use_their_fixed_form(word: str, expected: str) -> None:
    assert transliterate_word(word)[0] == expected


def test_same_word_in_both_scripts_meets() -> None:
    assert "الشواذ" in view("kel el shawaz lezim yen7absu")
    assert "الشواذ" in normalize("كل الشواذ لازم ينحبسو").text
    assert view("ya zamel") == "يا زامل"


def test_prefixes_are_joined_like_arabic_writes_them() -> None:
    assert view("w ana 3ayez") == "وانا عايز"
    assert view("b jounieh wallah").startswith("بج")
    assert view("fel bar mta3 la marsa").startswith("في البر")


def test_english_words_are_kept_in_code_switching() -> None:
    out = view("ya3ne shu, badna nsammi el shawaz community? no, they're a disease")
    assert out.startswith("يعني شو, بدنا")
    assert "community? no, they're a disease" in out


def test_french_words_are_kept() -> None:
    out = view("el prof d'anglais mta3 lycée pasteur, c'est un pédé")
    assert "c'est un pédé" in out
    assert "متاع" in out


def test_numbers_and_handles_stay() -> None:
    out = view("ra2mo 0795 225 316 w el insta @ons.xx.23, 500dt")
    assert "0795 225 316" in out
    assert "@ons.xx.23" in out
    assert "500dt" in out


def test_text_without_arabizi_is_returned_as_is() -> None:
    norm = normalize("Hello there, see you tomorrow")
    assert arabizi_view(norm) is norm
    norm_ar = normalize("مرحبا بك")
    assert arabizi_view(norm_ar) is norm_ar


def test_offsets_index_the_original_text() -> None:
    raw = "Ya 3AYEZ el SHAWAZ?"
    v = arabizi_view(normalize(raw))
    s = v.text.index("عايز")
    a, b = v.to_original(s, s + len("عايز"))
    assert raw[a:b] == "3AYEZ"
    s2 = v.text.index("الشواذ")
    a2, b2 = v.to_original(s2, s2 + len("الشواذ"))
    assert raw[a2:b2] == "el SHAWAZ"


def test_is_arabizi_word() -> None:
    assert is_arabizi_word("3ayez")
    assert is_arabizi_word("wallah")
    assert not is_arabizi_word("hello")
    assert not is_arabizi_word("2024")
    assert not is_arabizi_word("mp3")


_words = st.sampled_from(
    ["ana", "3ayez", "el", "w", "shawaz", "the", "gay", "c'est", "l'7ala", "123", "500$", "ya3ni", "hello",
     "la", "ma", "7abibi", "g.a.y", "شاذ", "🌈", "bel", "x@y.com", "3'ali", "'quoted'", "kteeer"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_words, max_size=12), st.sampled_from([" ", ", ", "  ", "\n"]))
def test_view_offsets_are_well_formed(words: list[str], sep: str) -> None:
    raw = sep.join(words)
    norm = normalize(raw)
    v = arabizi_view(norm)
    assert v.original == raw
    assert len(v.offsets) == len(v.text) + 1
    assert v.offsets[-1] == len(raw)
    assert all(a <= b for a, b in zip(v.offsets, v.offsets[1:], strict=False))
    assert all(0 <= o <= len(raw) for o in v.offsets)
    # digits of pure numbers survive
    if "123" in words:
        assert "123" in v.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_view_never_breaks_on_arbitrary_text(raw: str) -> None:
    v = arabizi_view(normalize(raw))
    assert len(v.offsets) == len(v.text) + 1
    assert v.offsets[-1] == len(raw)
    assert all(a <= b for a, b in zip(v.offsets, v.offsets[1:], strict=False))


def test_chained_prefixes_join() -> None:
    assert view("w el shawaz") == "والشواذ"
