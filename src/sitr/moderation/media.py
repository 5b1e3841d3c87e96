"""Known images in the moderation service: an item's images against the enabled hash banks (issue 6).

Ingest calls this module so that it stays about recording:
- `scan_images` hashes an item's images (PDQ with the 8 turns and flips) and matches them against the banks of
  the one `BankStore` each `Services` gets (`bank_store`); an image that cannot be hashed refuses the item with
  the reason (never the data), because a silently ignored image could be exactly the one that matters;
- `analyze_with_media` hands each media signal to the analyser as an extra signal (fused per threat: max) and
  tells which threats the text alone detected;
- `case_severity` puts a victim-bank match above every text-only case, and at the very top of the queue when
  the text also shows extortion or outing.
Only hashes leave this module: the image bytes are dropped once hashed and are never stored or logged.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import sessionmaker

from sitr.media.banks import BankIndex, BankStore
from sitr.media.images import ImageError
from sitr.media.index import DEFAULT_MAX_DISTANCE
from sitr.media.pdq import MIN_QUALITY, PdqHash, hash_image
from sitr.media.signal import (
    DETECTOR,
    VERSION,
    ImageMatch,
    MediaReport,
    is_top_priority,
    media_severity,
    report_signal,
)
from sitr.moderation.context import Services
from sitr.moderation.errors import Invalid
from sitr.moderation.queue import TOP_PRIORITY_SEVERITY, VICTIM_MATCH_SEVERITY
from sitr.types import THREATS, Assessment, Item, Signal, ThreatScore

# Policy severities are 1..5 (sitr.policy.schema.ThreatRule); the queue's VICTIM_MATCH_SEVERITY (6, a victim's
# registered photo reposted) and TOP_PRIORITY_SEVERITY (7, the same with extortion or outing) sit above them.
TEXT_SEVERITY_MAX = 5

_STORE_ATTR = "_sitr_bank_store"
_store_lock = threading.Lock()


def bank_store(svc: Services) -> BankStore:
    """The BankStore of these services, created on first use so its cached match index is shared by all calls."""
    store = getattr(svc, _STORE_ATTR, None)
    if store is None:
        with _store_lock:
            store = getattr(svc, _STORE_ATTR, None)
            if store is None:
                store = BankStore(sessionmaker(svc.db.engine, expire_on_commit=False))
                setattr(svc, _STORE_ATTR, store)
    assert isinstance(store, BankStore)
    return store


def image_digests(images: Sequence[bytes]) -> list[str]:
    """SHA-256 of each image: lets the idempotency digest tell two items with different images apart."""
    return [hashlib.sha256(data).hexdigest() for data in images]


@dataclass(frozen=True, slots=True)
class ItemMedia:
    """What an item's images showed: their PDQ hashes, bank matches and the media signal; never the pixels."""

    hashes: tuple[PdqHash, ...]
    report: MediaReport
    signal: Signal | None

    @property
    def severity(self) -> str | None:
        """`critical` (victim bank), `high` (any other bank) or None (no match)."""
        return media_severity(self.signal)

    def record(self, text_threats: Sequence[str] = ()) -> dict[str, Any]:
        """The `media` entry of the stored assessment: hashes and matches only."""
        return {
            "detector": DETECTOR,
            "version": VERSION,
            "images": [{"pdq": h.hash, "quality": h.quality} for h in self.hashes],
            "low_quality": list(self.report.skipped),
            "matches": [_match_dict(m) for m in self.report.matches],
            "severity": self.severity,
            "top_priority": is_top_priority(self.signal, text_threats),
        }


def _match_dict(m: ImageMatch) -> dict[str, Any]:
    return {"image": m.image, **m.match.to_dict()}


def scan_items(svc: Services, images: Sequence[tuple[int, Sequence[bytes]]]) -> list[ItemMedia | None]:
    """`scan_images` for (item index, images) pairs with one bank-index check for the batch; None: no images."""
    banks: BankIndex | None = None
    out: list[ItemMedia | None] = []
    for item_index, pics in images:
        if not pics:
            out.append(None)
            continue
        if banks is None:
            banks = bank_store(svc).index()
        out.append(scan_images(svc, pics, item_index=item_index, banks=banks))
    return out


