"""What every PII finder shares for one text: the view, its match text, the country hint and a raw hit type.

Finders work in view coordinates and return Hits; only the extractor maps them to the original text, so the
mapping (and its edge cases) lives in one place.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from sitr.detect.pii.regions import context_regions
from sitr.detect.pii.view import View, match_text

_DIGIT = re.compile(r"\d")
_ARABIC = re.compile("[\u0621-\u064a]")
_SIX_DIGITS = re.compile("(?:[^0-9]*[0-9]){6}")
_SEVEN_DIGITS = re.compile("(?:[^0-9]*[0-9]){7}")


class _Keywords:
    """Every finder's keywords in one Aho-Corasick automaton, so a text's match text is scanned once for all.

    Finders register at import: gates (`Gates`), counted keyword sets (`Counted`) and pattern heads
    (`Anchored`). `scan` reports, per registration, the open gate groups, the number of keyword occurrences,
    or the positions of the heads; each is exactly what a separate automaton of its own keys would report.
    """

    def __init__(self) -> None:
        # key -> (gate additions (gate id, group names), counter ids, heads (anchor id, key length))
        self._keys: dict[str, tuple[list[tuple[int, frozenset[str]]], list[int], list[tuple[int, int]]]] = {}
        self._n_gates = 0
        self._n_counters = 0
        self._n_anchors = 0
        self._auto: ahocorasick.Automaton | None = None

    def _slot(self, key: str) -> tuple[list[tuple[int, frozenset[str]]], list[int], list[tuple[int, int]]]:
        self._auto = None  # rebuilt on the next scan
        return self._keys.setdefault(key, ([], [], []))

    def add_gates(self, names_by_key: dict[str, set[str]]) -> int:
        gid = self._n_gates
        self._n_gates += 1
        for key, names in names_by_key.items():
            self._slot(key)[0].append((gid, frozenset(names)))
        return gid

    def add_counter(self, keys: set[str]) -> int:
        cid = self._n_counters
        self._n_counters += 1
        for key in keys:
            self._slot(key)[1].append(cid)
        return cid

    def add_heads(self, heads: set[str]) -> int:
        aid = self._n_anchors
        self._n_anchors += 1
        for head in heads:
            self._slot(head)[2].append((aid, len(head)))
        return aid

    def _automaton(self) -> ahocorasick.Automaton:
        auto = self._auto
        if auto is None:
            auto = ahocorasick.Automaton()
            for key, (gates, counters, heads) in self._keys.items():
                auto.add_word(key, (tuple(gates), tuple(counters), tuple(heads)))
            auto.make_automaton()
            self._auto = auto
        return auto

    def scan(self, mtext: str) -> _Found:
        hits = self._automaton().iter(mtext)
        first = next(hits, None)
        if first is None:
            return _NOTHING_FOUND
        # only registrations with a keyword in the text get an entry: most texts have none or one
        gates: dict[int, set[str]] = {}
        counts: dict[int, int] = {}
        starts: dict[int, list[int]] = {}
        for end, (gate_adds, counters, heads) in itertools.chain((first,), hits):
            for gid, names in gate_adds:
                opened = gates.get(gid)
                if opened is None:
                    gates[gid] = set(names)
                else:
                    opened |= names
            for cid in counters:
                counts[cid] = counts.get(cid, 0) + 1
            for aid, length in heads:
                found = starts.get(aid)
                if found is None:
                    starts[aid] = [end - length + 1]
                else:
                    found.append(end - length + 1)
        return _Found(gates, counts, starts, {})


class _Found(NamedTuple):
    gates: dict[int, set[str]]  # per gate registration: the groups with a keyword in the text
    counts: dict[int, int]  # per counter: keyword occurrences (overlapping ones included)
    starts: dict[int, list[int]]  # per anchor: where its heads start, in order of their end (may repeat)
    candidates: dict[int, list[int]]  # per anchor, once asked: sorted positions where a match can start


_NOTHING_FOUND = _Found({}, {}, {}, {})  # shared, never modified (no anchor has starts, so nothing is cached)
_NONE_OPEN: frozenset[str] = frozenset()
_NO_STARTS: list[int] = []


KEYWORDS = _Keywords()


class Gates:
    """Which keyword groups occur in a text: patterns of a group run only if one of its keywords is there (a
    substring test, so a gate may open needlessly but never wrongly shut). Found in the shared keyword pass."""

    def __init__(self, groups: dict[str, tuple[str, ...]]) -> None:
        keys: dict[str, set[str]] = {}
        for name, words in groups.items():
            for word in words:
                keys.setdefault(match_text(word), set()).add(name)
        self._id = KEYWORDS.add_gates(keys)

    def open(self, ctx: Context) -> AbstractSet[str]:
        return ctx.keywords.gates.get(self._id, _NONE_OPEN)


class Counted:
    """How many times keywords of a set occur in a text (every occurrence, overlapping ones too)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._id = KEYWORDS.add_counter(set(words))

    def count(self, ctx: Context) -> int:
        return ctx.keywords.counts.get(self._id, 0)


