"""The lexicon extractor: every lexicon category found in every segment becomes a `lex:<category>` Finding.

Threat detectors read these as evidence (a slur, a call to violence, a workplace cue); the Finding carries
the lexicon variety as detail, never the matched text.
"""

from __future__ import annotations

from sitr.detect.base import ALL_LANGS, Document, Finding
from sitr.lexicons.matcher import Lexicon, default_lexicon


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
        for seg in doc.segments:
            for m in self.lexicon.match(seg.norm, arabizi=seg.arabizi):
                out.append(Finding(f"lex:{m.category}", m.start, m.end, seg.index, 1.0, m.variety))
        return out