def scan_images(
    svc: Services,
    images: Sequence[bytes],
    *,
    item_index: int,
    banks: BankIndex | None = None,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    min_quality: int = MIN_QUALITY,
) -> ItemMedia:
    """Hash `images` and match them against the enabled banks; Invalid names the first image that cannot be used."""
    hashes: list[PdqHash] = []
    for j, data in enumerate(images):
        try:
            hashes.append(hash_image(data, dihedral=True))
        except ImageError as exc:
            raise Invalid(f"item {item_index}: image {j} refused ({exc.reason}): {exc}") from None
    index = banks if banks is not None else bank_store(svc).index()
    matches: list[ImageMatch] = []
    skipped: list[int] = []
    for j, h in enumerate(hashes):
        if h.quality < min_quality:  # too flat to trust: a match would be noise
            skipped.append(j)
            continue
        matches.extend(ImageMatch(j, m) for m in index.match_image(h, max_distance))
    report = MediaReport(tuple(matches), (), tuple(skipped), tuple(h.hash for h in hashes))
    return ItemMedia(tuple(hashes), report, report_signal(report, max_distance=max_distance))


def _uses_pipeline(svc: Services) -> bool:
    """Whether the services analyse with sitr's own pipeline, which fuses extra signals itself."""
    import sitr
    import sitr.pipeline

    return svc.analyzer is sitr.analyze or svc.analyzer is sitr.pipeline.analyze


def fuse(assessment: Assessment, signal: Signal) -> Assessment:
    """Fuse a media signal into an assessment the way the pipeline does: per threat the strongest signal wins.

    For analysers other than sitr's pipeline (embedders' own, tests'). A bank match within PDQ's distance scores
    0.75 or more, above every detection threshold, so a match that raises the score is a detection.
    """
    old = assessment.threats[signal.threat]
    threats = dict(assessment.threats)
    if signal.score > old.score:
        threats[signal.threat] = ThreatScore(signal.score, "high" if signal.score >= 0.85 else "medium", True)
    return replace(
        assessment,
        threats=threats,
        signals=(*assessment.signals, signal),
        versions={**assessment.versions, DETECTOR: VERSION},
    )


def _text_detected(assessment: Assessment) -> frozenset[str]:
    """Threats the text alone detected in a pipeline assessment that already holds a media signal."""
    from sitr.models.threat_model import shipped_model

    model = shipped_model()
    return frozenset(
        t
        for t in THREATS
        if max((s.score for s in assessment.signals if s.threat == t and s.detector != DETECTOR), default=0.0)
        >= model.threshold(t)
    )


def analyze_with_media(
    svc: Services, items: Sequence[Item], signals: Sequence[Signal | None]
) -> tuple[list[Assessment], list[frozenset[str]]]:
    """Assess `items` with `signals[i]` fused into item i's assessment; also the threats each text detected."""
    if not any(s is not None for s in signals):
        plain = svc.analyze_many(items)
        return plain, [frozenset(a.detected()) for a in plain]
    if _uses_pipeline(svc):
        from sitr.pipeline import analyze_batch

        fused = analyze_batch(list(items), extra_signals=[[s] if s is not None else [] for s in signals])
        out = [
            replace(a, versions={**a.versions, DETECTOR: VERSION}) if s is not None else a
            for a, s in zip(fused, signals, strict=True)
        ]
        text = [
            _text_detected(a) if s is not None else frozenset(a.detected()) for a, s in zip(out, signals, strict=True)
        ]
        return out, text
    base = svc.analyze_many(items)
    return (
        [fuse(a, s) if s is not None else a for a, s in zip(base, signals, strict=True)],
        [frozenset(a.detected()) for a in base],
    )


def case_severity(policy_severity: int, media: ItemMedia | None, text_threats: Sequence[str] | frozenset[str]) -> int:
    """The severity of an item and its case: the policy's, raised above every text-only case by a victim match."""
    if media is None or media.signal is None:
        return policy_severity
    if is_top_priority(media.signal, text_threats):
        return TOP_PRIORITY_SEVERITY
    if media.severity == "critical":
        return VICTIM_MATCH_SEVERITY
    return policy_severity


__all__ = [
    "TEXT_SEVERITY_MAX",
    "TOP_PRIORITY_SEVERITY",
    "VICTIM_MATCH_SEVERITY",
    "ItemMedia",
    "analyze_with_media",
    "bank_store",
    "case_severity",
    "fuse",
    "image_digests",
    "scan_images",
    "scan_items",
]
