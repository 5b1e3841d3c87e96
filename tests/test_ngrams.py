"""The vectorised n-gram hasher against a plain-Python specification of the same n-grams and hashes."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.detect import ngrams
from sitr.detect.ngrams import CHAR_BITS, WORD_BITS, hashed_ngrams, reference_ngrams

MASK = 2**64 - 1


def _poly(s: str) -> int:
    h = 0
    for ch in s:
        h = (h * ngrams._BASE + ord(ch)) & MASK
    return h


def _mix(h: int) -> int:
    h ^= h >> 33
    h = (h * int(ngrams._MIX1)) & MASK
    h ^= h >> 33
    h = (h * int(ngrams._MIX2)) & MASK
    return h ^ (h >> 33)


def _expected(text: str) -> tuple[Counter[int], Counter[int]]:
    chars, grams = reference_ngrams(text)
    char_cols = Counter(_mix((_poly(g) + ngrams._SALT_CHAR * len(g)) & MASK) >> (64 - CHAR_BITS) for g in chars)
    word_cols: Counter[int] = Counter()
    for g in grams:
        if len(g) == 1:
            h = _mix((_poly(g[0]) + ngrams._SALT_WORD) & MASK)
        else:
            first = _mix((_poly(g[0]) + ngrams._SALT_WORD) & MASK)
            h = _mix((first * ngrams._BASE + _poly(g[1]) + ngrams._SALT_BIGRAM) & MASK)
        word_cols[h >> (64 - WORD_BITS)] += 1
    return char_cols, word_cols


def _actual(texts: list[str], row: int) -> tuple[Counter[int], Counter[int]]:
    char_rows, char_cols, word_rows, word_cols = hashed_ngrams(texts)
    return Counter(char_cols[char_rows == row].tolist()), Counter(word_cols[word_rows == row].tolist())


TEXTS = [
    "he is gay",
    "ya 3ami ezzayak, enta fein delwa2ti?",
    "دول شواذ لازم يتحاسبوا",
    "l'association organise une rencontre à 20h",
    "a",
    "",
    "   ",
    "x  y\n\tz",
    "émoji👍inside — and_underscores 123",
]


def test_known_texts_match_the_specification() -> None:
    for i, text in enumerate(TEXTS):
        assert _actual(TEXTS, i) == _expected(text), text


def test_short_words_give_only_the_orders_they_fit() -> None:
    chars, grams = reference_ngrams("ab")
    assert sorted(chars) == sorted([" a", "ab", "b ", " ab", "ab ", " ab "])
    assert grams == [("ab",)]


def test_bigrams_never_cross_texts() -> None:
    word_rows = hashed_ngrams(["one", "two"])[2]
    assert sorted(word_rows.tolist()) == [0, 1]  # two unigrams, no bigram "one two"


def test_empty_batch() -> None:
    for array in hashed_ngrams([]):
        assert array.shape == (0,)


_text = st.text(
    alphabet=st.sampled_from(list("abc xyz3 7'-.\n") + list("شاذمثلي") + ["é", "👍", "\u00a0", "_"]),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_text, min_size=1, max_size=6), st.data())
def test_hashes_match_the_specification_and_do_not_depend_on_the_batch(texts: list[str], data: st.DataObject) -> None:
    row = data.draw(st.integers(min_value=0, max_value=len(texts) - 1))
    expected = _expected(texts[row])
    assert _actual(texts, row) == expected
    assert _actual([texts[row]], 0) == expected


def test_columns_are_in_range() -> None:
    char_rows, char_cols, word_rows, word_cols = hashed_ngrams(TEXTS * 3)
    assert char_cols.min() >= 0 and char_cols.max() < 2**CHAR_BITS
    assert word_cols.min() >= 0 and word_cols.max() < 2**WORD_BITS
    assert set(char_rows.tolist()) | set(word_rows.tolist()) <= set(range(len(TEXTS) * 3))


def test_lone_surrogates_from_json_do_not_crash() -> None:
    char_rows, _, _, _ = hashed_ngrams(["ab\ud800cd"])
    assert len(char_rows) > 0


def test_fast_text_margins_equal_the_sparse_matrix_product() -> None:
    import numpy as np

    from sitr.detect.features import N_HASH_FEATURES, compute_idf, hashed_counts, text_margins, vectorize_texts

    texts = [*TEXTS, "shame shame shame on him", "wesh khouya 3andek el numero?"]
    idf = compute_idf(hashed_counts(texts))
    weights = np.random.default_rng(3).normal(size=(N_HASH_FEATURES, 5)).astype(np.float32)
    expected = vectorize_texts(texts, idf) @ weights
    assert np.allclose(text_margins(texts, idf, weights), expected, rtol=1e-4, atol=1e-5)
    assert np.allclose(text_margins(texts[2:3], idf, weights), expected[2:3], rtol=1e-4, atol=1e-5)
