"""What a detector is: the Document it reads, the Findings and Signals it emits, the protocols it follows.

Two kinds of detector run in order (Presidio's recognizers are the model):
- an Extractor finds evidence (a phone number, a slur, a demand verb) and emits Findings;
- a ThreatDetector reads the Document with every Finding and emits one Signal for its threat.
Each declares the languages it supports and a version that goes into every Assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, runtime_checkable

from sitr.text.normalize import NormalizedText
from sitr.types import Item, Signal, Span

ALL_LANGS: frozenset[str] = frozenset({"ar", "ar-Latn", "fr", "en", "mixed"})


class Finding(NamedTuple):
    """One piece of evidence. start/end index the ORIGINAL text of segment `message` (None for a post).

    `kind` is namespaced: `pii:phone`, `pii:national_id`, `lex:identity_pejorative`, `lex:demand`, ...
    `detail` carries a non-personal qualifier (a region code, a lexicon variety), never the matched text.
    A NamedTuple: several are built per item, at a third of a frozen dataclass's cost.
    """

    kind: str
    start: int
    end: int
    message: int | None = None
    score: float = 1.0
    detail: str = ""

    def span(self) -> Span:
        return Span(self.start, self.end, self.kind, self.message)


@dataclass(slots=True)
class Segment:
    """One text to analyse (a post, or one message of a conversation) in its views."""

    index: int | None  # message index, None for a single text
    sender: str | None
    norm: NormalizedText  # folded view of the original (Unicode, Arabic letters, digits, obfuscation)
    arabizi: NormalizedText | None  # Latin-script Arabic turned to Arabic script, when the segment has any
    lang: str

    @property
    def original(self) -> str:
        return self.norm.original


@dataclass(slots=True)
class Document:
    """An item prepared for detection; detectors read it, extractors append to `findings`."""

    item: Item
    segments: list[Segment]
    lang: str
    variety: str
    country_hint: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # Filled by the threat model stage: one calibrated score per threat, read by the threat detectors.
    model_scores: dict[str, float] = field(default_factory=dict)

    def kinds(self, prefix: str) -> list[Finding]:
        return [f for f in self.findings if f.kind.startswith(prefix)]


@runtime_checkable
class Extractor(Protocol):
    name: str
    version: str
    languages: frozenset[str]

    def extract(self, doc: Document) -> list[Finding]: ...


@runtime_checkable
class ThreatDetector(Protocol):
    name: str
    version: str
    threat: str
    languages: frozenset[str]

    def detect(self, doc: Document) -> Signal: ...
