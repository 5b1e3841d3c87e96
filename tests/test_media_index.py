"""The Hamming index: exact (recall 1.0, no false hits) against a plain Python reference, for every layout."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.media.index import HashIndex, _popcount256, choose_parts_per_word
from sitr.media.pdq import hex_to_words, words_to_hex


def random_words(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, np.iinfo(np.uint64).max, size=(n, 4), dtype=np.uint64, endpoint=True)


def flip_bits(row: np.ndarray, bits: list[int]) -> np.ndarray:
    out = row.copy()
    for b in bits:
        out[b // 64] ^= np.uint64(1) << np.uint64(63 - b % 64)
    return out


def reference(data: np.ndarray, queries: np.ndarray, d: int) -> set[tuple[int, int, int]]:
    ints = [int(h, 16) for h in words_to_hex(data)]
    out = set()
    for qi, qh in enumerate(words_to_hex(queries)):
        q = int(qh, 16)
        for row, v in enumerate(ints):
            dist = (v ^ q).bit_count()
            if dist <= d:
                out.add((qi, row, dist))
    return out


def as_set(res: object) -> set[tuple[int, int, int]]:
    return set(zip(res.query.tolist(), res.row.tolist(), res.distance.tolist(), strict=True))  # type: ignore[attr-defined]


@pytest.mark.parametrize("parts", [0, 3, 4])
def test_planted_neighbours_all_found_and_nothing_else(parts: int) -> None:
    data = random_words(3000, 1)
    rng = np.random.default_rng(2)
    rows = rng.integers(0, 3000, 40)
    queries = np.stack(
        [
            flip_bits(data[r], rng.choice(256, int(k), replace=False).tolist())
            for r, k in zip(rows, rng.integers(0, 40, 40), strict=True)
        ]
    )
    idx = HashIndex(data, parts_per_word=parts)
    for d in (0, 5, 15, 31, 40):
        assert as_set(idx.search(queries, d)) == reference(data, queries, d)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**32),
    st.lists(st.integers(min_value=0, max_value=255), max_size=31, unique=True),
    st.sampled_from([0, 3, 4]),
)
def test_any_hash_within_31_bits_is_found(seed: int, bits: list[int], parts: int) -> None:
    """Recall 1.0 whatever the bits that differ: the pigeonhole argument, checked on random flips."""
    data = random_words(2500, seed)
    target = seed % 2500
    query = flip_bits(data[target], bits)
    res = HashIndex(data, parts_per_word=parts).search(query[None, :])
    hits = dict(zip(res.row.tolist(), res.distance.tolist(), strict=True))
    assert hits.get(target) == len(bits)


def test_batch_queries_are_labelled_and_sorted() -> None:
    data = random_words(5000, 3)
    q = np.stack([data[10], flip_bits(data[20], [0, 100, 200]), random_words(1, 9)[0]])
    res = HashIndex(data, parts_per_word=4).search(q)
    pairs = list(zip(res.query.tolist(), res.row.tolist(), res.distance.tolist(), strict=True))
    assert (0, 10, 0) in pairs and (1, 20, 3) in pairs
    assert all(p[0] != 2 for p in pairs)
    assert res.query.tolist() == sorted(res.query.tolist())


def test_duplicates_in_index_are_each_reported() -> None:
    data = random_words(3000, 4)
    data[7] = data[8]
    res = HashIndex(data, parts_per_word=4).search(data[8][None, :], 0)
    assert sorted(res.row.tolist()) == [7, 8]


def test_large_distance_falls_back_to_scan_and_handles_256() -> None:
    data = random_words(3000, 5)
    complement = ~data[3]
    res = HashIndex(data, parts_per_word=4).search(complement[None, :], 256)
    assert len(res) == 3000
    assert dict(zip(res.row.tolist(), res.distance.tolist(), strict=True))[3] == 256


def test_popcount256_handles_the_byte_overflow() -> None:
    x = np.array([[0, 0, 0, 0], [np.iinfo(np.uint64).max] * 4, [1, 3, 7, 15]], dtype=np.uint64)
    assert _popcount256(x).tolist() == [0, 256, 10]


def test_empty_cases() -> None:
    empty = HashIndex(np.zeros((0, 4), dtype=np.uint64))
    assert len(empty.search(random_words(2, 1))) == 0
    idx = HashIndex(random_words(10, 1))
    assert len(idx.search(np.zeros((0, 4), dtype=np.uint64))) == 0
    with pytest.raises(ValueError):
        idx.search(random_words(1, 1), -1)


def test_bad_shapes_and_layouts() -> None:
    with pytest.raises(ValueError):
        HashIndex(np.zeros((3, 3), dtype=np.uint64))
    with pytest.raises(ValueError):
        HashIndex(random_words(10, 1), parts_per_word=2)  # 32-bit buckets: tables far too large
    with pytest.raises(ValueError):
        HashIndex(random_words(10, 1), parts_per_word=7)


def test_from_hex_matches_words() -> None:
    hexes = words_to_hex(random_words(50, 6))
    idx = HashIndex.from_hex(hexes)
    assert as_set(idx.search_hex([hexes[5]], 0)) == {(0, 5, 0)}
    assert np.array_equal(idx.data, hex_to_words(hexes))


def test_layout_choice_follows_size() -> None:
    assert choose_parts_per_word(100) == 0
    assert choose_parts_per_word(100_000) == 4
    assert choose_parts_per_word(1_000_000) == 4
    assert choose_parts_per_word(10_000_000) == 3
    assert HashIndex(random_words(5000, 1)).num_tables == 16


def test_memory_is_linear_in_hashes() -> None:
    idx = HashIndex(random_words(20_000, 7), parts_per_word=4)
    # 32 bytes of hash + 16 tables x 4 bytes of row ids + dense bucket offsets (16 x 65537 x 4 bytes)
    assert idx.memory_bytes() <= 20_000 * (32 + 64) + 16 * 65537 * 4 + 1024
