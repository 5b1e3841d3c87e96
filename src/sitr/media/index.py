"""Exact Hamming range search over PDQ hashes that stays fast at 10,000,000 hashes (recall 1.0, not approximate).

Multi-index hashing (Norouzi, Punjani and Fleet, "Fast search in Hamming space with multi-index hashing", 2012):
the 256 bits are cut into m disjoint substrings. If two hashes differ in at most d bits, the differences are
spread over the m substrings, so at least one substring differs in at most floor(d / m) bits (pigeonhole).
For every substring there is a table listing hashes by that substring's value; a query probes, in each table,
every value within floor(d / m) bits of its own substring, and each candidate found is verified with an exact
256-bit popcount. Every true match is found because every true match is a candidate; candidates farther than d
are dropped, so the answer is exact.

Layout, all NumPy (no per-hash Python objects):
- `data`: (n, 4) uint64, the hashes;
- per table a counting sort: `perm` (row ids ordered by substring value, uint32) and dense `offsets`
  (bucket boundaries), so a probe is two array reads and a bucket is a contiguous slice;
- substrings are aligned to the 64-bit words: m = 16 (16-bit) or m = 12 (21/22-bit), chosen by a cost model from
  the number of hashes (m = 12 costs more probes but far fewer candidates once buckets of 16 bits get crowded).
Memory is 32 bytes of hash + 4 bytes per table per hash (m = 12: 80 bytes per hash, ~0.9 GB at 10M) + the dense
offsets, itself capped at about 4 bytes per table per hash. Queries are batched: a query and its 8 dihedral
variants go through the same handful of vectorised NumPy calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from sitr.media.pdq import WORDS, Words, hex_to_words

DEFAULT_MAX_DISTANCE = 31
# Below this many hashes a linear scan is as fast as the tables and needs no build.
BRUTE_FORCE_BELOW = 2048
# Above this many probes per query, a linear scan is cheaper than the tables (e.g. a very large distance).
_MAX_PROBES_FRACTION = 0.25
_SCAN_CHUNK = 1 << 20

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Flat arrays, one entry per (query, hash) pair within the distance, sorted by query then distance."""

    query: IntArray  # index into the queries given
    row: IntArray  # row of the hash in the index (its insertion order)
    distance: IntArray

    def __len__(self) -> int:
        return int(self.query.shape[0])


def _part_widths(parts_per_word: int) -> list[int]:
    base, extra = divmod(64, parts_per_word)
    return [base + 1 if i < extra else base for i in range(parts_per_word)]


@lru_cache(maxsize=64)
def _flip_masks(width: int, radius: int) -> npt.NDArray[np.int64]:
    """Every integer of `width` bits with at most `radius` bits set (the XOR masks of one probe ball)."""
    masks = [0]
    for r in range(1, radius + 1):
        for bits in combinations(range(width), r):
            v = 0
            for b in bits:
                v |= 1 << b
            masks.append(v)
    out = np.array(masks, dtype=np.int64)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=256)
def _ball_size(width: int, radius: int) -> int:
    from math import comb

    return sum(comb(width, i) for i in range(radius + 1))


def choose_parts_per_word(n: int, max_distance: int = DEFAULT_MAX_DISTANCE) -> int:
    """0 (linear scan), 3 (m = 12) or 4 (m = 16) for n hashes, from a simple cost model (probes + candidates).

    Dense bucket tables are only allowed while they are no bigger than the data (2^bits <= n), which keeps
    memory proportional to n.
    """
    if n < BRUTE_FORCE_BELOW:
        return 0
    best, best_cost = 0, float(n) * 4.0  # linear scan: ~4 word-ops per hash
    for s in (4, 3):
        widths = _part_widths(s)
        if (1 << max(widths)) > max(n, 1 << 16):
            continue
        m = 4 * s
        radius = max_distance // m
        probes = 4 * sum(_ball_size(w, radius) for w in widths)
        candidates = 4 * sum(_ball_size(w, radius) * n / (1 << w) for w in widths)
        cost = probes * 1.0 + candidates * 3.0
        if cost < best_cost:
            best, best_cost = s, cost
    return best


