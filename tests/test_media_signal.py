"""The media signal: an item's images against the banks, severity and queue priority."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter

from sitr.media.banks import BankIndex, BankInfo
from sitr.media.pdq import hash_image
from sitr.media.signal import (
    DETECTOR,
    is_top_priority,
    match_images,
    media_severity,
    media_signal,
    media_spans,
)

VICTIMS = BankInfo(1, "victims", "victim_submitted", "outing", None, None, True, 0)
EXTORTION = BankInfo(2, "ext", "known_extortion", "extortion", None, None, True, 0)


def photo(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    rng = np.random.default_rng(seed)
    base = (rng.random((9, 12, 3)) * 255).astype(np.uint8)
    return Image.fromarray(base).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))


def encode(im: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def banks() -> BankIndex:
    victim_hash = hash_image(encode(photo(1)), dihedral=False).hash
    extortion_hash = hash_image(encode(photo(2)), dihedral=False).hash
    return BankIndex.from_entries([(VICTIMS, 1, victim_hash), (EXTORTION, 2, extortion_hash)])


def test_mirrored_recompressed_victim_photo_is_caught() -> None:
    copy = photo(1).transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize((400, 300))
    images = [encode(photo(9)), encode(copy, "JPEG", quality=60)]
    sig = media_signal(images, banks())
    assert sig is not None
    assert (sig.threat, sig.detector) == ("outing", DETECTOR)
    [(image, purpose, distance)] = media_spans(sig)
    assert (image, purpose) == (1, "victim_submitted") and distance <= 31
    assert 0.75 <= sig.score <= 1.0
    assert media_severity(sig) == "critical"
    assert is_top_priority(sig, ["extortion"]) and is_top_priority(sig, {"outing", "doxxing"})
    assert not is_top_priority(sig, ["harassment"])


def test_extortion_bank_match_is_high_not_critical() -> None:
    sig = media_signal([encode(photo(2).rotate(90, expand=True))], banks())
    assert sig is not None and sig.threat == "extortion"
    assert media_severity(sig) == "high" and not is_top_priority(sig, ["extortion"])


def test_victim_match_outranks_other_matches() -> None:
    sig = media_signal([encode(photo(2)), encode(photo(1))], banks())
    assert sig is not None and sig.threat == "outing"
    assert [p for _, p, _ in media_spans(sig)] == ["victim_submitted", "known_extortion"]
    assert sig.to_dict()["spans"][0]["kind"].startswith("media:victim_submitted:d")  # type: ignore[index]


def test_no_match_no_signal() -> None:
    assert media_signal([encode(photo(5))], banks()) is None
    assert media_signal([], banks()) is None
    assert media_severity(None) is None and not is_top_priority(None, ["extortion"])


def test_bad_and_flat_images_are_reported_not_raised() -> None:
    flat = encode(Image.new("RGB", (100, 100), (10, 10, 10)))
    report = match_images([b"garbage", flat, encode(photo(1))], banks())
    assert report.errors == ((0, "not_an_image"),)
    assert report.skipped == (1,)
    assert report.victim_match and [m.image for m in report.matches] == [2]
    assert report.hashes[0] is None and report.hashes[2] is not None
