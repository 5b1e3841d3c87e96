"""Offset-preserving normalization: the one folded view of a text that detectors match against.

Why: slurs, threats and phone numbers reach sitr disguised (zero-width characters, tatweel, Arabic-Indic digits,
homoglyphs, spaced or dotted letters, emoji between letters). Detectors match `NormalizedText.text`; evidence is
mapped back with `to_original`, so a reviewer sees exactly what was written.

Choices others rely on:
- Unicode NFKC (fullwidth, presentation forms, ligatures, mathematical letters), then lowercase.
- Removed: zero-width and bidi controls, soft hyphen, CGJ, Arabic letter mark, variation selectors, tag
  characters, the keycap mark (so 1️⃣ -> 1), Hangul fillers, tatweel, Arabic harakat and Quranic marks, and any
  combining mark NFKC could not compose (Zalgo decoration). Precomposed letters such as é are kept.
- Arabic letters: أ إ آ ٱ -> ا; ى -> ي; ة -> ه; ؤ -> و; ئ -> ي; ک -> ك; ی ې ۍ ے -> ي; ھ ہ ە ۃ -> ه;
  گ ڨ ڭ -> ق (Gulf, Iraqi and Maghrebi writers use them for the /g/ that standard spelling writes ق, e.g. گواد
  = قواد); چ -> ج (its visual twin; Gulf writes the same sound ج in جذي); ڤ -> ف; پ -> ب; ژ -> ز.
  Arabic punctuation ، ؛ ؟ ٪ ٫ ٬ -> , ; ? % . , and curly apostrophes -> '.
- Digits of every script (Arabic-Indic, Persian, Devanagari, fullwidth, circled ...) -> ASCII 0-9. Digits are
  never turned into letters, except 0 1 4 inside a Latin word with letters on both sides (leetspeak, see below).
- Whitespace: any run -> one space; none at either end.
- Elongation: a run of 3+ identical letters collapses to one (gaaaay -> gay, كتييير -> كتير, هههه -> ه), except
  e and o which collapse to two (kteeeer -> kteer, sooo -> soo) because ee/oo are real spellings in English and
  mark long vowels in Arabizi. Doubles are never touched (cool, shawwaz, الله). "www" is kept.
- Emoji are kept as they are (they carry meaning: 🌈 🤮), except between letters of one word, where they are
  separators and are removed (ش🌈اذ, d🌈y🌈k🌈e).
- Joined back: runs of 3+ single letters separated by spaces, dots, dashes, stars or emoji (g a y, g.a.y,
  ش ا ذ, f-a-g, 5.o.l); runs of 4+ single digits (0 7 9 5 1 2 -> 079512, a spaced phone number); an Arabic
  article-like head before a spaced run (الـ م ث ل ي ي ن -> المثليين, الخ و ل ا ت -> الخولات); a word split around
  tatweel (الشـ ـواذ -> الشواذ); dots, dashes and underscores between Arabic letters (شا.ذ); stars and emoji
  between letters (sh*az). Up to three single Arabic letters next to a number are left alone: a licence plate.
  Dots and dashes between Latin words are left alone (domains, handles, hyphenated words).
- Homoglyphs: Cyrillic and Greek look-alikes are folded to Latin inside words that also hold Latin letters
  (gаy with Cyrillic а, ρédé); words wholly in Cyrillic or Greek are left as they are.
- Leetspeak: 0 -> o, 1 -> i, 4 -> a, @ -> a, $ -> s, ! -> i, only in a word that starts with a Latin letter, has
  2+ letters, a run of at most two such characters between two letters (f4gg0ts, p@y, h0m0), no digit run
  longer than two and no Arabizi digit (2 3 5 6 7 8 9: they are letters there). Numbers, prices, dates, phone
  numbers and IDs therefore keep their digits exactly.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sitr.text.translate import replacer

__all__ = ["NormalizedText", "arabic_fold", "normalize"]


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A folded view of `original`; offsets[i] is the index in `original` of the char that produced text[i]."""

    original: str
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries, non-decreasing, offsets[len(text)] == len(original)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the smallest [start, end) of `original` covering it.

        The end is stretched over what the last character absorbed: marks and deleted decoration right after
        it, and the rest of an elongated run (so a match of "gay" in "gaaaay" shows the whole word).
        """
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        offs = self.offsets
        o_start = offs[start]
        if end == start:
            return o_start, o_start
        last = offs[end - 1]
        limit = offs[end] if end < n else len(self.original)
        o_end = last + 1
        orig = self.original
        if o_end < limit:
            ref = orig[last].lower()
            while o_end < limit:
                ch = orig[o_end]
                if ch.lower() == ref or ch in _ABSORBED or unicodedata.category(ch)[0] == "M":
                    o_end += 1
                else:
                    break
        return o_start, max(o_end, o_start)


# --- character tables -------------------------------------------------------------------------------------

_TATWEEL = "\u0640"
# Deleted before NFKC (so canonical reordering of harakat is not needed) and again after it.
_DEL_PRE_CLASS = (
    "\u00ad\u034f\u061c\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u20e3\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e01ef"  # one astral range: faster
)
# Combining marks left over after NFKC are decoration (Zalgo, strike-through) once composition has happened.
_COMBINING_CLASS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_DEL_PRE = re.compile(f"[{_DEL_PRE_CLASS}]+")
_DEL_POST = re.compile(f"[{_DEL_PRE_CLASS}{_COMBINING_CLASS}]+")
# What a character may absorb after it when a span is mapped back (see to_original).
_ABSORBED = frozenset("\u034f\u0640\u20e3\ufe0e\ufe0f")

_ARABIC_FOLD: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ئ": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ۓ": "ي", "ێ": "ي",
    "ة": "ه", "ھ": "ه", "ہ": "ه", "ە": "ه", "ۃ": "ه", "ۀ": "ه",
    "ؤ": "و", "ۋ": "و", "ۆ": "و", "ۇ": "و",
    "ک": "ك", "ڪ": "ك",
    "گ": "ق", "ڨ": "ق", "ڭ": "ق", "ڧ": "ق",
    "چ": "ج", "ڤ": "ف", "ڥ": "ف", "پ": "ب", "ژ": "ز",
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
}  # fmt: skip
_LATIN_FOLD: dict[str, str] = {
    # typographic apostrophes and quotes
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u00b4": "'", "\u0060": "'", "\u2032": "'",
    # Latin look-alikes outside ASCII that NFKC leaves alone (small capitals, IPA letters, dotless i)
    "ı": "i", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʋ": "u",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    "\u2800": " ",  # braille blank, used as an invisible space
}  # fmt: skip
# Cyrillic and Greek look-alikes (lowercase, as they are after lowercasing), folded only inside Latin words.
_HOMOGLYPHS: dict[str, str] = {
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i",
    "ј": "j", "к": "k", "м": "m", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t", "у": "y",
    "ү": "y", "х": "x", "ԝ": "w", "ь": "b", "п": "n", "л": "n",
    "α": "a", "β": "b", "ε": "e", "έ": "é", "η": "n", "ι": "i", "ί": "i", "κ": "k", "ν": "v", "ο": "o",
    "ό": "o", "ρ": "p", "τ": "t", "υ": "u", "ύ": "u", "χ": "x", "γ": "y", "ω": "w", "ς": "s", "μ": "u",
    "ϲ": "c", "ϳ": "j",
}  # fmt: skip
_LEET: dict[str, str] = {"0": "o", "1": "i", "4": "a", "@": "a", "$": "s", "!": "i"}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd":
            table[cp] = str(unicodedata.digit(ch))
        elif ch.isspace():
            table[cp] = " "
    for cp in range(0x1D7CE, 0x1D800):  # mathematical digits (NFKC handles them too; cheap safety)
        table[cp] = str((cp - 0x1D7CE) % 10)
    for c in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f":
        table[ord(c)] = " "
    for src, dst in (*_ARABIC_FOLD.items(), *_LATIN_FOLD.items()):
        table[ord(src)] = dst
    return table


_FOLD = _build_fold_table()
# str.translate(_FOLD), faster: only the few distinct characters present are replaced (1:1).
_fold = replacer(_FOLD)


_HOMOGLYPH_TABLE = str.maketrans(_HOMOGLYPHS)
_LEET_TABLE = str.maketrans(_LEET)
_ARABIC_ONLY_FOLD = str.maketrans({**_ARABIC_FOLD})


def arabic_fold(text: str) -> str:
    """The Arabic letter folding of `normalize` alone (no offsets): for building lexicons and keys."""
    return _fold(_DEL_POST.sub("", text))


# --- regular expressions ----------------------------------------------------------------------------------

_EMOJI = (
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d\U0001f000-\U0001faff]"
)
_AR_LETTER = "[\u0621-\u063a\u0641-\u064a]"
_WS_COLLAPSE = re.compile(r"^ +| +$|(?<= ) +")
_TATWEEL_SPLIT = re.compile(f"(?<={_AR_LETTER}){_TATWEEL}+[ \t\u00a0]+{_TATWEEL}+(?={_AR_LETTER})")
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")
# Separators inside a word; the letter before the match is checked in Python (a leading lookbehind is slow).
_INNER_SEP = re.compile(rf"(?:[*·•]|{_EMOJI})+(?=[^\W\d_])|(?P<ar>[.\-_~+|]+)(?={_AR_LETTER})")
_TRIPLE = re.compile(r"(.)\1\1")
_INNER_HINT = re.compile(f"[*·•{_EMOJI[1:-1]}]")
_INNER_AR_HINT = re.compile(f"[.\\-_~+|]{_AR_LETTER}")
_SEP = f"[ .\\-_*·•|~+{_EMOJI[1:-1]}]"
# Searched in " " + s: the leading [^\w'] anchors the run without a slow lookbehind.
_SPACED_RUN = re.compile(rf"[^\w']([^\W_](?:{_SEP}{{1,3}}[^\W_](?![^\W_])){{2,}})")
# Cheap necessary conditions for a run (three searches with a literal or a class in front beat one alternation)
_SPACED_HINT_SPACE = re.compile(r" [^\W_] +[^\W_](?![^\W_])")
_SPACED_HINT_DOTS = re.compile(r"[.\-*·•|~+_] *[^\W_] *[.\-*·•|~+_]")
_SPACED_HINT_EMOJI = re.compile(f"{_EMOJI} *[^\\W_] *{_EMOJI}")
_SINGLE = re.compile(r"[^\W_]")
_EMOJI_RE = re.compile(_EMOJI)
# One-letter words that really occur in a row (fr "il y a à", Arabizi "w l f", en "a", "i", texting "u")
_STANDALONE = frozenset("aàâiîoôuyweblf3و")
_AR_HEADS = frozenset({"ال", "وال", "بال", "فال", "كال", "لل"})
_NUMBER_AROUND = re.compile(r"\d")
_CYR_GREEK = re.compile("[\u0370-\u03ff\u0400-\u052f]")
_CYR_GREEK_WORD = re.compile("[^\\W_]*[\u0370-\u03ff\u0400-\u052f][^\\W_]*")
_HAS_LATIN = re.compile("[a-zà-ÿ]")
_LEET_HINT = re.compile(r"[014@$!]{1,2}[a-zà-ÿ]")
_LEET_WORD = re.compile(r"(?<![\w@$!.])[a-zà-ÿ][a-zà-ÿ0-9@$!]*")
_LEET_BOUNDED = re.compile(r"[a-zà-ÿ][014@$!]{1,2}(?=[a-zà-ÿ])")
_DIGIT_RUN3 = re.compile(r"\d{3}")
_ARABIZI_DIGIT = re.compile(r"[2356789]")

_Edit = tuple[int, int, str]
_Base = Sequence[int]


# --- offset plumbing --------------------------------------------------------------------------------------


def _rebuild(s: str, base: _Base, edits: list[_Edit]) -> tuple[str, list[int]]:
    """Apply sorted, non-overlapping edits whose replacement is never longer than the span it replaces.

    Replacement characters take the offsets of the first characters of their span, so offsets stay monotone.
    """
    parts: list[str] = []
    new: list[int] = []
    pos = 0
    for a, b, repl in edits:
        parts.append(s[pos:a])
        new.extend(base[pos:a])
        if repl:
            parts.append(repl)
            new.extend(base[a : a + len(repl)])
        pos = b
    parts.append(s[pos:])
    new.extend(base[pos:])
    return "".join(parts), new


def _delete(s: str, base: _Base, pattern: re.Pattern[str]) -> tuple[str, _Base]:
    edits = [(m.start(), m.end(), "") for m in pattern.finditer(s)]
    if not edits:
        return s, base
    return _rebuild(s, base, edits)


def _nfkc(s: str, base: _Base) -> tuple[str, list[int]]:
    """NFKC cluster by cluster, so every output character knows which input character it came from.

    A cluster grows while normalizing it together with the next character differs from normalizing them apart
    (combining marks, Hangul jamo); ASCII never joins the cluster before it.
    """
    nf = unicodedata.normalize
    out: list[str] = []
    new: list[int] = []
    cluster_start = 0
    cluster = ""
    for i, ch in enumerate(s):
        if cluster and (ch.isascii() or nf("NFKC", cluster + ch) == nf("NFKC", cluster) + nf("NFKC", ch)):
            piece = nf("NFKC", cluster)
            out.append(piece)
            new.extend([base[cluster_start]] * len(piece))
            cluster, cluster_start = ch, i
        else:
            if not cluster:
                cluster_start = i
            cluster += ch
    if cluster:
        piece = nf("NFKC", cluster)
        out.append(piece)
        new.extend([base[cluster_start]] * len(piece))
    result = "".join(out)
    if not unicodedata.is_normalized("NFKC", result):  # pathological input: one cluster, coarse offsets
        result = nf("NFKC", s)
        new = [base[0]] * len(result) if s else []
    return result, new


def _lower(s: str, base: _Base) -> tuple[str, _Base]:
    low = s.lower()
    if low == s:
        return s, base
    if len(low) == len(s):
        return low, base
    out: list[str] = []
    new: list[int] = []
    for i, ch in enumerate(s):  # rare: a character whose lowercase is longer (İ)
        lc = ch.lower()
        out.append(lc)
        new.extend([base[i]] * len(lc))
    return "".join(out), new


# --- obfuscation stages (each returns edits in s coordinates; none means nothing to do) --------------------


def _elongation_edits(s: str) -> list[_Edit]:
    if not _TRIPLE.search(s):
        return []
    edits: list[_Edit] = []
    for m in _ELONGATED.finditer(s):
        ch = m.group(1)
        keep = 2 if ch in "eo" else 1
        if ch == "w" and s.startswith(".", m.end()):
            continue  # www.
        if m.end() - m.start() > keep:
            edits.append((m.start() + keep, m.end(), ""))
    return edits


def _inner_sep_edits(s: str) -> list[_Edit]:
    if s.isascii():
        if "*" not in s:  # the only ASCII character of _INNER_HINT
            return []
    elif not _INNER_HINT.search(s) and not _INNER_AR_HINT.search(s):
        return []
    edits: list[_Edit] = []
    for m in _INNER_SEP.finditer(s):
        a = m.start()
        if a == 0:
            continue
        prev = s[a - 1]
        if m.lastgroup == "ar" and not ("\u0621" <= prev <= "\u064a"):
            continue
        if prev.isalpha():
            edits.append((a, m.end(), ""))
    return edits


def _spaced_edits(s: str) -> list[_Edit]:
    padded = " " + s
    if not (_SPACED_HINT_SPACE.search(padded) or _spaced_hint_marks(s)):
        return []
    edits: list[_Edit] = []
    for m in _SPACED_RUN.finditer(padded):
        singles = [x.start() - 1 for x in _SINGLE.finditer(padded, m.start(1), m.end(1))]
        # split where the separator changes kind (z.w.a.m.e.l f: the dotted run ends before " f")
        group = [singles[0]]
        key = ""
        for p, q in itertools.pairwise(singles):
            k = _EMOJI_RE.sub("E", s[p + 1 : q]).replace(" ", "") or " "
            if group and k != key and len(group) > 1:
                _join_run(s, group, key, edits)
                group = [p]
            key = k
            group.append(q)
        _join_run(s, group, key, edits)
    return edits


def _spaced_hint_marks(s: str) -> bool:
    """_SPACED_HINT_DOTS or _SPACED_HINT_EMOJI matches; ASCII text needs one of the ASCII separators first."""
    if s.isascii():  # no emoji, and _SPACED_HINT_DOTS needs its separators: . - * | ~ + _ in ASCII
        if not ("." in s or "-" in s or "*" in s or "|" in s or "~" in s or "+" in s or "_" in s):
            return False
        return _SPACED_HINT_DOTS.search(s) is not None
    return _SPACED_HINT_DOTS.search(s) is not None or _SPACED_HINT_EMOJI.search(s) is not None


def _join_run(s: str, singles: list[int], key: str, edits: list[_Edit]) -> None:
    """Join one run of single characters that share a separator kind, if it looks like a spelled-out word."""
    chars = [s[p] for p in singles]
    if len(chars) < 3:
        return
    n_letters = sum(1 for c in chars if not c.isdigit())
    if (n_letters == 0 and len(chars) < 4) or n_letters == 1:
        return
    if key == " " and n_letters and all(c in _STANDALONE or c.isdigit() for c in chars):
        return  # "il y a à", "w l f": real one-letter words in a row
    arabic = all("\u0600" <= c <= "\u06ff" for c in chars)
    a, b = singles[0], singles[-1] + 1
    if arabic and len(chars) <= 3 and _plate_context(s, a, b):
        return
    if arabic and _arabic_head_before(s, a):
        edits.append((a - 1, a, ""))  # the space between an article-like head and the run
    for p, q in itertools.pairwise(singles):
        edits.append((p + 1, q, ""))


def _arabic_head_before(s: str, a: int) -> bool:
    """Is the word before position a (after one space) an article-like head: ال, وال, بال, لل, or ال + letter?"""
    if a < 3 or s[a - 1] != " ":
        return False
    start = s.rfind(" ", 0, a - 1) + 1
    head = s[start : a - 1]
    return head in _AR_HEADS or (len(head) == 3 and head.startswith("ال") and head[2].isalpha())


def _plate_context(s: str, a: int, b: int) -> bool:
    """Single Arabic letters right before or after a number: a licence plate, not a spaced word."""
    before = s[max(0, a - 2) : a]
    after = s[b : b + 2]
    return bool(_NUMBER_AROUND.search(before) or _NUMBER_AROUND.search(after))


def _homoglyph_edits(s: str) -> list[_Edit]:
    edits: list[_Edit] = []
    for m in _CYR_GREEK_WORD.finditer(s):
        word = m.group()
        if _HAS_LATIN.search(word):
            folded = word.translate(_HOMOGLYPH_TABLE)
            if folded != word:
                edits.append((m.start(), m.end(), folded))
    return edits


def _leet_edits(s: str) -> list[_Edit]:
    # _LEET_HINT starts with one of 0 1 4 @ $ !: substring tests rule most texts out faster than the regex
    if not ("0" in s or "1" in s or "4" in s or "@" in s or "$" in s or "!" in s) or _LEET_HINT.search(s) is None:
        return []
    if not any(m.start() and "a" <= s[m.start() - 1] <= "ÿ" for m in _LEET_HINT.finditer(s)):
        return []
    edits: list[_Edit] = []
    for m in _LEET_WORD.finditer(s):
        word = m.group().rstrip("!")
        if not _LEET_BOUNDED.search(word):
            continue
        if _ARABIZI_DIGIT.search(word) or _DIGIT_RUN3.search(word):
            continue
        end = m.start() + len(word)
        if s.startswith("@", end) or (s.startswith(".", end) and s[end + 1 : end + 2].isalpha()):
            continue  # part of an e-mail address or a domain
        letters = sum(1 for c in word if c.isalpha())
        if letters < 2:
            continue
        edits.append((m.start(), end, word.translate(_LEET_TABLE)))
    return edits


_STAGES: tuple[Callable[[str], list[_Edit]], ...] = (
    _inner_sep_edits,
    _spaced_edits,
    _homoglyph_edits,
    _leet_edits,
)


def _sorted_disjoint(edits: list[_Edit]) -> list[_Edit]:
    edits.sort()
    out: list[_Edit] = []
    last_end = -1
    for e in edits:
        if e[0] >= last_end:
            out.append(e)
            last_end = e[1]
    return out


# --- the entry point --------------------------------------------------------------------------------------


def normalize(text: str) -> NormalizedText:
    """Fold `text` into the view detectors match against, keeping exact offsets to `text`."""
    s = text
    base: _Base = range(len(text))
    if not s.isascii():
        if _TATWEEL in s:
            s, base = _delete(s, base, _TATWEEL_SPLIT)
        if not unicodedata.is_normalized("NFKC", s):
            # harakat out of canonical order, zero-width inside a composable pair: delete first, then NFKC
            s, base = _delete(s, base, _DEL_PRE)
            if not unicodedata.is_normalized("NFKC", s):
                s, base = _nfkc(s, base)
        s, base = _lower(s, base)
        s, base = _delete(s, base, _DEL_POST)
        s = _fold(s)
    else:
        s, base = _lower(s, base)
        s = _fold(s)
    edits = _elongation_edits(s)
    if edits:
        s, base = _rebuild(s, base, edits)
    for _ in range(4):  # stages can expose each other's patterns (a joined run that is elongated ...)
        changed = False
        for stage in _STAGES:
            if stage is _homoglyph_edits and (s.isascii() or not _CYR_GREEK.search(s)):
                continue
            edits = stage(s)
            if edits:
                s, base = _rebuild(s, base, _sorted_disjoint(edits))
                changed = True
        if not changed:
            break
        edits = _elongation_edits(s)
        if edits:
            s, base = _rebuild(s, base, edits)
    if "  " in s or s[:1] == " " or s[-1:] == " ":
        s, base = _delete(s, base, _WS_COLLAPSE)
    if not s.isascii() and not unicodedata.is_normalized("NFKC", s):
        s, base = _nfkc(s, base)
    if isinstance(base, range):
        n = len(text) + 1
        offsets = _IDENTITY[:n] if n <= len(_IDENTITY) else tuple(range(n))
    else:
        offsets = (*base, len(text))
    return NormalizedText(text, s, offsets)


_IDENTITY = tuple(range(4097))  # offsets of a text that needed no edit are a slice of this
