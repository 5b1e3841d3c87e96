"""A cheap extractor for "an identifiable person is named here".

Outing needs an identifiable private person. Full named-entity recognition in Arabic dialects cannot ship
here (no pretrained weights), so this finds the forms exposure posts actually use: a given name followed by an
initial ("Zaid Q.", "عمرو ح."), "his name is X" / "اسمه X" / "il s'appelle X", and honorific + name. It
reports only positions, never the name.
"""

from __future__ import annotations

import re

from sitr.detect.base import ALL_LANGS, Document, Finding

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
        return out
