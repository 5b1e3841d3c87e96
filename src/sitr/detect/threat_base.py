"""Shared shape of the five threat detectors: a calibrated score from the threat model plus the evidence
spans that explain it. Each threat's module names its evidence; the score comes from one model pass per
batch (sitr.models.threat_model) so five detectors do not vectorise the same text five times."""

from __future__ import annotations

from sitr.detect.base import ALL_LANGS, Document, Finding
from sitr.detect.features import author_segments
from sitr.types import Signal, Span

# Below this score a threat's evidence is not worth a reviewer's attention (every threshold is at least twice
# this), and skipping it saves the span building on the vast majority of benign items.
EVIDENCE_MIN_SCORE = 0.1


class ModelThreatDetector:
    threat: str = ""
    name: str = ""
    version: str = "1"
    languages: frozenset[str] = ALL_LANGS
    # Finding kinds that count as evidence for this threat (exact kinds or prefixes ending in ':').
    evidence: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._exact = frozenset(e for e in self.evidence if not e.endswith(":"))
        self._prefixes = tuple(e for e in self.evidence if e.endswith(":"))

    def detect(self, doc: Document) -> Signal:
        score = doc.model_scores.get(self.threat, 0.0)
        spans = self.spans(doc) if score >= EVIDENCE_MIN_SCORE else ()
        return Signal(self.threat, score, self.name, self.version, spans)

    def spans(self, doc: Document) -> tuple[Span, ...]:
        exact, prefixes = self._exact, self._prefixes
        found = [f for f in doc.findings if f.kind in exact or (prefixes and f.kind.startswith(prefixes))]
        if doc.item.is_conversation:
            authors = {s.index for s in author_segments(doc)}
            found = [f for f in found if f.message in authors]
        found.sort(key=_position)
        return tuple(f.span() for f in found)


def _position(f: Finding) -> tuple[int, int, int]:
    return (f.message or 0, f.start, f.end)
