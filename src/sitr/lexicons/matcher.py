"""Find lexicon terms in normalized text, fast, with word boundaries that fit Arabic, Arabizi, French, English.

Why one Aho-Corasick automaton over every term instead of regexes: thousands of terms are matched against
every message, and the automaton costs one pass over the text whatever the number of terms. Word boundaries
are checked afterwards, per hit, in Python: hits are few, and the boundary rules differ by script (Arabic
attaches clitics and suffixes to words, French and English add plural and feminine endings).

Terms are normalized with the same `sitr.text.normalize.normalize` as the text, so a term written in
ordinary spelling matches folded, de-obfuscated input. Spans are returned in ORIGINAL text coordinates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import ahocorasick

from sitr.text.normalize import NormalizedText, normalize

CATEGORIES: frozenset[str] = frozenset(
    {
        "identity_neutral", "identity_pejorative", "identity_reclaimed", "insult", "dehumanize",
        "violence_call", "authority_call", "share_call", "exposure_claim", "self_disclosure", "news_report",
        "advocacy_support", "counter_speech", "religious_discussion", "demand", "money", "threat_expose",
        "threat_harm", "conditional", "deadline", "audience_family", "audience_work", "audience_authority",
        "audience_public", "own_material", "help_seeking", "quote_marker", "debt_context", "meet_push",
        "meet_place", "urgency", "photo_request", "location_request", "id_request", "admission_pressure",
        "bring_friend", "money_offer", "secrecy_reassure", "move_platform", "persona_claim", "address_cue",
        "workplace_cue", "family_cue", "account_unmask", "realname_cue", "business_contact",
    }
)  # fmt: skip
LANGS: frozenset[str] = frozenset({"ar", "ar-Latn", "fr", "en", "any"})
VARIETIES: frozenset[str] = frozenset({"msa", "egy", "lev", "glf", "irq", "mag", "any", "fr", "en"})
HEADER: tuple[str, ...] = ("term", "lang", "variety", "category", "source")
GAP = " * "
MAX_GAP_WORDS = 3

# Arabic proclitics that may stand before a term inside the same written word: conjunctions و ف,
# prepositions ب ل ك, the article and their combinations, and the colloquial ع (= على: عالفيسبوك, عجريندر).
AR_PREFIXES: frozenset[str] = frozenset(
    {"و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "فال", "كال", "وب", "ول", "فب", "فل", "وبال", "ولل",
     "فلل", "وك", "ع", "عال", "وع"}
)  # fmt: skip
# Suffixes after an Arabic term: pronouns, plural/feminine endings (ة is folded to ه by normalize), and the
# verb plural وا/و, which lets "ينحرق" match "ينحرقوا" (Levantine/Maghrebi drop the alif).
AR_SUFFIXES: frozenset[str] = frozenset(
    {"ه", "ها", "هم", "هن", "ين", "ون", "ات", "ي", "ك", "كم", "كن", "نا", "ة", "وا", "و", "يه", "يين"}
)  # fmt: skip
# Plural and feminine endings of single-word French and English terms.
LATIN_SUFFIXES: tuple[str, ...] = ("s", "es", "e", "x")
# Arabizi proclitics written attached ("elkhawal", "lzwamel", "wel shawaz" is already two words).
LATN_AR_PREFIXES: frozenset[str] = frozenset(
    {"el", "l", "al", "il", "w", "wel", "wl", "b", "bel", "bil", "lel", "lil", "fel", "fil", "f"}
)  # fmt: skip
# Whole written words that look like term + clitic/suffix but are another word: never a match.
# خوله is the given name Khawla (خولة), not خول + ه; خولي a surname and "gardener"; with the article, امه is
# الأمة "the nation", not "his mother".
HOMOGRAPHS: frozenset[str] = frozenset(
    {"خوله", "خولي", "خولك"} | {p + "امه" for p in AR_PREFIXES if "ال" in p or p.endswith("لل")}
)


class LexiconError(ValueError):
    """A lexicon file row that cannot be used; the message names the file and line."""


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One validated row of a lexicon file, as written."""

    term: str
    lang: str
    variety: str
    category: str
    source: str
    file: str
    line: int


