"""normalize(): folding, de-obfuscation, numbers that must survive, and exact offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitr.text.normalize import NormalizedText, arabic_fold, normalize


def n(text: str) -> str:
    return normalize(text).text


# --- obfuscation techniques seen in the labelled set --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # spaced / dotted / dashed letters
        ("every g a y here", "every gay here"),
        ("every f.a.g in town", "every fag in town"),
        ("ya f-a-g", "ya fag"),
        ("el 5-a-w-a-l da", "el 5awal da"),
        ("ya 5.o.l, estanna", "ya 5ol, estanna"),
        ("m3a z.w.a.m.e.l f facebook", "m3a zwamel f facebook"),
        ("les t r a v e l o s de casa", "les travelos de casa"),
        ("l s h a w a z lazem", "lshawaz lazem"),
        ("وطلع ش ا ذ", "وطلع شاذ"),
        ("وطلع ش.ا.ذ", "وطلع شاذ"),
        ("وطلع شا.ذ، ده", "وطلع شاذ, ده"),
        ("عارفين انهم س ح ا ق ي ا ت", "عارفين انهم سحاقيات"),
        # split keyword (article + spaced letters, tatweel split, star inside a word)
        ("نفي هؤلاء الـ م ث ل ي ي ن من المجتمع", "نفي هولاء المثليين من المجتمع"),
        ("كل الخ و ل ا ت اللي", "كل الخولات اللي"),
        ("واحد من الشـ ـواذ دول", "واحد من الشواذ دول"),
        ("ya sh*az", "ya shaz"),
        # repeated letters
        ("gaaaay", "gay"),
        ("كتييير", "كتير"),
        ("ya zzzaaameeeel", "ya zameel"),
        ("kol el 5awwwwalat", "kol el 5awalat"),
        ("الشـــــاذ ده", "الشاذ ده"),
        # zero-width characters
        ("that g\u200ba\u200by page", "that gay page"),
        ("التص\u200bاور", "التصاور"),
        ("لا مكان للشو\u200dاذ", "لا مكان للشواذ"),
        ("\u202egay\u202c \ufeffboy\u2060s", "gay boys"),
        # tatweel and harakat
        ("بتنـــــشر", "بتنشر"),
        ("يَا شَاذٌّ", "يا شاذ"),
        # emoji between letters
        ("الخ😂و😂ل ده", "الخول ده"),
        ("these d🌈y🌈k🌈e🌈s", "these dykes"),
        ("tous les p😡é😡d😡é😡s", "tous les pédés"),
        ("ش🌈اذ", "شاذ"),
        # homoglyphs
        ("c'est un \u0440édé", "c'est un pédé"),
        ("les g\u043euines", "les gouines"),
        ("\u03c1édé", "pédé"),
        ("g\u0430y", "gay"),
        # leetspeak where it cannot be Arabizi
        ("these f4gg0ts", "these faggots"),
        ("ya t@nte", "ya tante"),
        ("had zw@mel", "had zwamel"),
        ("p@y 2 0 0 0 dinars", "pay 2000 dinars"),
        ("kel el sh4waz", "kel el shawaz"),
        # keycap, Arabic-Indic, Persian and fullwidth digits
        ("noumrou 2️⃣2️⃣ 5️⃣1️⃣8️⃣", "noumrou 22 518"),
        ("رقمه ٠١٠ ٢٨٧٦ ٥٤٣١", "رقمه 010 2876 5431"),
        ("۰۹۱۲", "0912"),
        ("ＧＡＹ １２３", "gay 123"),
        # Unicode compatibility forms and decoration
        ("𝐠𝐚𝐲", "gay"),
        ("g̷a̷y̷", "gay"),
        ("ﻻ", "لا"),
    ],
)
def test_obfuscation_is_undone(raw: str, expected: str) -> None:
    assert n(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد إسلام آمنة ٱلله", "احمد اسلام امنه الله"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("مسؤول", "مسوول"),
        ("عائلة", "عايله"),
        ("کتاب ی", "كتاب ي"),
        ("گواد", "قواد"),
        ("ڤيديو چاي پيتزا ژ", "فيديو جاي بيتزا ز"),
        ("شو؟ ايه، ماشي؛ ٥٪", "شو? ايه, ماشي; 5%"),
        ("Hello   World\n\tAgain ", "hello world again"),
        ("L’homme", "l'homme"),
    ],
)
def test_letters_punctuation_and_space_are_folded(raw: str, expected: str) -> None:
    assert n(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "il y a à manger",  # one-letter words in a row are real words
        "w l 3ayla",  # Arabizi one-letter words
        "www.example.com",
        "mos.t_98 @ons.xx.23",
        "e-mail a.b@x.com",
        "well-known co-op",
        "covid19 mp3 windows10 room101",
        "cool good need too",
    ],
)
def test_ordinary_text_is_left_alone(raw: str) -> None:
    assert n(raw) == raw.lower()


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("call 0612345678 now", "0612345678"),
        ("+961 3 728 410", "+961 3 728 410"),
        ("tel: 06 12 34 56 78", "06 12 34 56 78"),
        ("price 1,500.00$ or 500dt", "1,500.00$"),
        ("on 12/05/2024 at 10:30", "12/05/2024"),
        ("id 29905120103457", "29905120103457"),
        ("plate 12345-أ-6", "12345"),
        ("room 101, floor 3", "room 101, floor 3"),
        ("3000 aw hab3at", "3000"),
        ("ra2mo 0795 225 316", "0795 225 316"),
        ("IBAN TN59 1000 6035 1835 9847 8831", "tn59 1000 6035 1835 9847 8831"),
    ],
)
def test_numbers_survive_as_digits(raw: str, digits: str) -> None:
    assert digits in n(raw)


def test_spaced_phone_digits_are_joined_not_changed() -> None:
    assert "0795128840" in n("pay to 0 7 9 5 1 2 8 8 4 0 by friday")
    assert "76334819" in n("ra2mo 7-6-3-3-4-8-1-9")


def test_arabizi_digits_are_never_letters() -> None:
    text = "ya3ni 3ayez 7abibi 5awal 2ollo 6ayeb 8areeb 9albi ma3 sa7"
    assert n(text) == text


def test_licence_plate_letters_stay_apart() -> None:
    assert n("نمرتها ط ر ق ٤٨٢٣") == "نمرتها ط ر ق 4823"


def test_arabic_fold_matches_normalize_on_plain_arabic() -> None:
    word = "الشَّاذّة"
    assert arabic_fold(word) == n(word) == "الشاذه"


# --- offsets --------------------------------------------------------------------------------------------------


def test_offsets_point_into_the_original() -> None:
    raw = "Ya g.a.y!"
    norm = normalize(raw)
    assert norm.text == "ya gay!"
    start = norm.text.index("gay")
    assert norm.to_original(start, start + 3) == (3, 8)
    assert raw[3:8] == "g.a.y"


def test_to_original_covers_elongation_and_marks() -> None:
    raw = "you gaaaay"
    norm = normalize(raw)
    s = norm.text.index("gay")
    assert raw[slice(*norm.to_original(s, s + 3))] == "gaaaay"
    raw2 = "يا شاذٌّ"
    norm2 = normalize(raw2)
    s2 = norm2.text.index("شاذ")
    assert raw2[slice(*norm2.to_original(s2, s2 + 3))] == "شاذٌّ"


def test_to_original_of_keycap_digits() -> None:
    raw = "noumrou 2️⃣2️⃣ 5"
    norm = normalize(raw)
    s = norm.text.index("22")
    a, b = norm.to_original(s, s + 2)
    assert raw[a:b] == "2️⃣2️⃣"


def test_to_original_edge_cases() -> None:
    norm = normalize("abc")
    assert norm.to_original(1, 1) == (1, 1)
    assert norm.to_original(-5, 99) == (0, 3)
    empty = normalize("")
    assert empty.text == "" and empty.offsets == (0,)
    assert empty.to_original(0, 0) == (0, 0)


def test_expansion_maps_every_char_to_its_source() -> None:
    norm = normalize("ﷲ x")  # one ligature becomes four letters
    assert norm.text == "الله x"
    assert norm.offsets[:4] == (0, 0, 0, 0)
    assert norm.to_original(0, 4) == (0, 1)


def test_normalized_text_is_frozen() -> None:
    norm = normalize("x")
    with pytest.raises(AttributeError):
        norm.text = "y"  # type: ignore[misc]


# --- properties -----------------------------------------------------------------------------------------------

_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,-_*!?@$'\n\t"
    "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىئؤ"
    "\u064b\u064e\u0650\u0651\u0652\u0640\u0670"
    "٠١٢٣٩۰۹"
    "\u200b\u200c\u200d\u200f\u202e\ufeff\u00ad\ufe0f\u20e3"
    "аеорсΑορ"
    "éèàçÉ"
    "🌈😂💩👀"
    "ﻻﷲﬁＡ１①"
)
texts = st.text(alphabet=_ALPHABET, max_size=80)


@settings(max_examples=400, deadline=None)
@given(texts)
@example("g a y")
@example("ش ا ذ ٤")
@example("الـ م ث ل ي ي ن")
@example("i\u0307\u0307")
def test_offsets_are_well_formed(raw: str) -> None:
    norm = normalize(raw)
    assert isinstance(norm, NormalizedText)
    assert norm.original == raw
    assert len(norm.offsets) == len(norm.text) + 1
    assert norm.offsets[-1] == len(raw)
    assert all(0 <= o <= len(raw) for o in norm.offsets)
    assert all(a <= b for a, b in zip(norm.offsets, norm.offsets[1:], strict=False))
    if norm.text:
        assert all(o < len(raw) for o in norm.offsets[:-1])


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 80), st.integers(0, 80))
def test_to_original_is_a_covering_span(raw: str, i: int, j: int) -> None:
    norm = normalize(raw)
    start, end = sorted((min(i, len(norm.text)), min(j, len(norm.text))))
    a, b = norm.to_original(start, end)
    assert 0 <= a <= b <= len(raw)
    if start < end:
        assert a == norm.offsets[start]
        assert b > norm.offsets[end - 1]


@settings(max_examples=400, deadline=None)
@given(texts)
@example("g a a a y")
@example("g aaa y")
@example("g а y")
@example("f 4 g")
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once


_plain_word = st.from_regex(r"[a-z]{2,10}", fullmatch=True).filter(lambda w: not re.search(r"(.)\1\1", w))
_junk = st.text(alphabet=_ALPHABET.replace(" ", ""), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_plain_word.map(lambda w: ("w", w)), _junk.map(lambda j: ("j", j))), max_size=10))
def test_unchanged_ascii_words_map_back_exactly(segments: list[tuple[str, str]]) -> None:
    raw = ""
    words: list[tuple[int, str]] = []
    for kind, seg in segments:
        if raw:
            raw += " "
        if kind == "w":
            words.append((len(raw), seg))
        raw += seg
    norm = normalize(raw)
    for pos, word in words:
        j = norm.offsets.index(pos)
        assert norm.text[j : j + len(word)] == word
        assert norm.to_original(j, j + len(word)) == (pos, pos + len(word))


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\+?[0-9]{1,4}([ ./-][0-9]{2,4}){0,4}", fullmatch=True))
def test_any_number_survives_exactly(number: str) -> None:
    assert number in normalize(f"call {number} now").text
