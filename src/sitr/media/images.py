"""Safe decoding of untrusted images: every failure is an `ImageError` with a reason, never a crash.

Images arrive from the people sitr protects and from the people attacking them, so the decoder is treated as an
attack surface:
- a byte limit is enforced before anything is parsed;
- only a short list of Pillow plugins may identify the data (no EPS/Ghostscript, no PDF, no exotic parsers);
- the pixel count is read from the header and checked BEFORE any pixel is decoded (decompression bombs);
- JPEGs are decoded at a reduced scale when large and every image is shrunk to `max_side` before hashing, so
  memory stays bounded whatever the file claims;
- truncated or corrupt data raises `CorruptImageError` (Pillow's LOAD_TRUNCATED_IMAGES is never enabled).
Messages never quote file content or paths' contents, only what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000
# JPEGs are decoded at 1/2-1/8 scale by libjpeg when large (draft mode), so a 108-megapixel phone photo costs
# ~40 MB, not 320 MB: they may claim more pixels than formats that must be decoded at full size. (Pillow's own
# bomb check refuses anything over 2 x Image.MAX_IMAGE_PIXELS, ~179M, whatever we allow; we leave that global.)
MAX_JPEG_PIXELS = 150_000_000
# PDQ downsamples to 64x64 with box filters; measured: shrinking to 1024 px first moves a hash by <= 4 bits of
# 256, shrinking to 512 px by up to 12. 1024 keeps matches tight and the float buffers PDQ allocates at ~8 MB.
MAX_HASH_SIDE = 1024
MAX_IMAGES_PER_ITEM = 16

# Pillow format names we let identify data. Each is common on social platforms and has a well-exercised decoder.
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "GIF", "WEBP", "BMP")

# Magic numbers of formats we recognise but refuse, so the error can say "unsupported" rather than "not an image".
_KNOWN_UNSUPPORTED: tuple[tuple[bytes, int, str], ...] = (
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"%PDF", 0, "PDF"),
    (b"%!PS", 0, "PostScript/EPS"),
    (b"\xc5\xd0\xd3\xc6", 0, "EPS"),
    (b"8BPS", 0, "PSD"),
    (b"\x00\x00\x01\x00", 0, "ICO"),
    (b"icns", 0, "ICNS"),
    (b"\x00\x00\x00\x0cjP  ", 0, "JPEG 2000"),
    (b"\xff\x4f\xff\x51", 0, "JPEG 2000"),
    (b"\xff\x0a", 0, "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", 0, "JPEG XL"),
    (b"qoif", 0, "QOI"),
    (b"DDS ", 0, "DDS"),
    (b"gimp xcf", 0, "XCF"),
)
_FTYP_BRANDS: dict[bytes, str] = {
    b"heic": "HEIC",
    b"heix": "HEIC",
    b"hevc": "HEIC",
    b"mif1": "HEIF",
    b"msf1": "HEIF",
    b"avif": "AVIF",
    b"avis": "AVIF",
}
_SVG_RE = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE svg|<svg)", re.IGNORECASE | re.DOTALL)


class ImageError(ValueError):
    """An image sitr cannot hash. `reason` is a short machine-readable code, the message explains it."""

    reason = "invalid"


class ImageTooLargeError(ImageError):
    """The file is bigger than the byte limit."""

    reason = "too_large"


class DecompressionBombError(ImageError):
    """The header claims more pixels than the limit: decoding it could exhaust memory."""

    reason = "too_many_pixels"


class UnsupportedFormatError(ImageError):
    """A real image format, but not one sitr decodes."""

    reason = "unsupported_format"


class NotAnImageError(ImageError):
    """The data is not an image at all."""

    reason = "not_an_image"


class CorruptImageError(ImageError):
    """An image format was recognised but the data is truncated or damaged."""

    reason = "corrupt"


@dataclass(frozen=True, slots=True)
class DecodedImage:
    """RGB pixels ready for hashing plus what the header said (the original size, before any downscale)."""

    image: Image.Image
    format: str
    width: int
    height: int


def sniff_unsupported(data: bytes) -> str | None:
    """Name a known but unsupported format from its first bytes, or None."""
    head = data[:64]
    for magic, offset, name in _KNOWN_UNSUPPORTED:
        if head[offset : offset + len(magic)] == magic:
            return name
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "ISO media (" + head[8:12].decode("ascii", "replace") + ")")
    if _SVG_RE.match(data[:1024]):
        return "SVG"
    return None


def read_image_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_IMAGE_BYTES) -> bytes:
    """Read an image file, refusing oversized files before reading them into memory."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ImageError(f"cannot read file: {exc.strerror or 'unreadable'}") from None
    if not p.is_file():
        raise ImageError("not a regular file")
    if size > max_bytes:
        raise ImageTooLargeError(f"file is {size} bytes; the limit is {max_bytes}")
    with p.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # the file grew between stat and read
        raise ImageTooLargeError(f"file is over the {max_bytes}-byte limit")
    return data


