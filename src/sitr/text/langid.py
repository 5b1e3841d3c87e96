"""Language and variety identification for the languages sitr serves: Arabic (script or Arabizi), French, English.

Why not a general-purpose identifier: they call Arabizi "Indonesian" or "Swahili", know no dialects, and cost far
more than the budget of the analyze pipeline. Here the script decides Arabic against Latin; in Latin text,
small high-frequency word lists decide English, French and Arabizi (a digit used as a letter is Arabizi on its
own); "mixed" means two languages each hold a real share (code-switching). The variety comes from dialect
marker words (data/markers_ar.tsv for Arabic script, data/arabizi.tsv for Arabizi): Egyptian (egy), Levantine
(lev), Gulf (glf), Iraqi (irq), Maghrebi (mag: Tunisian, Moroccan, Algerian), Standard Arabic (msa: formal
markers and no dialect marker), else "unknown".

`identify` accepts the original or the normalized text. A text without letters (a number, emoji) is
("mixed", "unknown", 0.0): nothing says which language's detectors should be skipped.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from functools import lru_cache

from sitr.text import arabizi as _az
from sitr.text._lexicon import VARIETIES, arabic_markers, arabizi_lexicon, latin_words
from sitr.text.normalize import arabic_fold

__all__ = ["LANGS", "VARIETY_VALUES", "LanguageGuess", "identify"]

LANGS: tuple[str, ...] = ("ar", "ar-Latn", "fr", "en", "mixed")
VARIETY_VALUES: tuple[str, ...] = ("msa", "egy", "lev", "glf", "irq", "mag", "unknown", "fr", "en", "mixed")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str  # one of LANGS
    variety: str  # msa egy lev glf irq mag unknown for Arabic; "fr" / "en" for those; "mixed"
    confidence: float  # 0..1: how clearly the evidence favours this answer


_AR_ANY = re.compile("[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
_LAT_ANY = re.compile("[a-zA-Z\u00c0-\u024f]")
# Characters that tell raw text from normalized text (what arabic_fold would change): a cheap superset.
_FOLDABLE = re.compile(
    "[\u0622-\u0626\u0629\u0640\u0649\u064b-\u0673\u060c\u061b\u061f\u067e\u0686\u0698\u06a4-\u06af"
    "\u06be-\u06ed\u06f0-\u06f9\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_AR_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]+")
_LATIN_LETTERS = re.compile("[a-zA-Z\u00c0-\u024f]+")
_AR_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")
# Words with an elision apostrophe kept on the left piece (c' est, l' 7ala, don' t); pieces of accented words
# score nothing, so no boundary check is needed.
_LAT_TOKEN = re.compile(r"[a-z0-9]+'?")  # lone letters score nothing (g a y spacing, list markers)
_ACCENTED = re.compile(r"[àâçéèêëîïôûùœ]+")
_MOR_VERB = re.compile(r"^k[aie]?[nty][a-z0-9]{3,}$")

# Shares that make a second language "real" in code-switched text.
_MIXED_SHARE = 0.15
_MIXED_MIN_WORDS = 2
_ARABIC_SCRIPT_SHARE = 0.5
# Standard Arabic needs one strong formal marker (الذي, سوف, لقد, يجب ...) or several weak ones.
_MSA_MIN = 2


def identify(text: str) -> LanguageGuess:
    """Guess the language and variety of one text (a post or one message; join a conversation first)."""
    has_ar = not text.isascii() and _AR_ANY.search(text) is not None
    has_lat = _LAT_ANY.search(text) is not None
    if not has_ar and not has_lat:
        return LanguageGuess("mixed", "unknown", 0.0)
    low = text.lower().replace("\u2019", "'")
    if not has_lat:
        return _arabic_script(low)
    latin = _latin_scores(low)
    if not has_ar:
        return _latin_decision(latin, 0)
    n_ar = sum(map(len, _AR_LETTERS.findall(text)))
    n_lat = sum(map(len, _LATIN_LETTERS.findall(text)))
    ar_share = n_ar / (n_ar + n_lat)
    if ar_share >= _ARABIC_SCRIPT_SHARE:
        # Arabic script with some Latin: mixed only when that Latin is real English or French
        foreign = latin.en + latin.fr
        if foreign >= _MIXED_MIN_WORDS and foreign / max(latin.words + _ar_words(low), 1) >= _MIXED_SHARE:
            return LanguageGuess("mixed", "mixed", round(min(ar_share, 1 - ar_share) * 2, 3))
        return _arabic_script(low)
    # Latin script; its Arabic-script words count for Arabic
    return _latin_decision(latin, _ar_words(low))


# --- Arabic script -----------------------------------------------------------------------------------------


def _ar_words(low: str) -> int:
    return len(_AR_WORD.findall(low))


def _arabic_script(low: str) -> LanguageGuess:
    if _FOLDABLE.search(low) is not None:  # raw text; normalized text is already folded
        low = arabic_fold(low)
    variety, conf = _arabic_variety(_AR_WORD.findall(low))
    return LanguageGuess("ar", variety, conf)


@lru_cache(maxsize=1)
def _markers_with_clitics() -> dict[str, tuple[tuple[str, int], ...]]:
    """Markers, also behind a clitic و ف ب ل (وبدي, فالحين), so one dict lookup per word suffices."""
    markers = arabic_markers()
    out = dict(markers)
    for w, hits in markers.items():
        if len(w) >= 3:
            for clitic in "وفبل":
                out.setdefault(clitic + w, hits)
    return out


def _arabic_variety(words: list[str]) -> tuple[str, float]:
    markers = _markers_with_clitics()
    scores: dict[str, float] = {}
    for hits in [markers[w] for w in words if w in markers]:
        for v, weight in hits:
            scores[v] = scores.get(v, 0.0) + weight
    msa = scores.pop("msa", 0.0)
    generic = scores.pop("dia", 0.0)
    if scores:
        best = max(VARIETIES, key=lambda v: scores.get(v, 0.0))
        top = scores.get(best, 0.0)
        if top >= 2 or top > msa:
            total = sum(scores.values()) + msa / 2
            return best, round(top / (total + 1.0), 3)
    if msa >= _MSA_MIN and msa > generic:
        return "msa", round(msa / (msa + generic + sum(scores.values()) + 1.0), 3)
    # no evidence either way: saying "msa" would wrongly switch off dialect lexicons for a dialect text
    return "unknown", 0.0


# --- Latin script ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _LatinScores:
    en: float = 0.0
    fr: float = 0.0
    arabizi: float = 0.0
    words: int = 0
    varieties: dict[str, float] = field(default_factory=dict)
    exclusive: tuple[float, float, float] = (0.0, 0.0, 0.0)  # arabizi, fr, en: words of one language only


# What one Latin token contributes, in sixths (shared words split their weight): en, fr, arabizi, then the
# same for words exclusive to one language (they alone decide "mixed"). The six counts are packed into one
# integer, 32 bits each, so a whole text is scored by one C-level sum.
_FIELD = 32
_UNIT = 6


def _pack(values: tuple[float, ...]) -> int:
    return sum(round(v * _UNIT) << (_FIELD * k) for k, v in enumerate(values))


_FIELDS = struct.Struct("<6I")  # the six 32-bit fields, least significant first
_FIELDS_MASK = (1 << (_FIELD * 6)) - 1


def _unpack(packed: int) -> list[float]:
    a, b, c, d, e, f = _FIELDS.unpack((packed & _FIELDS_MASK).to_bytes(_FIELDS.size, "little"))
    return [a / _UNIT, b / _UNIT, c / _UNIT, d / _UNIT, e / _UNIT, f / _UNIT]


def _token_score(tok: str) -> tuple[int, tuple[tuple[str, float], ...]]:
    """(packed counts, varieties it marks) for one token."""
    if len(tok) == 1:
        return 0, ()  # a lone letter: "g a y" spacing, list markers
    c = _az._classify(tok)
    marks = arabizi_lexicon().varieties.get(tok, frozenset())
    mor = (("mag", 0.5),) if _MOR_VERB.match(tok) else ()
    if c == _az._ARABIZI:
        return _pack((0, 0, 1, 0, 0, 1)), _spread(marks, 1.0) + mor
    if c in (_az._LATIN, _az._AMBIG):
        langs = latin_words().get(tok, frozenset())
        share = 1.0 / (len(langs) + (c == _az._AMBIG))
        en = share if "en" in langs else 0.0
        fr = share if "fr" in langs else 0.0
        if c == _az._AMBIG:
            return _pack((en, fr, share, 0, 0, 0)), _spread(marks, share)
        return _pack((en, fr, 0, float(share == 1.0 and en > 0), float(share == 1.0 and fr > 0), 0)), ()
    if c == _az._UNKNOWN:
        return 0, mor
    return 0, ()


# memo of _token_score, split so the hot loop is two C-level passes (a plain dict: cheaper than lru_cache)
_PACKED: dict[str, int] = {}
_MARKS: dict[str, tuple[tuple[str, float], ...]] = {}
_SCORES_MAX = 200_000


def _spread(marks: frozenset[str], weight: float) -> tuple[tuple[str, float], ...]:
    return tuple((v, weight / len(marks)) for v in sorted(marks))


def _latin_scores(low: str) -> _LatinScores:
    toks = _LAT_TOKEN.findall(low)
    out = _LatinScores(words=len(toks))
    packed = _PACKED
    try:
        total = sum(map(packed.__getitem__, toks))
    except KeyError:  # tokens not scored yet
        missing = [tok for tok in toks if tok not in packed]
        if len(packed) > _SCORES_MAX:
            packed.clear()
            _MARKS.clear()
        for tok in missing:
            p, m = _token_score(tok)
            packed[tok] = p
            if m:
                _MARKS[tok] = m
        total = sum(map(packed.__getitem__, toks))
    cols = _unpack(total)
    varieties = out.varieties
    if not _MARKS.keys().isdisjoint(toks):  # most English and French texts hold no variety marker
        for marks in [m for m in map(_MARKS.get, toks) if m]:
            for v, w in marks:
                varieties[v] = varieties.get(v, 0.0) + w
    # French accents (Arabizi and English are written without them)
    accented = 0 if low.isascii() else len(_ACCENTED.findall(low))
    out.en, out.fr, out.arabizi = cols[0], cols[1] + accented, cols[2]
    out.exclusive = (cols[5], cols[4] + accented, cols[3])
    out.words += accented
    return out


def _latin_decision(s: _LatinScores, ar_words: int) -> LanguageGuess:
    arabic = s.arabizi + ar_words
    fr, en = s.fr, s.en
    total = arabic + fr + en
    if total <= 0:
        # Latin letters but no known word: English is the safest default for detectors; low confidence
        return LanguageGuess("en", "en", 0.1)
    ex_ar, ex_fr, ex_en = s.exclusive
    ex_ar += ar_words
    ex_total = ex_ar + ex_fr + ex_en
    if ex_total > 0:
        ex_runner = ex_ar + ex_fr + ex_en - max(ex_ar, ex_fr, ex_en) - min(ex_ar, ex_fr, ex_en)
        if ex_runner >= _MIXED_MIN_WORDS and ex_runner / ex_total >= _MIXED_SHARE:
            return LanguageGuess("mixed", "mixed", round(min(ex_runner / ex_total * 2, 1.0), 3))
    top = max(arabic, fr, en)
    conf = round(top / (total + 1.0), 3)
    if arabic == top:
        return LanguageGuess("ar-Latn", _arabizi_variety(s), conf)
    if fr == top:
        return LanguageGuess("fr", "fr", conf)
    return LanguageGuess("en", "en", conf)


def _arabizi_variety(s: _LatinScores) -> str:
    v = s.varieties or {}
    if not v:
        return "unknown"
    best = max(VARIETIES, key=lambda x: v.get(x, 0.0))
    return best if v.get(best, 0.0) >= 1.0 else "unknown"
