"""Which countries a text points to, and which phone regions a digit string could belong to.

phonenumbers is fast for one region and slow for many (DEPENDENCIES.md: 38k msg/s vs 5.1k for 8), so the
phone finder asks two cheap questions first: which countries does the text name (places, currencies,
dialect words), and which regions' number plans could this digit string fit at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick
import phonenumbers

from sitr.detect.pii.view import match_text

MENA_REGIONS: tuple[str, ...] = (
    "EG", "SA", "AE", "KW", "QA", "BH", "OM", "YE", "IQ", "JO", "LB",
    "SY", "PS", "IL", "TR", "IR", "MA", "DZ", "TN", "LY", "SD", "MR",
)  # fmt: skip

# When the text names no country: most populous / most seen first, so an ambiguous local number
# (05x is mobile in SA, AE, IL and PS) gets the likelier region.
FALLBACK_ORDER: tuple[str, ...] = (
    "EG", "SA", "MA", "DZ", "IQ", "AE", "JO", "LB", "TN", "SY", "KW",
    "QA", "YE", "PS", "OM", "BH", "LY", "SD", "MR", "TR", "IR", "IL",
)  # fmt: skip

_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف", "ل", "ك")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_arabic(term: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in term)


@dataclass(frozen=True, slots=True)
class _Term:
    length: int
    regions: tuple[str, ...]
    weight: int
    arabic: bool


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    data = resources.files("sitr.detect").joinpath("data", "pii_places.tsv").read_text(encoding="utf-8")
    for line in data.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, regions, weight = line.split("\t")
        key = match_text(term.strip())
        auto.add_word(key, _Term(len(key), tuple(regions.split(",")), int(weight), _is_arabic(key)))
    auto.make_automaton()
    return auto


def _left_ok(mtext: str, start: int, arabic: bool) -> bool:
    if start == 0 or not _is_word(mtext[start - 1]):
        return True
    if not arabic:
        return False
    for clitic in _CLITICS:
        k = len(clitic)
        if mtext[max(0, start - k) : start] == clitic and (start - k == 0 or not _is_word(mtext[start - k - 1])):
            return True
    return False


def context_regions(mtext: str) -> list[str]:
    """Regions named by place, currency or dialect words in `mtext` (a `match_text`), strongest first."""
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    for end, term in _automaton().iter(mtext):
        start = end - term.length + 1
        if end + 1 < len(mtext) and _is_word(mtext[end + 1]):
            continue
        if not _left_ok(mtext, start, term.arabic):
            continue
        for rank, region in enumerate(term.regions):
            # the first region of an ambiguous word counts a little more than the others
            scores[region] += term.weight * 2 - (1 if rank else 0)
            first.setdefault(region, start)
    return sorted(scores, key=lambda r: (-scores[r], first[r]))


# Every type phonenumbers knows; a number is valid when one matches (most common types first, for speed).
_TYPES = (
    "mobile", "fixed_line", "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
    "uan", "voicemail",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Plan:
    """One region's numbering plan, compiled: what phonenumbers.is_valid_number checks, without parsing."""

    region: str
    prefix: str
    general: re.Pattern[str]
    lengths: frozenset[int]
    types: tuple[tuple[frozenset[int], re.Pattern[str]], ...]
    mobile: re.Pattern[str] | None

    def plausible(self, nsn: str) -> bool:
        return len(nsn) in self.lengths and self.general.fullmatch(nsn) is not None

    def valid(self, nsn: str) -> bool:
        """A national significant number of this region with a known type (fixed, mobile, toll-free ...)."""
        if not self.plausible(nsn):
            return False
        return any((not lengths or len(nsn) in lengths) and pat.fullmatch(nsn) for lengths, pat in self.types)

    def is_mobile(self, nsn: str) -> bool:
        return self.mobile is not None and self.mobile.fullmatch(nsn) is not None


@lru_cache(maxsize=256)
def plan(region: str) -> Plan | None:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.general_desc is None or meta.general_desc.national_number_pattern is None:
        return None
    types = []
    for name in _TYPES:
        desc = getattr(meta, name)
        if desc is not None and desc.national_number_pattern:
            types.append((frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)))
    mobile = meta.mobile.national_number_pattern if meta.mobile is not None else None
    return Plan(
        region,
        meta.national_prefix or "",
        re.compile(meta.general_desc.national_number_pattern),
        frozenset(meta.general_desc.possible_length or ()),
        tuple(types),
        re.compile(mobile) if mobile else None,
    )


def national_digits(p: Plan, digits: str) -> tuple[str, bool]:
    """The national significant number of locally written `digits`, and whether the trunk prefix was there."""
    if p.prefix and digits.startswith(p.prefix):
        return digits[len(p.prefix) :], True
    return digits, False


@lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[Plan, ...]]:
    """Fallback regions by the length of locally written digits (with or without the trunk prefix)."""
    table: dict[int, list[Plan]] = {}
    for region in FALLBACK_ORDER:
        p = plan(region)
        if p is None:
            continue
        for n in p.lengths:
            for total in {n, n + len(p.prefix)}:
                if p not in table.setdefault(total, []):
                    table[total].append(p)
    return {n: tuple(plans) for n, plans in table.items()}


def plausible_regions(digits: str) -> list[str]:
    """Regions whose national number plan accepts `digits` (with or without trunk 0): those where it is a
    mobile number first (people share mobiles), each group in fallback order."""
    mobile: list[str] = []
    other: list[str] = []
    for p in _by_length().get(len(digits), ()):
        nsn, _ = national_digits(p, digits)
        if p.plausible(nsn):
            (mobile if p.is_mobile(nsn) else other).append(p.region)
    return mobile + other


def fallback_region(digits: str, skip: list[str]) -> tuple[str | None, bool]:
    """The first fallback region (mobile plans first) where locally written `digits` are valid, and whether
    some region could only be decided by phonenumbers' matcher (digits lack that region's trunk prefix)."""
    first_fixed = None
    undecided = False
    for p in _by_length().get(len(digits), ()):
        if p.region in skip:
            continue
        nsn, trunk = national_digits(p, digits)
        if p.prefix and not trunk:
            undecided = undecided or p.plausible(nsn)
            continue
        if p.valid(nsn):
            if p.is_mobile(nsn):
                return p.region, undecided
            first_fixed = first_fixed or p.region
    return first_fixed, undecided


def international_region(digits: str) -> tuple[str, bool] | None:
    """(region, valid) for digits written after "+" / "00"; None when no country code fits."""
    for k in (1, 2, 3):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:k])) if len(digits) > k else None
        if not regions:
            continue
        rest = digits[k:]
        for region in regions:
            p = plan(region)
            if p is None:
                continue
            if p.valid(rest):
                return region, True
            nsn, trunk = national_digits(p, rest)  # "+20 010 ..." : a trunk 0 written after the code
            if trunk and p.valid(nsn):
                return region, True
        return regions[0], False
    return None
