"""The media signal: what an item's images say once matched against the hash banks.

The lead wires this into `analyze` and the queue. Conventions:
- the signal's threat is the matched bank's threat (by default outing for victim-submitted photos, extortion for
  known extortion material and partner-shared hashes), its detector is `media_pdq`;
- its spans do not index text: a media span has kind `media:<purpose>:d<distance>`, and `start`/`end` are the
  position of the image in the item's `images` list (`end = start + 1`), `message` is None;
- severity: a victim-bank match is `critical`, any other match `high` (`media_severity`); a victim-bank match
  together with a detected extortion or outing signal puts the item at the top of the queue (`is_top_priority`).
Images that cannot be decoded, or whose hash quality is too low to trust, are skipped and reported in
`MediaReport.errors` / `.skipped` rather than failing the whole item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sitr.media.banks import BankIndex, Match
from sitr.media.images import ImageError
from sitr.media.index import DEFAULT_MAX_DISTANCE
from sitr.media.pdq import MIN_QUALITY, hash_image
from sitr.types import Signal, Span

DETECTOR = "media_pdq"
VERSION = "1"
VICTIM_PURPOSE = "victim_submitted"
TOP_PRIORITY_THREATS = frozenset({"extortion", "outing"})


@dataclass(frozen=True, slots=True)
class ImageMatch:
    image: int  # position in the item's images list
    match: Match


@dataclass(frozen=True, slots=True)
class MediaReport:
    """Every match of every image, plus which images could not be used and why (reason codes, no content)."""

    matches: tuple[ImageMatch, ...] = ()
    errors: tuple[tuple[int, str], ...] = ()
    skipped: tuple[int, ...] = ()  # images hashed but with quality below the minimum
    hashes: tuple[str | None, ...] = field(default=())

    @property
    def victim_match(self) -> bool:
        return any(m.match.purpose == VICTIM_PURPOSE for m in self.matches)


def match_images(
    images: Sequence[bytes],
    banks: BankIndex,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    min_quality: int = MIN_QUALITY,
) -> MediaReport:
    """Hash each image (with its 8 rotations and flips) and match it against the banks."""
    matches: list[ImageMatch] = []
    errors: list[tuple[int, str]] = []
    skipped: list[int] = []
    hashes: list[str | None] = []
    for i, data in enumerate(images):
        try:
            h = hash_image(data, dihedral=True)
        except ImageError as exc:
            errors.append((i, exc.reason))
            hashes.append(None)
            continue
        hashes.append(h.hash)
        if h.quality < min_quality:
            skipped.append(i)
            continue
        matches.extend(ImageMatch(i, m) for m in banks.match_image(h, max_distance))
    return MediaReport(tuple(matches), tuple(errors), tuple(skipped), tuple(hashes))


def _score(match: Match, max_distance: int) -> float:
    # Within PDQ's confident threshold every match is strong evidence; closer is stronger, exact is 1.0.
    return round(1.0 - 0.25 * match.distance / (max(max_distance, 1) + 1), 4)


def report_signal(report: MediaReport, *, max_distance: int = DEFAULT_MAX_DISTANCE) -> Signal | None:
    """The one media Signal of an item: threat of the strongest match, one span per (image, bank purpose)."""
    if not report.matches:
        return None

    def rank(m: ImageMatch) -> tuple[int, int, int]:
        return (0 if m.match.purpose == VICTIM_PURPOSE else 1, m.match.distance, m.image)

    ordered = sorted(report.matches, key=rank)
    best = ordered[0]
    spans: list[Span] = []
    seen: set[tuple[int, str]] = set()
    for m in ordered:
        key = (m.image, m.match.purpose)
        if key in seen:
            continue
        seen.add(key)
        spans.append(Span(m.image, m.image + 1, f"media:{m.match.purpose}:d{m.match.distance}"))
    return Signal(
        threat=best.match.threat,
        score=_score(best.match, max_distance),
        detector=DETECTOR,
        version=VERSION,
        spans=tuple(spans),
    )


def media_signal(
    images: Sequence[bytes],
    banks: BankIndex,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    min_quality: int = MIN_QUALITY,
) -> Signal | None:
    """A media Signal for an item's images, or None when no image matches a bank."""
    return report_signal(
        match_images(images, banks, max_distance=max_distance, min_quality=min_quality), max_distance=max_distance
    )


def media_spans(signal: Signal) -> list[tuple[int, str, int]]:
    """(image index, bank purpose, distance) of each span of a media signal."""
    out = []
    for s in signal.spans:
        _, purpose, dist = s.kind.split(":")
        out.append((s.start, purpose, int(dist[1:])))
    return out


def media_severity(signal: Signal | None) -> str | None:
    """`critical` when a victim-submitted photo is reposted, `high` for any other bank match, None otherwise."""
    if signal is None or signal.detector != DETECTOR:
        return None
    if any(purpose == VICTIM_PURPOSE for _, purpose, _ in media_spans(signal)):
        return "critical"
    return "high"


def is_top_priority(signal: Signal | None, detected_threats: Iterable[str]) -> bool:
    """A victim-bank match together with an extortion or outing finding goes to the top of the queue."""
    return media_severity(signal) == "critical" and bool(TOP_PRIORITY_THREATS & set(detected_threats))
