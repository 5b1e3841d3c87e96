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


_LATIN_TOKEN = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ]{1,15}")
_ARABIC_TOKEN = re.compile(r"[\u0621-\u064A]{2,15}")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common MENA given names (Arabic script, already in normalized spelling, and Latin, lower case)."""
    text = resources.files("sitr.detect.names_data").joinpath("first_names.txt").read_text("utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(words)


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
            for pattern in _PATTERNS:
                for m in pattern.finditer(text):
                    out.append(Finding("name", m.start(), m.end(), seg.index))
            out.extend(self._known_names(seg.norm.text, seg, names=first_names()))
        return out

    @staticmethod
    def _known_names(normalized: str, seg: Segment, names: frozenset[str]) -> list[Finding]:
        """A capitalised Latin token or an Arabic token that is a common given name (`name:given`)."""
        found: list[Finding] = []
        original = seg.original
        for m in _LATIN_TOKEN.finditer(original):
            if m.group().lower() in names:
                found.append(Finding("name:given", m.start(), m.end(), seg.index))
        for m in _ARABIC_TOKEN.finditer(normalized):
            word = m.group()
            if word in names or (len(word) > 3 and word[0] in "وبل" and word[1:] in names):
                start, end = seg.norm.to_original(m.start(), m.end())
                found.append(Finding("name:given", start, end, seg.index))
        return found