class Match(NamedTuple):
    """A lexicon hit; start/end index the ORIGINAL text (`norm.original`). A NamedTuple: built per hit."""

    category: str
    start: int
    end: int
    lang: str
    variety: str


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    category: str
    lang: str
    variety: str
    parts: tuple[str, ...]  # normalized; more than one when the term has ` * ` gaps
    arabic: bool  # Arabic-script term: Arabic boundary rules, also matched on the Arabizi view
    latin_suffix: bool  # single-word fr/en/any Latin term: s/es/e/x endings allowed
    latin_clitic: bool  # Arabizi term: attached el/l/w/b... allowed before it


def _is_arabic_char(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def _has_arabic(text: str) -> bool:
    return any(_is_arabic_char(ch) for ch in text)


def parse_tsv(content: str, name: str) -> list[Row]:
    """Parse and validate one lexicon file; raise LexiconError naming `name` and the line on any bad row."""
    rows: list[Row] = []
    header_seen = False
    for lineno, raw in enumerate(content.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cols) != HEADER:
                raise LexiconError(f"{name}:{lineno}: header must be {'<TAB>'.join(HEADER)}")
            header_seen = True
            continue
        if len(cols) != len(HEADER):
            raise LexiconError(f"{name}:{lineno}: expected {len(HEADER)} tab-separated columns, got {len(cols)}")
        term, lang, variety, category, source = (c.strip() for c in cols)
        if not term:
            raise LexiconError(f"{name}:{lineno}: empty term")
        if lang not in LANGS:
            raise LexiconError(f"{name}:{lineno}: unknown lang {lang!r} (expected one of {sorted(LANGS)})")
        if variety not in VARIETIES:
            raise LexiconError(f"{name}:{lineno}: unknown variety {variety!r}")
        if category not in CATEGORIES:
            raise LexiconError(f"{name}:{lineno}: unknown category {category!r}")
        if not source:
            raise LexiconError(f"{name}:{lineno}: empty source")
        parts = [p.strip() for p in term.split(GAP)]
        if any(not p or p == "*" for p in parts) or term.startswith("* ") or term.endswith(" *"):
            raise LexiconError(f"{name}:{lineno}: a ' * ' gap needs words on both sides")
        if any(not normalize(p).text.strip() for p in parts):
            raise LexiconError(f"{name}:{lineno}: term is empty after normalization")
        rows.append(Row(term, lang, variety, category, source, name, lineno))
    if not header_seen:
        raise LexiconError(f"{name}:1: missing header line")
    return rows


def load_rows() -> list[Row]:
    """Every row of every *.tsv shipped in sitr/lexicons, validated, in file and line order."""
    rows: list[Row] = []
    folder = resources.files("sitr.lexicons")
    for path in sorted((p for p in folder.iterdir() if p.name.endswith(".tsv")), key=lambda p: p.name):
        rows.extend(parse_tsv(path.read_text(encoding="utf-8"), path.name))
    return rows


def _entry(row: Row) -> _Entry:
    parts = tuple(" ".join(normalize(p).text.split()) for p in row.term.split(GAP))
    arabic = _has_arabic(row.term)
    single_word = len(parts) == 1 and " " not in parts[0]
    return _Entry(
        category=row.category,
        lang=row.lang,
        variety=row.variety,
        parts=parts,
        arabic=arabic,
        latin_suffix=not arabic and single_word and row.lang in ("fr", "en", "any"),
        latin_clitic=not arabic and row.lang == "ar-Latn",
    )


# Boundary profiles: what may touch a term inside the same written word.
_PLAIN = 0  # Latin: nothing (word boundaries on both sides)
_LATIN_SUFFIX = 1  # single-word fr/en/any Latin term: s/es/e/x endings
_LATN_CLITIC = 2  # Arabizi term: attached el/l/w/b... before it
_ARABIC = 3  # Arabic script: proclitics before, suffixes after


def _profile(entry: _Entry) -> int:
    if entry.arabic:
        return _ARABIC
    if entry.latin_clitic:
        return _LATN_CLITIC
    return _LATIN_SUFFIX if entry.latin_suffix else _PLAIN


def _prefix_ok(text: str, start: int, prefixes: frozenset[str]) -> bool:
    """True when the letters glued before `start` (back to the word start) are one allowed proclitic."""
    i = start
    while i > 0 and text[i - 1].isalnum():
        i -= 1
        if start - i > 4:
            return False
    return text[i:start] in prefixes


def _suffix_end(text: str, stop: int, suffixes: frozenset[str]) -> int:
    """The word end when the letters glued after `stop` are one allowed suffix, else -1."""
    n = len(text)
    j = stop
    while j < n and text[j].isalnum():
        j += 1
        if j - stop > 3:
            return -1
    return j if text[stop:j] in suffixes else -1


def _homograph(text: str, start: int, end: int) -> bool:
    if text[start:end] in HOMOGRAPHS:
        return True
    i = start
    while i > 0 and text[i - 1].isalnum():
        i -= 1
    return text[i:end] in HOMOGRAPHS


_LATIN_SUFFIX_SET: frozenset[str] = frozenset(LATIN_SUFFIXES)

# Automaton value: (key length, first char alphanumeric, last char alphanumeric, no group accepts the key
# inside a longer word on the left, nor on the right, the key is only a later part of gapped terms, the
# (category, entry id) pairs a whole-word hit yields when no group has gapped parts (else None), groups).
# A group is (profile, single-part (category, entry id) pairs, gapped terms whose first part the key is as
# (entry id, number of parts), gapped terms whose later part it is as (entry id, part index)). The flags are
# fixed by the key, so most hits inside longer words ("to" in "tonight"), and later parts of gapped terms whose
# first part has not occurred, are dropped before any group is looked at.
_Group = tuple[int, tuple[tuple[str, int], ...], tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]
_Value = tuple[int, bool, bool, bool, bool, bool, tuple[tuple[str, int], ...] | None, tuple[_Group, ...]]


class Lexicon:
    """A compiled set of lexicon rows. Build once (it is immutable), then call `match` from any thread."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows: tuple[Row, ...] = tuple(rows)
        self._entries: list[_Entry] = []
        index: dict[_Entry, int] = {}
        for row in self.rows:
            entry = _entry(row)
            if entry not in index:  # identical rows from two files collapse
                index[entry] = len(self._entries)
                self._entries.append(entry)
        self._distinct = len(self._entries)  # merged stand-ins (see _merged) are appended after these
        self._all = self._build(arabic_only=False)
        self._arabic = self._build(arabic_only=True)
        self.variety_of: tuple[str, ...] = tuple(e.variety for e in self._entries)  # by entry id, stand-ins included
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update("\t".join((row.term, row.lang, row.variety, row.category)).encode() + b"\n")
        self.fingerprint: str = digest.hexdigest()[:12]

    def _build(self, arabic_only: bool) -> ahocorasick.Automaton | None:
        # key -> profile -> (single entry ids, one per category; gapped parts)
        keys: dict[str, dict[int, tuple[dict[str, int], list[tuple[int, int, int]]]]] = {}
        for eid in range(self._distinct):
            entry = self._entries[eid]
            if arabic_only and not entry.arabic:
                continue
            for pidx, part in enumerate(entry.parts):
                singles, gaps = keys.setdefault(part, {}).setdefault(_profile(entry), ({}, []))
                if len(entry.parts) == 1:
                    # same key, same category: one hit is enough, reported as "any" where the rows disagree
                    prev = singles.get(entry.category)
                    singles[entry.category] = eid if prev is None else self._merged(prev, eid)
                else:
                    gaps.append((eid, pidx, len(entry.parts)))
        if not keys:
            return None
        automaton = ahocorasick.Automaton()
        for key, profiles in keys.items():
            groups: tuple[_Group, ...] = tuple(
                (
                    profile,
                    tuple(singles.items()),
                    tuple((eid, nparts) for eid, pidx, nparts in gaps if pidx == 0),
                    tuple((eid, pidx) for eid, pidx, _ in gaps if pidx > 0),
                )
                for profile, (singles, gaps) in profiles.items()
            )
            value: _Value = (
                len(key),
                key[0].isalnum(),
                key[-1].isalnum(),
                all(group[0] < _LATN_CLITIC for group in groups),
                all(group[0] in (_PLAIN, _LATN_CLITIC) for group in groups),
                all(not group[1] and not group[2] for group in groups),
                None if any(group[2] or group[3] for group in groups) else tuple(p for g in groups for p in g[1]),
                groups,
            )
            automaton.add_word(key, value)
        automaton.make_automaton()
        return automaton

    def _merged(self, a: int, b: int) -> int:
        """An entry id standing for two rows with one key and category (e.g. "gay" in en and fr)."""
        ea, eb = self._entries[a], self._entries[b]
        lang = ea.lang if ea.lang == eb.lang else "any"
        variety = ea.variety if ea.variety == eb.variety else "any"
        if (lang, variety) == (ea.lang, ea.variety):
            return a
        self._entries.append(dataclasses.replace(ea, lang=lang, variety=variety))
        return len(self._entries) - 1

    def __len__(self) -> int:
        """The number of distinct terms (identical rows from several files count once)."""
        return self._distinct

    def match(self, norm: NormalizedText, arabizi: NormalizedText | None = None) -> list[Match]:
        """All terms found in `norm` (and Arabic-script terms in the Arabizi view), deduplicated per category.

        Overlapping matches of one category keep the longest; the result is ordered by start.
        """
        entries = self._entries
        return [
            Match(category, start, end, entries[eid].lang, entries[eid].variety)
            for category, _, start, end, eid in self.located(norm, arabizi)
        ]

    def located(self, norm: NormalizedText, arabizi: NormalizedText | None = None) -> list[_Hit]:
        """What `match` returns, as raw (category, -length, start, end, entry id) tuples in the same order;
        `variety_of[entry id]` is a match's variety. For callers that build their own objects from matches."""
        hits: list[_Hit] = []
        if self._all is not None and norm.text:
            hits = self._mapped(self._all, norm)
        if arabizi is not None and self._arabic is not None and arabizi.text:
            more = self._mapped(self._arabic, arabizi)
            if more:
                hits = _dedup(hits + more) if hits else more
        if len(hits) > 1:
            hits.sort(key=_HIT_ORDER)  # stable: the order of Matches sorted by (start, end, category)
        return hits

    def _mapped(self, automaton: ahocorasick.Automaton, view: NormalizedText) -> list[_Hit]:
        """Hits in one view, deduplicated in its own coordinates, then mapped to the original text.

        Deduplicating first means only the surviving hits pay for `to_original`.
        """
        found: list[_Hit] = []
        self._scan(automaton, view, found)
        if not found:
            return found
        if len(found) > 1:
            found = _dedup(found)
        offsets = view.offsets
        out: list[_Hit] = []
        for category, _, start, end, eid in found:
            o_start = offsets[start]
            o_end = offsets[end - 1] + 1
            if offsets[end] != o_end:  # something was folded away after the span: let the text decide
                o_start, o_end = view.to_original(start, end)
            out.append((category, o_start - o_end, o_start, o_end, eid))
        return out

    def _scan(self, automaton: ahocorasick.Automaton, view: NormalizedText, out: list[_Hit]) -> None:
        text = view.text
        n = len(text)
        entries = self._entries
        gap_hits: dict[int, list[list[tuple[int, int]]]] | None = None
        for last, value in automaton.iter(text):
            length, head_alnum, tail_alnum, strict_start, strict_end, only_later, whole_word, groups = value
            if only_later and not gap_hits:
                continue  # nothing to record: no gapped term has its first part yet (see below)
            start = last + 1 - length
            # "inner": the key touches a letter or digit on that side, so it sits inside a longer word
            inner_start = head_alnum and start > 0 and text[start - 1].isalnum()
            if inner_start and strict_start:
                continue
            stop = last + 1
            inner_end = tail_alnum and stop < n and text[stop].isalnum()
            if inner_end and strict_end:
                continue
            if whole_word is not None and not inner_start and not inner_end:
                # what the group loop below does for a whole word without gapped terms: every single, as is
                for category, eid in whole_word:
                    out.append((category, -length, start, stop, eid))
                continue
            for profile, singles, firsts, laters in groups:
                if inner_start and (
                    profile < _LATN_CLITIC
                    or not _prefix_ok(text, start, AR_PREFIXES if profile == _ARABIC else LATN_AR_PREFIXES)
                ):
                    continue
                end = stop
                if inner_end:
                    if profile in (_PLAIN, _LATN_CLITIC):
                        continue
                    end = _suffix_end(text, stop, AR_SUFFIXES if profile == _ARABIC else _LATIN_SUFFIX_SET)
                    if end < 0:
                        continue
                if profile == _ARABIC and (inner_start or end != stop) and _homograph(text, start, end):
                    continue
                for category, eid in singles:
                    out.append((category, start - end, start, end, eid))
                if firsts:
                    if gap_hits is None:
                        gap_hits = {}
                    for eid, nparts in firsts:
                        per_part = gap_hits.get(eid)
                        if per_part is None:
                            per_part = gap_hits[eid] = [[] for _ in range(nparts)]
                        per_part[0].append((start, end))
                if laters and gap_hits:
                    # A later part is kept only if the part before it already occurred: hits come in order of
                    # their last character, so one that comes later ends after this one starts and can never
                    # precede it in a chain (see _chain), and what _chain picks is unchanged.
                    for eid, pidx in laters:
                        per_part = gap_hits.get(eid)
                        if per_part is not None and per_part[pidx - 1]:
                            per_part[pidx].append((start, end))
        if gap_hits:
            for eid, per_part in gap_hits.items():
                if not all(per_part):
                    continue  # a part never occurs: no chain
                category = entries[eid].category
                for g_start, g_end in _chain(text, per_part):
                    out.append((category, g_start - g_end, g_start, g_end, eid))


# (category, -length, start, end, entry id): sorts by category, longest first, then leftmost
_Hit = tuple[str, int, int, int, int]


_HIT_ORDER = operator.itemgetter(2, 3, 0)  # a _Hit's (start, end, category)


def _dedup(found: list[_Hit]) -> list[_Hit]:
    """Keep, per category, the longest of overlapping hits (leftmost on ties); others overlapping it go."""
    found.sort()
    out: list[_Hit] = []
    kept_cat = ""
    kept: list[tuple[int, int]] = []
    for hit in found:
        category, _, start, end, _ = hit
        if category != kept_cat:
            kept_cat, kept = category, []
        else:
            for ks, ke in kept:
                if start < ke and ks < end:
                    break
            else:
                kept.append((start, end))
                out.append(hit)
            continue
        kept.append((start, end))
        out.append(hit)
    return out


def _chain(text: str, per_part: list[list[tuple[int, int]]]) -> Iterator[tuple[int, int]]:
    """Spans where the parts of a gapped term occur in order with at most MAX_GAP_WORDS words between."""
    for first_start, first_end in per_part[0]:
        prev_end = first_end
        ok = True
        for hits in per_part[1:]:
            nxt = -1
            for s, e in hits:  # hits are in text order: the earliest fitting one wins
                if s > prev_end and len(text[prev_end:s].split()) <= MAX_GAP_WORDS:
                    nxt = e
                    break
            if nxt < 0:
                ok = False
                break
            prev_end = nxt
        if ok:
            yield first_start, prev_end


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicon, loaded and compiled once per process."""
    return Lexicon(load_rows())


def match(norm: NormalizedText, arabizi: NormalizedText | None = None) -> list[Match]:
    """Lexicon matches in a normalized text (and its Arabizi view), spans in original coordinates."""
    return default_lexicon().match(norm, arabizi=arabizi)
