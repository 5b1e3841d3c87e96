"""The lexicon extractor: every lexicon category found in every segment becomes a `lex:<category>` Finding.

Threat detectors read these as evidence (a slur, a call to violence, a workplace cue); the Finding carries
the lexicon variety as detail, never the matched text.
"""

from __future__ import annotations

from sitr.detect.base import ALL_LANGS, Document, Finding
from sitr.lexicons.matcher import CATEGORIES, Lexicon, default_lexicon


class LexiconExtractor:
    """Runs the lexicon matcher on each segment's normalized text and its Arabizi view."""

    name = "lexicon"
    languages = ALL_LANGS

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        # The version moves with the word lists, so an assessment records which lists produced it.
        self.version = f"1+{self.lexicon.fingerprint}"

    def extract(self, doc: Document) -> list[Finding]:
        out: list[Finding] = []
        kinds = _KINDS
        variety_of = self.lexicon.variety_of
        for seg in doc.segments:
            index = seg.index
            for category, _, start, end, eid in self.lexicon.located(seg.norm, seg.arabizi):
                out.append(Finding(kinds[category], start, end, index, 1.0, variety_of[eid]))
        return out


class _Kinds(dict[str, str]):
    """category -> "lex:<category>", built once per category."""

    def __missing__(self, category: str) -> str:
        kind = self[category] = f"lex:{category}"
        return kind


_KINDS = _Kinds({category: f"lex:{category}" for category in CATEGORIES})