class HashIndex:
    """An immutable index of n PDQ hashes (rows 0..n-1) answering "every hash within d bits" exactly."""

    def __init__(
        self,
        words: Words,
        *,
        parts_per_word: int | None = None,
        max_distance: int = DEFAULT_MAX_DISTANCE,
    ) -> None:
        data = np.ascontiguousarray(np.asarray(words, dtype=np.uint64))
        if data.ndim != 2 or data.shape[1] != WORDS:
            raise ValueError("expected an (n, 4) uint64 array of hashes")
        self.data: Words = data
        self.n = int(data.shape[0])
        self.max_distance = int(max_distance)
        s = choose_parts_per_word(self.n, max_distance) if parts_per_word is None else int(parts_per_word)
        if s not in (0, 3, 4):
            raise ValueError("parts_per_word must be 0 (linear scan), 3 (12 tables) or 4 (16 tables)")
        self.parts_per_word = s
        self._tables: list[tuple[int, int, int]] = []  # (word, shift, width) per table
        # per distinct width: (width, word of each table, shift of each table, offset base of each table)
        self._groups: list[tuple[int, IntArray, npt.NDArray[np.uint64], IntArray]] = []
        self._perm: npt.NDArray[np.uint32] = np.zeros(0, dtype=np.uint32)
        self._offsets: npt.NDArray[np.int64] | npt.NDArray[np.uint32] = np.zeros(0, dtype=np.int64)
        self._offset_base: IntArray = np.zeros(0, dtype=np.int64)
        if s:
            self._build(s)

    @classmethod
    def from_hex(cls, hashes: list[str], **kwargs: int | None) -> HashIndex:
        return cls(hex_to_words(hashes), **kwargs)  # type: ignore[arg-type]

    @property
    def num_tables(self) -> int:
        return len(self._tables)

    def __len__(self) -> int:
        return self.n

    def memory_bytes(self) -> int:
        return int(self.data.nbytes + self._perm.nbytes + self._offsets.nbytes + self._offset_base.nbytes)

    def _build(self, s: int) -> None:
        n = self.n
        widths = _part_widths(s)
        tables: list[tuple[int, int, int]] = []
        for w in range(WORDS):
            shift = 64
            for width in widths:
                shift -= width
                tables.append((w, shift, width))
        m = len(tables)
        total_slots = sum((1 << width) + 1 for _, _, width in tables)
        # uint32 positions suffice while m * n < 2^32 (n up to ~268M at m = 16); keeps offsets small.
        pos_dtype: type[np.unsignedinteger] | type[np.signedinteger] = np.uint32 if m * n < (1 << 32) else np.int64
        perm = np.empty(m * n, dtype=np.uint32)
        offsets = np.empty(total_slots, dtype=pos_dtype)
        offset_base = np.empty(m, dtype=np.int64)
        slot = 0
        for t, (w, shift, width) in enumerate(tables):
            keys = ((self.data[:, w] >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(np.int64)
            counts = np.bincount(keys, minlength=1 << width)
            order = np.argsort(keys, kind="stable")
            perm[t * n : (t + 1) * n] = order
            del keys, order
            offset_base[t] = slot
            offsets[slot] = t * n
            np.cumsum(counts, out=offsets[slot + 1 : slot + 1 + (1 << width)], dtype=pos_dtype)
            offsets[slot + 1 : slot + 1 + (1 << width)] += pos_dtype(t * n)
            slot += (1 << width) + 1
        self._tables = tables
        self._groups = []
        for width in sorted({t[2] for t in tables}):
            idx = [i for i, t in enumerate(tables) if t[2] == width]
            self._groups.append(
                (
                    width,
                    np.array([tables[i][0] for i in idx], dtype=np.int64),
                    np.array([tables[i][1] for i in idx], dtype=np.uint64),
                    offset_base[idx].copy(),
                )
            )
        self._perm = perm
        self._offsets = offsets
        self._offset_base = offset_base

    # -- search -------------------------------------------------------------------------------------------------

    def search(self, queries: Words, max_distance: int | None = None) -> SearchResult:
        """Every (query, row) pair at Hamming distance <= max_distance (default: the index's)."""
        q = np.ascontiguousarray(np.asarray(queries, dtype=np.uint64)).reshape(-1, WORDS)
        d = self.max_distance if max_distance is None else int(max_distance)
        if d < 0:
            raise ValueError("max_distance must be >= 0")
        if self.n == 0 or q.shape[0] == 0:
            empty = np.zeros(0, dtype=np.int64)
            return SearchResult(empty, empty.copy(), empty.copy())
        if not self._tables or self._probes_per_query(d) > _MAX_PROBES_FRACTION * self.n:
            return self._scan(q, d)
        return self._probe(q, d)

    def search_hex(self, hashes: list[str], max_distance: int | None = None) -> SearchResult:
        return self.search(hex_to_words(hashes), max_distance)

    def _probes_per_query(self, d: int) -> int:
        radius = d // len(self._tables)
        return sum(_ball_size(width, radius) for _, _, width in self._tables)

    def _probe(self, q: Words, d: int) -> SearchResult:
        radius = d // len(self._tables)
        nq = q.shape[0]
        starts_parts: list[IntArray] = []
        ends_parts: list[IntArray] = []
        qlab_parts: list[IntArray] = []
        # Tables of equal width share one XOR-mask ball: one vectorised pass per width (1 or 2 passes).
        for width, words_i, shifts, bases in self._groups:
            keys = ((q[:, words_i] >> shifts) & np.uint64((1 << width) - 1)).astype(np.int64)  # (nq, g)
            masks = _flip_masks(width, radius)
            flat = ((keys[:, :, None] ^ masks[None, None, :]) + bases[None, :, None]).reshape(-1)
            starts_parts.append(np.take(self._offsets, flat).astype(np.int64))
            ends_parts.append(np.take(self._offsets, flat + 1).astype(np.int64))
            if nq > 1:
                qlab_parts.append(np.repeat(np.arange(nq, dtype=np.int64), bases.shape[0] * masks.shape[0]))
        starts = np.concatenate(starts_parts)
        lens = np.concatenate(ends_parts) - starts
        nz = np.flatnonzero(lens)
        starts, lens = starts[nz], lens[nz]
        total = int(lens.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return SearchResult(empty, empty.copy(), empty.copy())
        # Expand [start, start + len) ranges into positions without a Python loop.
        ends_cum = np.cumsum(lens)
        pos = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends_cum - lens), lens)
        rows = np.take(self._perm, pos).astype(np.int64)
        if nq > 1:
            cand_q = np.repeat(np.concatenate(qlab_parts)[nz], lens)
            x = np.take(self.data, rows, axis=0)
            x ^= np.take(q, cand_q, axis=0)
        else:
            cand_q = np.zeros(total, dtype=np.int64)
            x = np.take(self.data, rows, axis=0)
            x ^= q[0]
        dist = _popcount256(x)
        keep = np.flatnonzero(dist <= d)
        return _finish(cand_q[keep], rows[keep], dist[keep].astype(np.int64), self.n)

    def _scan(self, q: Words, d: int) -> SearchResult:
        """Linear scan, chunked so temporaries stay small: tiny indexes and very large distances."""
        qs: list[IntArray] = []
        rs: list[IntArray] = []
        ds: list[IntArray] = []
        for lo in range(0, self.n, _SCAN_CHUNK):
            block = self.data[lo : lo + _SCAN_CHUNK]
            for qi in range(q.shape[0]):
                dist = _popcount256(block ^ q[qi]).astype(np.int64)
                hit = np.flatnonzero(dist <= d)
                if hit.size:
                    qs.append(np.full(hit.size, qi, dtype=np.int64))
                    rs.append(hit.astype(np.int64) + lo)
                    ds.append(dist[hit])
        if not qs:
            empty = np.zeros(0, dtype=np.int64)
            return SearchResult(empty, empty.copy(), empty.copy())
        return _finish(np.concatenate(qs), np.concatenate(rs), np.concatenate(ds), self.n)


def _popcount256(x: Words) -> npt.NDArray[np.uint32]:
    """Row popcounts (0-256) of a (k, 4) uint64 XOR.

    The four per-word counts (each <= 64) sit in the 4 bytes of one uint32; multiplying by 0x01010101 adds them
    into the top byte in one operation. Only a distance of exactly 256 (all four counts 64) overflows the byte,
    to 0, so that one bit pattern is put back.
    """
    packed = np.ascontiguousarray(np.bitwise_count(x)).view(np.uint32).reshape(-1)
    total: npt.NDArray[np.uint32] = (packed * np.uint32(0x01010101)) >> np.uint32(24)
    total += (packed == np.uint32(0x40404040)).astype(np.uint32) * np.uint32(256)
    return total


def _finish(qi: IntArray, rows: IntArray, dist: IntArray, n: int) -> SearchResult:
    """Drop duplicate (query, row) pairs (a close hash is found in several tables) and sort."""
    if qi.size == 0:
        return SearchResult(qi, rows, dist)
    key = qi * n + rows
    key, first = np.unique(key, return_index=True)
    qi, rows, dist = qi[first], rows[first], dist[first]
    order = np.lexsort((rows, dist, qi))
    return SearchResult(qi[order], rows[order], dist[order])
