"""PDQ perceptual hashes: computing them (with the eight rotations and flips) and their representations.

Hashing is done by `pdqhash`, the Python binding of Meta's reference C++ PDQ that python-threatexchange and HMA
themselves use, so a hash sitr computes is the hash a partner's HMA computes for the same pixels.
A hash is 256 bits: 64 lowercase hex characters outside, 4 big-endian uint64 words inside (`index.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pdqhash

from sitr.media.images import MAX_HASH_SIDE, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, decode_image

HASH_BITS = 256
HEX_LEN = 64
WORDS = 4
# Meta's guidance: hashes with quality below 50 come from flat or featureless images and match too much.
MIN_QUALITY = 50
# The order pdqhash.compute_dihedral returns (the reference implementation's order).
DIHEDRAL_NAMES: tuple[str, ...] = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flip_x",
    "flip_y",
    "flip_plus1",
    "flip_minus1",
)
PDQ_VERSION = "pdqhash-" + str(getattr(pdqhash, "__version__", "unknown"))

_HEX_RE = re.compile(r"^[0-9a-fA-F]{64}$")

Words = npt.NDArray[np.uint64]


class HashFormatError(ValueError):
    """A string that is not a PDQ hash (64 hexadecimal characters)."""


@dataclass(frozen=True, slots=True)
class PdqHash:
    """One image's PDQ hash, its quality (0-100) and, when asked for, the hashes of its 8 dihedral transforms."""

    hash: str
    quality: int
    dihedral: tuple[str, ...] = ()

    @property
    def reliable(self) -> bool:
        return self.quality >= MIN_QUALITY

    def all_hashes(self) -> tuple[str, ...]:
        """Every distinct hash to query with: the dihedral set when computed, else the hash alone."""
        if not self.dihedral:
            return (self.hash,)
        return tuple(dict.fromkeys(self.dihedral))

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"pdq": self.hash, "quality": self.quality}
        if self.dihedral:
            d["dihedral"] = dict(zip(DIHEDRAL_NAMES, self.dihedral, strict=True))
        return d


def normalize_hex(value: str) -> str:
    """A PDQ hash as 64 lowercase hex characters, or HashFormatError."""
    if not isinstance(value, str):
        raise HashFormatError("a PDQ hash must be a string")
    v = value.strip()
    if not _HEX_RE.match(v):
        raise HashFormatError("a PDQ hash is 64 hexadecimal characters")
    return v.lower()


def is_hex_hash(value: str) -> bool:
    return isinstance(value, str) and bool(_HEX_RE.match(value.strip()))


def hex_to_words(hashes: Sequence[str]) -> Words:
    """Pack hex hashes into an (n, 4) uint64 array; word 0 holds the first 16 hex characters."""
    n = len(hashes)
    if n == 0:
        return np.zeros((0, WORDS), dtype=np.uint64)
    try:
        raw = bytes.fromhex("".join(hashes))
    except ValueError:
        raise HashFormatError("a PDQ hash is 64 hexadecimal characters") from None
    if len(raw) != 32 * n or any(len(h) != HEX_LEN for h in hashes):
        raise HashFormatError("a PDQ hash is 64 hexadecimal characters")
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(n, WORDS)


def words_to_hex(words: Words) -> list[str]:
    """The inverse of hex_to_words."""
    w = np.ascontiguousarray(np.asarray(words, dtype=np.uint64).reshape(-1, WORDS)).astype(">u8")
    raw = w.tobytes()
    return [raw[i : i + 32].hex() for i in range(0, len(raw), 32)]


def hamming(a: str, b: str) -> int:
    """Hamming distance between two hex hashes."""
    return (int(normalize_hex(a), 16) ^ int(normalize_hex(b), 16)).bit_count()


def _bits_to_hex(bits: npt.NDArray[np.integer]) -> str:
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def hash_pixels(rgb: npt.NDArray[np.uint8], *, dihedral: bool = True, exact: bool = True) -> PdqHash:
    """PDQ of an (h, w, 3) uint8 RGB array, with the hashes of its 8 rotations and flips when `dihedral`.

    PDQ's reference dihedral hashes (one pass, `exact=False`) are derived from the DCT of the original; only the
    transpose is exact, because the box filters PDQ downsamples with are not symmetric under a flip. A mirrored or
    turned copy then lands 10-30 bits away from the predicted hash, eating most of the 31-bit match budget. With
    `exact` (the default) the flips are done on the pixels: four passes (original, mirrored left-right, upside
    down, both), each giving its own hash and, exactly, its transpose; together the eight transforms.
    """
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    if arr.ndim != 3 or arr.shape[2] != 3 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError("expected an (h, w, 3) RGB array")
    if not dihedral:
        vector, quality = pdqhash.compute(arr)
        return PdqHash(hash=_bits_to_hex(vector), quality=int(quality))
    vectors, quality = pdqhash.compute_dihedral(arr)
    hexes = [_bits_to_hex(v) for v in vectors]
    if exact:
        # slot 6 (flip_plus1) of a pass is that pass's image transposed, which PDQ computes exactly.
        lr, _ = pdqhash.compute_dihedral(np.ascontiguousarray(arr[:, ::-1]))  # -> flip_y, and rotate90
        ud, _ = pdqhash.compute_dihedral(np.ascontiguousarray(arr[::-1]))  # -> flip_x, and rotate270
        both, _ = pdqhash.compute_dihedral(np.ascontiguousarray(arr[::-1, ::-1]))  # -> rotate180, flip_minus1
        hexes = [
            hexes[0],
            _bits_to_hex(lr[6]),
            _bits_to_hex(both[0]),
            _bits_to_hex(ud[6]),
            _bits_to_hex(ud[0]),
            _bits_to_hex(lr[0]),
            hexes[6],
            _bits_to_hex(both[6]),
        ]
    return PdqHash(hash=hexes[0], quality=int(quality), dihedral=tuple(hexes))


def hash_image(
    data: bytes,
    *,
    dihedral: bool = True,
    exact: bool = True,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_pixels: int = MAX_IMAGE_PIXELS,
    max_side: int = MAX_HASH_SIDE,
) -> PdqHash:
    """PDQ of untrusted image bytes. Raises an `ImageError` subclass for anything that cannot be hashed."""
    decoded = decode_image(data, max_bytes=max_bytes, max_pixels=max_pixels, max_side=max_side)
    try:
        pixels = np.asarray(decoded.image, dtype=np.uint8)
    finally:
        decoded.image.close()
    return hash_pixels(pixels, dihedral=dihedral, exact=exact)


def hash_images(images: Iterable[bytes], *, dihedral: bool = True) -> list[PdqHash]:
    return [hash_image(b, dihedral=dihedral) for b in images]
