"""The text view PII patterns search: digits folded, invisible characters dropped, everything else as written.

Why not the shared normalizer's `norm.text`: it lowercases, joins spaced-out letters and folds homoglyphs,
which helps keyword matching but erases what PII needs (capitalised street names, "ق ص ع 1234" plates,
upper-case IBANs). PII only needs digits made searchable, so this is the one small helper to swap if the
shared view ever keeps those. Every character of the view comes from exactly one original character, so
spans map back exactly.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sitr.text.translate import char_class, replacer

# Arabic-Indic, Persian (Extended Arabic-Indic) and fullwidth digits -> ASCII; Arabic decimal and thousands
# separators and exotic spaces -> their ASCII look-alikes. All 1:1, so offsets are unchanged.
_DIGITS = {0x0660 + i: 0x30 + i for i in range(10)}
_DIGITS.update({0x06F0 + i: 0x30 + i for i in range(10)})
_DIGITS.update({0xFF10 + i: 0x30 + i for i in range(10)})
_DIGITS.update({0x066B: ord("."), 0x066C: ord(","), 0xFF0B: ord("+"), 0xFF20: ord("@")})
_DIGITS.update({c: 0x20 for c in (0x00A0, 0x2007, 0x202F, 0x2009, 0x200A, 0x3000, 0x2002, 0x2003)})
_DIGITS.update({0x2010: ord("-"), 0x2011: ord("-"), 0x2012: ord("-"), 0x2013: ord("-"), 0x2212: ord("-")})

# Characters that hide inside numbers and words without being seen: zero-width and bidi controls, soft
# hyphen, variation selectors and the keycap mark (1️⃣ is "1" + U+FE0F + U+20E3), tatweel.
_INVISIBLE_CLASS = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u061c\u034f\ufe0e\ufe0f\u20e3\u0640"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}]")


_fold_digits = replacer(_DIGITS)
# Nothing to fold and nothing invisible: the view is the text itself.
_SPECIAL = re.compile(f"[{char_class(_DIGITS)}{_INVISIBLE_CLASS}]")


class View(NamedTuple):
    """`text` is what patterns search; `offsets[i]` is the index in `original` of text[i] (None: identity).

    A NamedTuple rather than a frozen dataclass: one is built per text scanned, and this is cheaper to build.
    """

    original: str
    text: str
    offsets: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map [start, end) of `text` to `original`; the end absorbs invisible characters that follow."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end] if end > start else self.offsets[start]


def fold(text: str) -> View:
    """Build the PII view of `text` (fast path: no invisible characters means no offset table)."""
    if text.isascii() or _SPECIAL.search(text) is None:
        return View(text, text, None)
    folded = _fold_digits(text)
    if _INVISIBLE.search(folded) is None:
        return View(text, folded, None)
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _INVISIBLE.finditer(folded):
        chunk = folded[pos : m.start()]
        out.append(chunk)
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    out.append(folded[pos:])
    offsets.extend(range(pos, len(folded)))
    offsets.append(len(folded))
    return View(text, "".join(out), tuple(offsets))


# Lowercase Latin (ASCII and Latin-1) and fold Arabic letter variants, one character for one character, so
# keyword patterns can run on this "match text" at the same positions as `View.text`.
_MATCH_FOLD = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_MATCH_FOLD.update({c: c + 32 for c in range(0xC0, 0xDF) if c != 0xD7})
_MATCH_FOLD.update({0x0623: 0x0627, 0x0625: 0x0627, 0x0622: 0x0627, 0x0671: 0x0627, 0x0629: 0x0647})
_MATCH_FOLD.update({0x0649: 0x064A, 0x06CC: 0x064A, 0x06A9: 0x0643, 0x2019: 0x27, 0x2018: 0x27})
_match_fold = replacer(_MATCH_FOLD)


def match_text(text: str) -> str:
    """Same length as `text`: lowercase Latin, one Alef, taa marbuta as haa, alef maqsura as yaa."""
    if text.isascii():
        return text.lower()
    return _match_fold(text)
