"""The "pii" extractor: runs every finder on a text and keeps one finding per stretch of text.

Overlaps are settled by kind priority (an IBAN or national ID beats the phone number hiding in its digits, an
e-mail beats the @handle inside it), except that a Saudi-looking ID with no ID word loses to a phone number
with a phone word.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from sitr.detect.base import Document, Finding
from sitr.detect.pii.address import find_addresses
from sitr.detect.pii.context import Context, Hit
from sitr.detect.pii.geo import find_gps
from sitr.detect.pii.iban import find_ibans
from sitr.detect.pii.ids import find_ids
from sitr.detect.pii.phone import find_phones
from sitr.detect.pii.plate import find_plates
from sitr.detect.pii.view import View, fold
from sitr.detect.pii.web import find_emails, find_handles, find_urls
from sitr.detect.pii.words import find_spelt_phones

PII_KINDS: tuple[str, ...] = (
    "pii:phone", "pii:email", "pii:url", "pii:handle", "pii:national_id",
    "pii:address", "pii:gps", "pii:plate", "pii:iban",
)  # fmt: skip

_PRIORITY: dict[str, int] = {
    "pii:iban": 0, "pii:national_id": 1, "pii:email": 2, "pii:gps": 3, "pii:phone": 4,
    "pii:handle": 5, "pii:url": 6, "pii:plate": 7, "pii:address": 8,
}  # fmt: skip

_FINDERS: tuple[Callable[[Context], list[Hit]], ...] = (
    find_ibans, find_ids, find_emails, find_urls, find_handles, find_gps, find_phones, find_spelt_phones,
    find_plates, find_addresses,
)  # fmt: skip
# The finders that return nothing for a text without a digit (each checks ctx.has_digit first), skipped then.
_DIGIT_ONLY = frozenset({find_ibans, find_ids, find_gps, find_phones, find_plates})
_NO_DIGIT_FINDERS = tuple(f for f in _FINDERS if f not in _DIGIT_ONLY)


def _rank(hit: Hit) -> tuple[float, int, int]:
    priority = float(_PRIORITY[hit.kind])
    if hit.kind == "pii:national_id" and hit.score < 0.9:
        priority = _PRIORITY["pii:phone"] + 0.5
    return priority, -(hit.end - hit.start), hit.start


def resolve(hits: list[Hit]) -> list[Hit]:
    """Keep the best hit of every overlapping group (by kind priority, then length), in text order."""
    starts: list[int] = []  # kept hits never overlap, so sorted starts give sorted ends too
    kept: list[Hit] = []
    for hit in sorted(hits, key=_rank):
        if hit.end <= hit.start:
            continue
        i = bisect.bisect_left(starts, hit.end)
        if i > 0 and kept[i - 1].end > hit.start:
            continue
        starts.insert(i, hit.start)
        kept.insert(i, hit)
    return kept


def scan(view: View, country_hint: str | None = None) -> list[Hit]:
    """All PII hits of a view, overlaps resolved, in view coordinates."""
    ctx = Context(view, country_hint)
    hits: list[Hit] = []
    for finder in _FINDERS if ctx.has_digit else _NO_DIGIT_FINDERS:
        found = finder(ctx)
        if finder is find_ibans or finder is find_ids:
            ctx.claimed.extend((h.start, h.end) for h in found if h.score >= 0.9)
        hits.extend(found)
    return resolve(hits)


def find_pii(text: str, country_hint: str | None = None) -> list[Finding]:
    """Personal data in `text`; spans index `text` as given, `detail` never holds the value itself."""
    return _find(text, country_hint, None)


def _find(text: str, country_hint: str | None, message: int | None) -> list[Finding]:
    view = fold(text)
    out = []
    for hit in scan(view, country_hint):
        start, end = view.to_original(hit.start, hit.end)
        out.append(Finding(hit.kind, start, end, message, hit.score, hit.detail))
    return out


class PiiExtractor:
    """Extractor "pii": phone, e-mail, URL, handle, national ID, address, GPS, plate and IBAN findings."""

    name = "pii"
    version = "1.0.0"
    languages: frozenset[str] = frozenset({"ar", "ar-Latn", "fr", "en", "mixed"})

    def extract(self, doc: Document) -> list[Finding]:
        hint = doc.country_hint or doc.item.country
        out: list[Finding] = []
        for segment in doc.segments:
            out.extend(_find(segment.original, hint, segment.index))
        return out
