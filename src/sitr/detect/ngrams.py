"""Hashed character and word n-gram counts for a whole batch of texts in a few NumPy passes.

Why not scikit-learn's HashingVectorizer: it builds every n-gram as a Python string and hashes it one call
at a time, which was a third of `sitr scan`'s time. Here the batch becomes one array of code points and every
n-gram's hash is computed at once from a polynomial prefix hash (mod 2**64, which NumPy's unsigned arithmetic
gives for free), then mixed with MurmurHash3's 64-bit finalizer so the top bits are uniform.

Definitions (the model is trained on exactly these; `reference_counts` spells them out in plain Python):
- words are maximal runs of word characters (`str.isalnum()` or "_", like the regex `\\w+`);
- character n-grams (orders 2-5) are taken inside each whitespace-separated token padded with one space on
  each side, as scikit-learn's `char_wb` analyzer does (punctuation stays inside the token), except that a
  token shorter than the order gives no n-gram of that order;
- word n-grams are unigrams and bigrams of consecutive words of the same text.
The hash of an n-gram depends on its characters and its order only, never on the batch, so a text gets the
same features alone or in any batch (a property test checks this).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import numpy as np

CHAR_ORDERS: tuple[int, ...] = (2, 3, 4, 5)
CHAR_BITS = 18
WORD_BITS = 18

_BASE = 0x100000001B3  # odd, so it has an inverse mod 2**64
_BASE_INV = pow(_BASE, -1, 2**64)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SALT_CHAR = 0x9E3779B97F4A7C15
_SALT_WORD = 0xD6E8FEB86659FD93
_SALT_BIGRAM = 0xA0761D6478BD642F
_U64 = np.uint64
_MAX_WORD_CHAR = 0x30000  # word-character table size; code points above count as non-word (rare scripts)


@lru_cache(maxsize=1)
def _word_char_table() -> np.ndarray:
    """is_word[cp] for every code point below _MAX_WORD_CHAR, computed once per process (~0.1 s)."""
    chars = "".join(map(chr, range(_MAX_WORD_CHAR)))
    return np.fromiter((c.isalnum() or c == "_" for c in chars), dtype=bool, count=_MAX_WORD_CHAR)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**t and BASE**-t (mod 2**64) for t < n, grown by doubling and cached."""
    size = _POWERS[0].shape[0]
    if size < n:
        while size < n:
            size *= 2
        up = np.full(size, _BASE, dtype=_U64)
        up[0] = 1
        down = np.full(size, _BASE_INV, dtype=_U64)
        down[0] = 1
        with np.errstate(over="ignore"):
            _POWERS[:] = [np.cumprod(up, dtype=_U64), np.cumprod(down, dtype=_U64)]
    return _POWERS[0][:n], _POWERS[1][:n]


_POWERS: list[np.ndarray] = [np.ones(1, dtype=_U64), np.ones(1, dtype=_U64)]


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 fmix64: spreads the polynomial hash so the top bits can index the hash space."""
    h = h ^ (h >> _U64(33))
    h = h * _MIX1
    h = h ^ (h >> _U64(33))
    h = h * _MIX2
    out: np.ndarray = h ^ (h >> _U64(33))
    return out


def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of all texts, each padded and whitespace-collapsed, and the text index of every position."""
    padded = [" " + " ".join(t.split()) + " " for t in texts]
    codes = np.frombuffer("".join(padded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(_U64)
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    return codes, rows


def hashed_ngrams(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(char_rows, char_cols, word_rows, word_cols): one entry per n-gram occurrence.

    Columns index a 2**CHAR_BITS (char) or 2**WORD_BITS (word) hash space; rows index `texts`.
    """
    empty = np.zeros(0, dtype=np.int64)
    if not texts:
        return empty, empty, empty, empty
    codes, rows = _codes(texts)
    n = codes.shape[0]
    up, down = _powers(n + 1)
    with np.errstate(over="ignore"):
        # prefix[k] = sum_{t<k} c[t] * BASE**-t; hash of [i, j) = BASE**(j-1) * (prefix[j] - prefix[i])
        prefix = np.zeros(n + 1, dtype=_U64)
        np.cumsum(codes * down[:n], out=prefix[1:])
        space = codes == 32
        spaces_before = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(space, out=spaces_before[1:])
        char_rows, char_cols = [], []
        for order in CHAR_ORDERS:
            if n < order:
                continue
            start = np.arange(n - order + 1)
            end = start + order
            # inside one padded word: no space strictly inside; order 2 also rejects a pair of spaces
            inner = spaces_before[end - 1] - spaces_before[start + 1]
            ok = inner == 0
            if order == 2:
                ok &= ~(space[start] & space[start + 1])
            start, end = start[ok], end[ok]
            h = up[end - 1] * (prefix[end] - prefix[start]) + _U64(_SALT_CHAR * order % 2**64)
            char_rows.append(rows[start])
            char_cols.append((_mix(h) >> _U64(64 - CHAR_BITS)).astype(np.int64))
        # words: maximal runs of word characters
        table = _word_char_table()
        is_word = np.zeros(n + 2, dtype=bool)
        small = codes < _MAX_WORD_CHAR
        is_word[1:-1][small] = table[codes[small].astype(np.int64)]
        begins = np.flatnonzero(is_word[1:-1] & ~is_word[:-2])
        ends = np.flatnonzero(is_word[1:-1] & ~is_word[2:]) + 1
        word_hash = up[ends - 1] * (prefix[ends] - prefix[begins])
        uni = _mix(word_hash + _U64(_SALT_WORD))
        word_rows_all = rows[begins]
        same_text = word_rows_all[1:] == word_rows_all[:-1]
        bi = _mix(uni[:-1][same_text] * _U64(_BASE) + word_hash[1:][same_text] + _U64(_SALT_BIGRAM))
        word_rows = np.concatenate([word_rows_all, word_rows_all[:-1][same_text]])
        word_cols = (np.concatenate([uni, bi]) >> _U64(64 - WORD_BITS)).astype(np.int64)
    return (
        np.concatenate(char_rows) if char_rows else empty,
        np.concatenate(char_cols) if char_cols else empty,
        word_rows,
        word_cols,
    )


def reference_ngrams(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """The same n-grams as strings, in plain Python: the specification `hashed_ngrams` is tested against."""
    chars: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for order in CHAR_ORDERS:
            chars.extend(padded[i : i + order] for i in range(len(padded) - order + 1))
    words: list[str] = []
    current: list[str] = []
    for ch in " ".join(text.split()) + " ":
        if (ch.isalnum() or ch == "_") and ord(ch) < _MAX_WORD_CHAR:
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    grams: list[tuple[str, ...]] = [(w,) for w in words]
    grams.extend(pairwise(words))
    return chars, grams
