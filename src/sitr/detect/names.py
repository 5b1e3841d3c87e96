"""A cheap extractor for "an identifiable person is named here".

Outing needs an identifiable private person. Full named-entity recognition in Arabic dialects cannot ship
here (no pretrained weights), so this finds the forms exposure posts actually use: a given name followed by an
initial ("Zaid Q.", "عمرو ح."), "his name is X" / "اسمه X" / "il s'appelle X", and honorific + name. It
reports only positions, never the name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import ahocorasick

from sitr.detect.base import ALL_LANGS, Document, Finding, Segment

_LATIN_NAME = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]{1,20}"
_AR_WORD = r"[\u0621-\u064A]{2,15}"
_AR_LETTER = r"[\u0621-\u064A]"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Given name + initial: "Zaid Q.", "Élie G."
    re.compile(rf"\b{_LATIN_NAME} [A-ZÀ-Þ]\.(?!\w)"),
    # Arabic given name + initial letter and dot: "عمرو ح."
    re.compile(rf"(?<![\u0621-\u064A]){_AR_WORD} {_AR_LETTER}\."),
    # "his/her name is X", "named X", "called X"
    re.compile(rf"\b(?:[Hh]is|[Hh]er|[Tt]heir) (?:real |full )?name(?: is|'s|:) ?{_LATIN_NAME}"),
    re.compile(rf"\b(?:[Nn]amed|[Cc]alled) {_LATIN_NAME}"),
    re.compile(rf"\b(?:s'appelle|s’appelle|nommée?|prénom(?: est)?) {_LATIN_NAME}"),
    # Arabic "اسمه/اسمها/يدعى X"
    re.compile(rf"(?:اسمه|اسمها|إسمه|إسمها|يدعى|تدعى|اسمو|اسمهه)\s*[:：]?\s*{_AR_WORD}"),
    # Arabizi "esmo X", "ismou X"
    re.compile(rf"\b(?:esmo|esmou|ismo|ismou|ismuh|esmha|ismha|smito|smitou) {_LATIN_NAME}", re.IGNORECASE),
)


def _hint_automaton() -> ahocorasick.Automaton:
    """Cheap necessary conditions of the patterns above: substrings, each naming the patterns (by index) that
    cannot match without it. One pass tells which few patterns need to run on a text; usually none."""
    hints: dict[str, set[int]] = {}

    def add(index: int, *keys: str) -> None:
        for key in keys:
            hints.setdefault(key, set()).add(index)

    add(0, *(f" {c}." for c in _class_chars("A-Z\u00c0-\u00de")))  # " Q." in "Zaid Q."
    add(1, *(f" {c}." for c in _class_chars("\u0621-\u064a")))  # " ح." in "عمرو ح."
    add(2, "name")
    add(3, "amed ", "alled ")
    add(4, "appelle ", "nom")
    add(5, "سم", "دعى")
    add(6, "sm", "Sm", "sM", "SM", "\u017fm", "\u017fM")  # what "sm" matches ignoring case (ſ is a long s)
    auto = ahocorasick.Automaton()
    for key, indexes in hints.items():
        auto.add_word(key, tuple(sorted(indexes)))
    auto.make_automaton()
    return auto


def _class_chars(ranges: str) -> list[str]:
    """The characters of a regex class body such as "A-Z\u00c0-\u00de" (ranges only)."""
    pattern = re.compile(f"[{ranges}]")
    return [chr(c) for c in range(0x10000) if pattern.match(chr(c))]


_HINTS = _hint_automaton()


_LATIN_TOKEN = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ]{1,15}")
_ARABIC_TOKEN = re.compile(r"[\u0621-\u064A]{2,15}")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common MENA given names (Arabic script, already in normalized spelling, and Latin, lower case)."""
    text = resources.files("sitr.detect.names_data").joinpath("first_names.txt").read_text("utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(words)


@lru_cache(maxsize=4)
def _arabic_keys(names: frozenset[str]) -> frozenset[str]:
    """Every Arabic token that counts as a name: a name, or و/ب/ل + a name when the whole is over 3 letters."""
    return names | frozenset(c + w for c in "وبل" for w in names if len(w) + 1 > 3)


class NameExtractor:
    name = "names"
    version = "1"
    languages = ALL_LANGS

    def extract(self, doc: Document) -> list[Finding]:
        out: list[Finding] = []
        for seg in doc.segments:
            text = seg.original
            if len(text) < 4:
                continue
            candidates = {i for _, indexes in _HINTS.iter(text) for i in indexes}
            for i in sorted(candidates):
                for m in _PATTERNS[i].finditer(text):
                    out.append(Finding("name", m.start(), m.end(), seg.index))
            out.extend(self._known_names(seg.norm.text, seg, names=first_names()))
        return out

    @staticmethod
    def _known_names(normalized: str, seg: Segment, names: frozenset[str]) -> list[Finding]:
        """A capitalised Latin token or an Arabic token that is a common given name (`name:given`)."""
        found: list[Finding] = []
        original = seg.original
        if not names.isdisjoint(map(str.lower, _LATIN_TOKEN.findall(original))):
            for m in _LATIN_TOKEN.finditer(original):
                if m.group().lower() in names:
                    found.append(Finding("name:given", m.start(), m.end(), seg.index))
        if normalized.isascii():  # no Arabic token
            return found
        keys = _arabic_keys(names)
        if not keys.isdisjoint(_ARABIC_TOKEN.findall(normalized)):
            for m in _ARABIC_TOKEN.finditer(normalized):
                if m.group() in keys:
                    start, end = seg.norm.to_original(m.start(), m.end())
                    found.append(Finding("name:given", start, end, seg.index))
        return found
