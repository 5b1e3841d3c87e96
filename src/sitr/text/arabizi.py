"""Arabizi (Latin-script Arabic) detection and its Arabic-script view.

Why: the same slur or threat is written شواذ in Arabic script and shawaz, sh4waz or chawaz in Arabizi. Turning
Arabizi words into Arabic script lets one Arabic lexicon and one set of character n-grams serve both.

How a word is judged Arabizi: a digit used as a letter inside it (3ayez, 7abibi, ma3, 2ollo), or a word of the
Arabizi list (data/arabizi.tsv). Words that are both Arabizi and common English or French (la, ma, men, law,
bas, fine) and words in no list take the side of their nearest sure neighbours, so "ya3ne shu, badna nsammi el
shawaz community? no, they're a disease" keeps its English words. Pure numbers are never touched.

How a word is transliterated: a fixed form from the list when there is one, otherwise letter rules --
2 -> ء (ا at the start or inside), 3 -> ع, 3' 8 gh -> غ, 5 7' kh -> خ, 6 -> ط, 6' -> ظ, 7 -> ح, 9 -> ق,
9' -> ض, sh ch -> ش, th -> ث, dh -> ذ, ou oo -> و, ee ii -> ي, aa -> ا; a vowel at the start -> ا; inside a
word short a e o u are dropped and i is kept (ي) unless a consonant cluster follows; at the end a -> ه (ا after h and in
short words), e i -> ي, o u -> و; doubled consonants are written once (Arabic script drops the shadda).
Standalone w, b, l, f, el, il, bel, fel, 3al ... are joined to the next Arabizi word as Arabic writes them
(w ana -> وانا, el shawaz -> الشواذ). It is lossy (vowels, emphatics): the point is shared n-grams and lexicon
hits, not a readable transcription. The result is folded like `normalize` output.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sitr.text._lexicon import arabizi_lexicon, latin_words
from sitr.text.normalize import NormalizedText

__all__ = ["arabizi_view", "has_arabizi", "is_arabizi_word", "transliterate_word"]

# A token: letters, digits, apostrophes. Bounded so it is never a piece of an accented or longer word.
_TOKEN = re.compile(r"(?<![\w@.])[a-z0-9']+(?![\w@]|\.\w)")  # not a piece of a handle or domain
_SIMPLE_WORD = re.compile(r"[a-z0-9]+")
_ANY_LATIN = re.compile("[a-zA-Z]")
_DIGIT_HINT = re.compile(r"[2356789][a-z]|[a-z][2356789]")
# A digit used as a letter: next to a letter, not part of a number of two or more digits.
_LETTER_DIGIT = re.compile(r"(?:(?<=[a-z'])|(?<![0-9]))[2356789](?![0-9])(?:(?<=[a-z][2356789])|(?=[a-z']))")
_UNIT_SUFFIX = re.compile(
    r"^\d+(?:st|nd|rd|th|am|pm|h|hr|hrs|k|km|kg|g|gb|mb|m|mn|min|mins|s|sec|x|d|dt|da|dh|dhs|jd|kd|qr|"
    r"aed|sar|usd|eur|egp|lbp|tnd|mad|dzd|iqd|jod|l|ml|cm|mm|p|ans|an|j|e|eme|er|ere)$"
)
_TECH = frozenset({"mp3", "mp4", "b2b", "b2c", "g7", "g20", "h24", "3d", "2d", "3g", "4g", "5g", "ps5", "ps2", "3ds",
                   "a380", "f16", "m16", "ak47", "covid19", "v60", "x5", "x6", "x7", "s7", "s8", "s9"})  # fmt: skip

_VOWELS = frozenset({"a", "e", "i", "o", "u", "aa", "ee", "ii", "ou", "oo", "ai", "ei"})
_UNIT = re.compile(r"[3796]'|sh|ch|kh|gh|th|dh|ou|oo|ee|ii|aa|ai|ei|.", re.S)
_CONSONANT: dict[str, str] = {
    "b": "ب", "p": "ب", "t": "ت", "th": "ث", "j": "ج", "g": "ج", "7": "ح", "kh": "خ", "5": "خ", "7'": "خ",
    "d": "د", "dh": "ذ", "r": "ر", "z": "ز", "s": "س", "sh": "ش", "ch": "ش", "9": "ق", "9'": "ض", "6": "ط",
    "6'": "ظ", "3": "ع", "3'": "غ", "gh": "غ", "8": "غ", "f": "ف", "v": "ف", "q": "ق", "k": "ك", "c": "ك",
    "l": "ل", "m": "م", "n": "ن", "h": "ه", "w": "و", "y": "ي", "x": "كس",
}  # fmt: skip
_LONG: dict[str, str] = {"aa": "ا", "ee": "ي", "ii": "ي", "ou": "و", "oo": "و", "ai": "ي", "ei": "ي"}
_FINAL: dict[str, str] = {"e": "ي", "i": "ي", "o": "و", "u": "و", **_LONG}
# Standalone Arabizi words that Arabic writes joined to the next word.
_PREFIXES: dict[str, str] = {
    "w": "و", "wa": "و", "o": "و", "b": "ب", "bi": "ب", "be": "ب", "l": "ل", "le": "ل", "f": "ف",
    "el": "ال", "al": "ال", "il": "ال",
    "bel": "بال", "bil": "بال", "fel": "في ال", "fil": "في ال", "wel": "وال", "lel": "لل", "lil": "لل",
    "3al": "عال", "l'": "ال", "el'": "ال",
}  # fmt: skip
_ELISION = re.compile(r"(?<=[a-z])'")
_SUN_ARTICLE = re.compile(r"^[ae]([bcdfjklmnrstz])\1(?=[a-z0-9])")

# token classes
_ARABIZI, _LATIN, _AMBIG, _UNKNOWN, _SKIP = 0, 1, 2, 3, 4


@lru_cache(maxsize=65536)
def _classify(tok: str) -> int:
    if tok.isdigit() or tok == "'":
        return _SKIP
    lex = arabizi_lexicon().varieties
    latin = latin_words()
    in_lex = tok in lex
    if tok in _TECH or _UNIT_SUFFIX.match(tok):
        return _AMBIG if in_lex else _SKIP  # 3am: Levantine عم, or three in the morning
    if _LETTER_DIGIT.search(tok) and any(c.isalpha() for c in tok):
        return _ARABIZI
    if in_lex:
        return _AMBIG if tok in latin else _ARABIZI
    if tok in latin:
        return _LATIN
    if any(c.isdigit() for c in tok):
        return _SKIP
    return _UNKNOWN


def is_arabizi_word(word: str) -> bool:
    """Is this single (lowercase) word Arabizi on its own, without context?"""
    return _classify(word) == _ARABIZI


def has_arabizi(text: str) -> bool:
    """Cheap test: does this text contain at least one word that is surely Latin-script Arabic?"""
    if _ANY_LATIN.search(text) is None:
        return False
    low = text.lower()
    words = _SIMPLE_WORD.findall(low)
    if not _arabizi_only().isdisjoint(words):
        return True
    return _has_letter_digit(low) and any(_classify(w) == _ARABIZI for w in words)


def _has_letter_digit(low: str) -> bool:
    """_DIGIT_HINT matches; substring tests first rule out the many texts without any of its digits."""
    if not ("2" in low or "3" in low or "5" in low or "6" in low or "7" in low or "8" in low or "9" in low):
        return False
    return _DIGIT_HINT.search(low) is not None


@lru_cache(maxsize=1)
def _arabizi_only() -> frozenset[str]:
    """Listed Arabizi words that are not also common English or French words."""
    latin = latin_words()
    words = arabizi_lexicon().varieties
    # one-letter words (w, b, l, f) are Arabizi but too weak alone: "w/ friends", "plan b"
    return frozenset(w for w in words if len(w) > 1 and w not in latin and _classify(w) == _ARABIZI)


def _spans(text: str) -> list[tuple[int, int, str]]:
    """Word tokens (start, end, token) with apostrophes split the way Arabizi and French use them."""
    if "'" not in text:
        return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        a, b = m.span()
        tok = m.group()
        if "'" not in tok:
            out.append((a, b, tok))
            continue
        # strip quotes around the word, keep 3' 7' 9' 6' (letters)
        while tok.startswith("'"):
            tok, a = tok[1:], a + 1
        while tok.endswith("'") and not (len(tok) > 1 and tok[-2] in "3796"):
            tok, b = tok[:-1], b - 1
        if not tok:
            continue
        if "'" not in tok or tok in latin_words():
            out.append((a, b, tok))
            continue
        # split after an elided letter: l'7ala -> l' + 7ala, t'es -> t' + es; keep 3'ali
        pos = 0
        for cut in _ELISION.finditer(tok):
            out.append((a + pos, a + cut.end(), tok[pos : cut.end()]))
            pos = cut.end()
        if pos < len(tok):
            out.append((a + pos, b, tok[pos:]))
    return out


def _resolve(classes: list[int]) -> list[bool]:
    """Which tokens to treat as Arabizi: sure ones, plus ambiguous/unknown ones their neighbours claim."""
    result = [c == _ARABIZI for c in classes]
    if _AMBIG not in classes and _UNKNOWN not in classes:
        return result
    n_ar = classes.count(_ARABIZI)
    n_lat = classes.count(_LATIN)
    n = len(classes)
    left: list[int] = [-1] * n  # nearest sure class on each side (-1: none)
    right: list[int] = [-1] * n
    last = -1
    for i, c in enumerate(classes):
        left[i] = last
        if c in (_ARABIZI, _LATIN):
            last = c
    last = -1
    for i in range(n - 1, -1, -1):
        right[i] = last
        c = classes[i]
        if c in (_ARABIZI, _LATIN):
            last = c
    for i, c in enumerate(classes):
        if c != _AMBIG and c != _UNKNOWN:
            continue
        lft, rgt = left[i], right[i]
        if lft != _LATIN and rgt != _LATIN and (lft == _ARABIZI or rgt == _ARABIZI):
            result[i] = True
        elif lft != _ARABIZI and rgt != _ARABIZI:
            result[i] = False
        else:
            result[i] = n_ar > n_lat if c == _UNKNOWN else n_ar >= n_lat
    return result


@lru_cache(maxsize=65536)
def transliterate_word(word: str) -> tuple[str, tuple[int, ...]]:
    """Arabic-script form of one Arabizi word, with for each output char the index of the input char."""
    fixed = arabizi_lexicon().arabic.get(word)
    if fixed is not None:
        # spread over the word so the first and last letters map to the word's first and last characters
        span = max(len(fixed) - 1, 1)
        return fixed, tuple(round(i * (len(word) - 1) / span) for i in range(len(fixed)))
    out: list[str] = []
    src: list[int] = []
    start = 0
    m = _SUN_ARTICLE.match(word)
    if m is not None and len(word) >= 5:
        out += ["ا", "ل"]
        src += [0, 0]
        start = 2  # the doubled consonant is written once, after the article
    units = [(u.start(), u.group()) for u in _UNIT.finditer(word, start)]
    n = len(units)
    prev_unit = ""
    for k, (pos, u) in enumerate(units):
        first = k == 0 and start == 0
        last = k == n - 1
        if u in _VOWELS:
            ch = _vowel(u, first, last, units, k, word)
        elif u == "2":
            ch = "ء" if last and k > 0 else "ا"
        elif u in _CONSONANT:
            ch = "" if u == prev_unit else _CONSONANT[u]  # gemination: written once
        elif u == "'":
            ch = ""
        else:
            ch = u  # a digit that is not a letter (4, 0, 1): kept
        prev_unit = u
        for c in ch:
            out.append(c)
            src.append(pos)
    text = "".join(out)
    if not text:
        return word, tuple(range(len(word)))
    return text, tuple(src)


def _vowel(u: str, first: bool, last: bool, units: list[tuple[int, str]], k: int, word: str) -> str:
    if first:
        return "ا" if len(u) == 1 or u == "aa" else "ا" + _LONG[u]
    if last:
        if u == "a":
            prev = units[k - 1][1] if k > 0 else ""
            return "ا" if prev == "h" or len(word) <= 3 else "ه"
        return _FINAL[u]
    if u in _LONG:
        return _LONG[u]
    if u == "i":
        # kept (ي) unless a consonant cluster closes the syllable: kif كيف, 7abibi حبيبي; mithli مثلي, bint بنت
        nxt = units[k + 1][1] if k + 1 < len(units) else ""
        after = units[k + 2][1] if k + 2 < len(units) else ""
        cluster = nxt not in _VOWELS and after != "" and after not in _VOWELS and after != nxt
        return "" if cluster else "ي"
    return ""


def arabizi_view(norm: NormalizedText) -> NormalizedText:
    """`norm` with its Arabizi words in Arabic script; offsets still index `norm.original`."""
    text = norm.text
    spans = _spans(text)
    if not spans:
        return norm
    classes = [_classify(tok) for _, _, tok in spans]
    if _ARABIZI not in classes:
        return norm
    chosen = _resolve(classes)
    parts: list[str] = []
    noffs = norm.offsets
    # for each output char, the offset (in norm.original) of the char of norm.text it comes from: text kept
    # as it is takes its offsets as a slice
    offs: list[int] = []
    pos = 0
    n = len(spans)
    for k in range(n):
        if not chosen[k]:
            continue
        a, b, tok = spans[k]
        if pos > a:
            continue  # already consumed as the word after a joined prefix
        parts.append(text[pos:a])
        offs.extend(noffs[pos:a])
        j = k
        while tok in _PREFIXES and j + 1 < n and chosen[j + 1] and text[b : spans[j + 1][0]] in ("", " "):
            arabic = _PREFIXES[tok]
            parts.append(arabic)
            offs.extend([noffs[a + min(i, b - a - 1)] for i in range(len(arabic))])
            # the space between prefix and word is dropped; the next word is written right here (w el shawaz)
            j += 1
            a, b, tok = spans[j]
        word, src = transliterate_word(tok)
        parts.append(word)
        offs.extend([noffs[a + i] for i in src])
        pos = b
    parts.append(text[pos:])
    offs.extend(noffs[pos:])  # the rest of the text and the final entry (len(norm.original))
    return NormalizedText(norm.original, "".join(parts), tuple(offs))