def decode_base64_image(value: str, *, max_bytes: int = MAX_IMAGE_BYTES) -> bytes:
    """Decode base64 image data (optionally a `data:image/...;base64,` URL), checking size before decoding."""
    if not isinstance(value, str):
        raise ImageError("image must be a base64 string")
    text = value.strip()
    if text.startswith("data:"):
        header, sep, text = text.partition(",")
        if not sep or not header.endswith(";base64"):
            raise ImageError("data URL must be base64-encoded")
    # 4 base64 characters carry 3 bytes; refuse before allocating the decoded buffer.
    if len(text) > (max_bytes // 3 + 2) * 4 + 1024:
        raise ImageTooLargeError(f"image is over the {max_bytes}-byte limit")
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise NotAnImageError("image is not valid base64") from None
    if len(data) > max_bytes:
        raise ImageTooLargeError(f"image is {len(data)} bytes; the limit is {max_bytes}")
    return data


def load_item_images(
    data: Any, *, allow_paths: bool = False, max_images: int = MAX_IMAGES_PER_ITEM, max_bytes: int = MAX_IMAGE_BYTES
) -> list[bytes]:
    """The raw bytes of an item's `"images"` field: base64 strings (API) or, with allow_paths, file paths (CLI).

    A string is taken as a path only when allow_paths is set and an existing file has that name; anything else is
    decoded as base64. The API must never pass allow_paths, or a caller could make the server read its own files.
    """
    if not isinstance(data, dict):
        raise ImageError("item must be a JSON object")
    raw = data.get("images")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImageError("images must be a list")
    if len(raw) > max_images:
        raise ImageError(f"item has more than {max_images} images")
    out: list[bytes] = []
    for i, value in enumerate(raw):
        if not isinstance(value, str):
            raise ImageError(f"image {i} must be a string")
        if allow_paths and len(value) < 4096 and "\x00" not in value and Path(value).is_file():
            out.append(read_image_file(value, max_bytes=max_bytes))
        else:
            out.append(decode_base64_image(value, max_bytes=max_bytes))
    return out


def decode_image(
    data: bytes,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_pixels: int = MAX_IMAGE_PIXELS,
    max_side: int = MAX_HASH_SIDE,
    max_jpeg_pixels: int = MAX_JPEG_PIXELS,
) -> DecodedImage:
    """Decode untrusted bytes to an RGB image no larger than max_side, or raise an ImageError subclass.

    max_pixels bounds what the header may claim; JPEGs get max(max_pixels, max_jpeg_pixels) because they are
    decoded at reduced scale.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError("image data must be bytes")
    if len(data) > max_bytes:
        raise ImageTooLargeError(f"image is {len(data)} bytes; the limit is {max_bytes}")
    if len(data) == 0:
        raise NotAnImageError("image is empty")
    data = bytes(data)
    unsupported = sniff_unsupported(data)
    if unsupported is not None:
        raise UnsupportedFormatError(
            f"{unsupported} images are not supported; use {', '.join(f.lower() for f in ALLOWED_FORMATS)}"
        )
    with warnings.catch_warnings():
        # Pillow's own bomb check warns above its global limit; our explicit check below is the one that counts.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
        except UnidentifiedImageError:
            raise NotAnImageError("data is not a recognised image") from None
        except Image.DecompressionBombError:
            raise DecompressionBombError(f"image has more than {max_pixels} pixels") from None
        except Exception as exc:  # any parser failure on hostile input is a corrupt image
            raise CorruptImageError(f"image header is damaged ({type(exc).__name__})") from None
        try:
            limit = max(max_pixels, max_jpeg_pixels) if im.format in ("JPEG", "MPO") else max_pixels
            return _decode_opened(im, max_pixels=limit, max_side=max_side)
        finally:
            im.close()


def _decode_opened(im: Image.Image, *, max_pixels: int, max_side: int) -> DecodedImage:
    fmt = im.format or "unknown"
    width, height = im.size
    if width <= 0 or height <= 0:
        raise CorruptImageError("image has no pixels")
    if width * height > max_pixels:
        raise DecompressionBombError(f"image is {width}x{height}, over the {max_pixels}-pixel limit")
    try:
        if fmt in ("JPEG", "MPO") and max(width, height) > 2 * max_side:
            # DCT scaling: decode at 1/2, 1/4 or 1/8 directly, never materialising the full-size bitmap.
            im.draft("RGB", (max_side, max_side))
        im.load()
        if im.mode in ("P", "PA") and "transparency" in im.info:
            im = im.convert("RGBA")
        rgb = im.convert("RGB") if im.mode != "RGB" else im
        if max(rgb.size) > max_side:
            rgb = rgb.copy() if rgb is im else rgb
            rgb.thumbnail((max_side, max_side), Image.Resampling.BOX)
        elif rgb is im:
            rgb = im.copy()
    except Image.DecompressionBombError:
        raise DecompressionBombError(f"image expands past the {max_pixels}-pixel limit") from None
    except MemoryError:
        raise DecompressionBombError("image needs too much memory to decode") from None
    except Exception as exc:  # truncated streams raise OSError, SyntaxError, ValueError...
        raise CorruptImageError(f"image data is truncated or damaged ({type(exc).__name__})") from None
    return DecodedImage(image=rgb, format=fmt, width=width, height=height)
