"""PDQ hashing: format, stability under the edits copies go through, the 8 dihedral transforms, conversions."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from sitr.media.pdq import (
    DIHEDRAL_NAMES,
    HashFormatError,
    PdqHash,
    hamming,
    hash_image,
    hash_pixels,
    hex_to_words,
    normalize_hex,
    words_to_hex,
)


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A smooth, photo-like test image (random low-frequency colour field), generated at run time."""
    rng = np.random.default_rng(seed)
    base = (rng.random((9, 12, 3)) * 255).astype(np.uint8)
    return Image.fromarray(base).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))


def encode(im: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def test_hash_is_64_lowercase_hex_with_quality() -> None:
    h = hash_image(encode(photo(1)))
    assert len(h.hash) == 64 and h.hash == h.hash.lower()
    int(h.hash, 16)
    assert 0 <= h.quality <= 100 and h.reliable
    assert len(h.dihedral) == 8 and h.dihedral[0] == h.hash


def test_hash_is_deterministic_and_format_independent_for_lossless() -> None:
    im = photo(2)
    a = hash_image(encode(im, "PNG"))
    b = hash_image(encode(im, "BMP"))
    assert a.hash == b.hash
    assert hash_image(encode(im, "PNG")).hash == a.hash


def test_different_images_are_far_apart() -> None:
    assert hamming(hash_image(encode(photo(3))).hash, hash_image(encode(photo(4))).hash) > 64


def test_reencoded_resized_copy_stays_within_threshold() -> None:
    im = photo(5, (1200, 900))
    original = hash_image(encode(im)).hash
    copy = im.resize((500, 375), Image.Resampling.BILINEAR)
    jpeg = hash_image(encode(copy, "JPEG", quality=55)).hash
    assert hamming(original, jpeg) <= 31


# Pillow transpose -> position in DIHEDRAL_NAMES (PDQ's order).
TRANSFORMS = {
    Image.Transpose.ROTATE_90: 1,
    Image.Transpose.ROTATE_180: 2,
    Image.Transpose.ROTATE_270: 3,
    Image.Transpose.FLIP_TOP_BOTTOM: 4,
    Image.Transpose.FLIP_LEFT_RIGHT: 5,
    Image.Transpose.TRANSPOSE: 6,
    Image.Transpose.TRANSVERSE: 7,
}


@pytest.mark.parametrize("size", [(640, 480), (333, 500)])
@pytest.mark.parametrize("transpose", list(TRANSFORMS))
def test_turned_or_mirrored_copy_has_exactly_the_dihedral_hash(
    transpose: Image.Transpose, size: tuple[int, int]
) -> None:
    im = photo(6, size)
    original = hash_image(encode(im))
    turned = hash_image(encode(im.transpose(transpose)), dihedral=False).hash
    assert hamming(original.hash, turned) > 31, "the plain hash alone would miss this copy"
    assert original.dihedral[TRANSFORMS[transpose]] == turned


def test_reference_dihedral_is_approximate_for_flips() -> None:
    """Why `exact` is the default: PDQ's one-pass dihedral hashes drift for flips (its filters are asymmetric)."""
    im = photo(6)
    approx = hash_image(encode(im), exact=False)
    exact = hash_image(encode(im))
    assert approx.dihedral[0] == exact.dihedral[0] and approx.dihedral[6] == exact.dihedral[6]
    mirrored = hash_image(encode(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)), dihedral=False).hash
    assert hamming(approx.dihedral[5], mirrored) > hamming(exact.dihedral[5], mirrored) == 0


def test_dihedral_names_and_dict() -> None:
    h = hash_image(encode(photo(7)))
    d = h.to_dict()
    assert d["pdq"] == h.hash and set(d["dihedral"]) == set(DIHEDRAL_NAMES)  # type: ignore[arg-type]
    assert h.all_hashes()[0] == h.hash
    assert PdqHash("0" * 64, 10).all_hashes() == ("0" * 64,)


def test_flat_image_has_low_quality() -> None:
    h = hash_image(encode(Image.new("RGB", (200, 200), (120, 120, 120))))
    assert h.quality < 50 and not h.reliable


def test_hash_pixels_rejects_wrong_shape() -> None:
    with pytest.raises(ValueError):
        hash_pixels(np.zeros((10, 10), dtype=np.uint8))


def test_same_hash_as_threatexchange() -> None:
    """sitr's hash of an image (<= 1024 px, so not downscaled) is the hash Meta's python-threatexchange computes."""
    hasher = pytest.importorskip("threatexchange.signal_type.pdq.pdq_hasher")
    data = encode(photo(8, (800, 600)))
    te_hash, te_quality = hasher.pdq_from_bytes(data)
    h = hash_image(data, dihedral=False)
    assert (h.hash, h.quality) == (te_hash, te_quality)


@pytest.mark.parametrize("bad", ["", "xyz", "a" * 63, "a" * 65, "g" * 64, " " * 64, "0x" + "a" * 62])
def test_normalize_hex_rejects(bad: str) -> None:
    with pytest.raises(HashFormatError):
        normalize_hex(bad)


def test_normalize_hex_lowercases_and_strips() -> None:
    assert normalize_hex("  " + "AB" * 32 + "\n") == "ab" * 32


def test_hex_to_words_rejects_mixed_lengths() -> None:
    with pytest.raises(HashFormatError):
        hex_to_words(["a" * 62, "b" * 66])
    assert hex_to_words([]).shape == (0, 4)


hex_hashes = st.lists(st.binary(min_size=32, max_size=32).map(bytes.hex), min_size=1, max_size=20)


@settings(max_examples=50, deadline=None)
@given(hex_hashes)
def test_words_roundtrip(hashes: list[str]) -> None:
    w = hex_to_words(hashes)
    assert w.dtype == np.uint64 and w.shape == (len(hashes), 4)
    assert words_to_hex(w) == hashes
    # word 0 holds the first 16 hex characters (big-endian), as the index's substrings assume
    assert int(w[0, 0]) == int(hashes[0][:16], 16)


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.binary(min_size=32, max_size=32))
def test_hamming_is_popcount_of_xor(a: bytes, b: bytes) -> None:
    expected = sum(bin(x ^ y).count("1") for x, y in zip(a, b, strict=True))
    assert hamming(a.hex(), b.hex()) == expected
