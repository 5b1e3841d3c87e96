"""What every PII finder shares for one text: the view, its match text, the country hint and a raw hit type.

Finders work in view coordinates and return Hits; only the extractor maps them to the original text, so the
mapping (and its edge cases) lives in one place.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import ahocorasick

from sitr.detect.pii.regions import context_regions
from sitr.detect.pii.view import View, match_text

_DIGIT = re.compile(r"\d")
_ARABIC = re.compile("[\u0621-\u064a]")


class Gates:
    """Which keyword groups occur in a text, found in one Aho-Corasick pass: patterns of a group run only if
    one of its keywords is there (a substring test, so a gate may open needlessly but never wrongly shut)."""

    def __init__(self, groups: dict[str, tuple[str, ...]]) -> None:
        self._auto = ahocorasick.Automaton()
        keys: dict[str, set[str]] = {}
        for name, words in groups.items():
            for word in words:
                keys.setdefault(match_text(word), set()).add(name)
        for word, names in keys.items():
            self._auto.add_word(word, frozenset(names))
        self._auto.make_automaton()

    def open(self, mtext: str) -> set[str]:
        out: set[str] = set()
        for _, names in self._auto.iter(mtext):
            out |= names
        return out


class Hit(NamedTuple):
    """One finding in view coordinates; `detail` is a non-personal qualifier, never the value."""

    kind: str
    start: int
    end: int
    detail: str = ""
    score: float = 1.0


class Context:
    """One text being scanned; country regions from its words are computed only if a finder asks."""

    __slots__ = ("_regions", "claimed", "has_arabic", "has_digit", "hint", "mtext", "text", "view")

    def __init__(self, view: View, country_hint: str | None = None) -> None:
        self.view = view
        self.text = view.text
        self.mtext = match_text(view.text)
        hint = (country_hint or "").strip().upper()
        self.hint = hint if len(hint) == 2 and hint.isascii() and hint.isalpha() else None
        self._regions: list[str] | None = None
        self.has_digit = _DIGIT.search(view.text) is not None
        self.has_arabic = _ARABIC.search(self.mtext) is not None
        # spans already identified with certainty (IBANs, checksum-valid IDs): the phone finder skips them
        self.claimed: list[tuple[int, int]] = []

    @property
    def regions(self) -> list[str]:
        """The country hint first, then countries named in the text (places, currencies, dialect words)."""
        if self._regions is None:
            found = context_regions(self.mtext)
            self._regions = [self.hint, *(r for r in found if r != self.hint)] if self.hint else found
        return self._regions

    def before(self, pattern: re.Pattern[str], start: int, width: int) -> re.Match[str] | None:
        """The last match of `pattern` in the `width` characters of match text before `start`."""
        last = None
        for m in pattern.finditer(self.mtext, max(0, start - width), start):
            last = m
        return last

    def after(self, pattern: re.Pattern[str], end: int, width: int) -> re.Match[str] | None:
        return pattern.search(self.mtext, end, min(len(self.mtext), end + width))

    def near(self, pattern: re.Pattern[str], start: int, end: int, before: int, after: int = 0) -> bool:
        if self.before(pattern, start, before) is not None:
            return True
        return after > 0 and self.after(pattern, end, after) is not None