class Anchored:
    """`pattern.finditer`, with the pattern tried only where a match can begin.

    `heads` are literal strings, one of which every match of `pattern` starts with (after zero-width
    assertions such as a word boundary; each list is checked by hand against its pattern, and a test compares
    the two), or, with `back` > 0, is preceded in the match by at most `back` characters (Arabic clitics).
    The shared keyword pass finds where the heads occur; the pattern is then matched at those positions only,
    in order, resuming after each match as finditer does, so the matches are exactly finditer's, and a text
    without any head costs no regex scan. The pattern must not match the empty string.
    """

    def __init__(self, pattern: re.Pattern[str], heads: tuple[str, ...], back: int = 0) -> None:
        self.pattern = pattern
        self.back = back
        self.heads = heads
        self._id = KEYWORDS.add_heads(set(heads))

    def starts(self, ctx: Context) -> list[int]:
        """Sorted positions of the match text where a match can start (computed once per text)."""
        keywords = ctx.keywords
        found = keywords.starts.get(self._id)
        if found is None:
            return _NO_STARTS
        cached = keywords.candidates.get(self._id)
        if cached is None:
            if not self.back:
                cached = sorted(set(found))
            else:
                cached = sorted({p - k for p in found for k in range(self.back + 1) if p - k >= 0})
            keywords.candidates[self._id] = cached
        return cached

    def finditer(self, ctx: Context, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
        """What `pattern.finditer(ctx.mtext, pos, endpos)` yields."""
        return self.finditer_at(ctx.mtext, self.starts(ctx), pos, endpos)

    def finditer_at(self, text: str, starts: list[int], pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
        end = len(text) if endpos is None else min(endpos, len(text))
        match = self.pattern.match
        out = []
        for i in range(bisect.bisect_left(starts, pos), len(starts)):
            p = starts[i]
            if p < pos:
                continue
            if p >= end:
                break
            m = match(text, p, end)
            if m is not None:
                out.append(m)
                pos = m.end()
        return out


class _WindowWords:
    """Context-word patterns (phone words, ID words ...) that finders search in a few characters before or after
    a candidate, registered with literal substrings one of which every match contains. A window that holds
    none of them cannot hold a match, so `Context.before` / `after` skip the regex there; where one is, the
    regex runs as before. The substrings of all patterns are found in one pass, only for texts that ask.
    """

    def __init__(self) -> None:
        self._ids: dict[re.Pattern[str], int] = {}
        self._keys: dict[str, set[int]] = {}
        self._auto: ahocorasick.Automaton | None = None

    def register(self, pattern: re.Pattern[str], required: tuple[str, ...]) -> re.Pattern[str]:
        pid = self._ids.setdefault(pattern, len(self._ids))
        for key in required:
            self._keys.setdefault(key, set()).add(pid)
        self._auto = None
        return pattern

    def pattern_id(self, pattern: re.Pattern[str]) -> int | None:
        return self._ids.get(pattern)

    def scan(self, mtext: str) -> dict[int, tuple[list[int], list[int]]]:
        """Per pattern id, the starts and the ends of the occurrences of its substrings, in order of end."""
        auto = self._auto
        if auto is None:
            auto = ahocorasick.Automaton()
            for key, pids in self._keys.items():
                auto.add_word(key, (len(key), tuple(sorted(pids))))
            auto.make_automaton()
            self._auto = auto
        found: dict[int, tuple[list[int], list[int]]] = {}
        for end, (length, pids) in auto.iter(mtext):
            for pid in pids:
                spans = found.get(pid)
                if spans is None:
                    found[pid] = ([end + 1 - length], [end + 1])
                else:
                    spans[0].append(end + 1 - length)
                    spans[1].append(end + 1)
        return found


WINDOW_WORDS = _WindowWords()


def window_words(pattern: re.Pattern[str], required: tuple[str, ...]) -> re.Pattern[str]:
    """Register `pattern` (used with Context.before / after / near) and return it; see _WindowWords."""
    return WINDOW_WORDS.register(pattern, required)


class Hit(NamedTuple):
    """One finding in view coordinates; `detail` is a non-personal qualifier, never the value."""

    kind: str
    start: int
    end: int
    detail: str = ""
    score: float = 1.0


@lru_cache(maxsize=256)
def _clean_hint(country_hint: str | None) -> str | None:
    hint = (country_hint or "").strip().upper()
    return hint if len(hint) == 2 and hint.isascii() and hint.isalpha() else None


class Context:
    """One text being scanned; country regions from its words are computed only if a finder asks."""

    __slots__ = (
        "_regions", "_window_words", "claimed", "has_arabic", "has_digit", "hint", "keywords", "mtext", "seven_digits",
        "six_digits", "text", "view",
    )  # fmt: skip

    def __init__(self, view: View, country_hint: str | None = None) -> None:
        self.view = view
        self.text = view.text
        self.mtext = match_text(view.text)
        self.hint = _clean_hint(country_hint)
        self._regions: list[str] | None = None
        self.has_digit = _DIGIT.search(view.text) is not None
        # does the text hold 6 / 7 of 0-9 (an ID number needs 6, a phone number 7)? has_digit counts any script
        self.six_digits = self.has_digit and _SIX_DIGITS.match(self.text) is not None
        self.seven_digits = self.six_digits and _SEVEN_DIGITS.match(self.text) is not None
        self.has_arabic = not self.mtext.isascii() and _ARABIC.search(self.mtext) is not None
        # spans already identified with certainty (IBANs, checksum-valid IDs): the phone finder skips them
        self.claimed: list[tuple[int, int]] = []
        # every finder's keywords in this text, from one pass (see _Keywords)
        self.keywords: _Found = KEYWORDS.scan(self.mtext)
        self._window_words: dict[int, tuple[list[int], list[int]]] | None = None

    @property
    def regions(self) -> list[str]:
        """The country hint first, then countries named in the text (places, currencies, dialect words)."""
        if self._regions is None:
            found = context_regions(self.mtext)
            self._regions = [self.hint, *(r for r in found if r != self.hint)] if self.hint else found
        return self._regions

    def _may_hold(self, pattern: re.Pattern[str], lo: int, hi: int) -> bool:
        """False when the match text [lo, hi) cannot hold a match of a registered `pattern` (see _WindowWords):
        a match there lies inside the window, and so does the required substring it contains."""
        pid = WINDOW_WORDS.pattern_id(pattern)
        if pid is None:
            return True
        if self._window_words is None:
            self._window_words = WINDOW_WORDS.scan(self.mtext)
        spans = self._window_words.get(pid)
        if spans is None:
            return False
        starts, ends = spans
        # occurrences inside the window end in [lo + 1, hi]; ends are sorted
        first, last = bisect.bisect_left(ends, lo + 1), bisect.bisect_right(ends, hi)
        return any(starts[k] >= lo for k in range(first, last))

    def before(self, pattern: re.Pattern[str], start: int, width: int) -> re.Match[str] | None:
        """The last match of `pattern` in the `width` characters of match text before `start`."""
        lo = max(0, start - width)
        if not self._may_hold(pattern, lo, start):
            return None
        last = None
        for m in pattern.finditer(self.mtext, lo, start):
            last = m
        return last

    def after(self, pattern: re.Pattern[str], end: int, width: int) -> re.Match[str] | None:
        hi = min(len(self.mtext), end + width)
        if not self._may_hold(pattern, end, hi):
            return None
        return pattern.search(self.mtext, end, hi)

    def near(self, pattern: re.Pattern[str], start: int, end: int, before: int, after: int = 0) -> bool:
        if self.before(pattern, start, before) is not None:
            return True
        return after > 0 and self.after(pattern, end, after) is not None
