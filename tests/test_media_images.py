"""Safe decoding: every kind of bad input gives its own ImageError subclass and never a crash."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from sitr.media.images import (
    MAX_HASH_SIDE,
    CorruptImageError,
    DecompressionBombError,
    ImageError,
    ImageTooLargeError,
    NotAnImageError,
    UnsupportedFormatError,
    decode_base64_image,
    decode_image,
    load_item_images,
    read_image_file,
)
from sitr.media.pdq import hash_image


def photo(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    rng = np.random.default_rng(seed)
    base = (rng.random((6, 8, 3)) * 255).astype(np.uint8)
    return Image.fromarray(base).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1))


def encode(im: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a tiny (invalid) body: a decompression-bomb stand-in."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))


@pytest.mark.parametrize(
    ("fmt", "kw"), [("PNG", {}), ("JPEG", {"quality": 85}), ("GIF", {}), ("WEBP", {}), ("BMP", {})]
)
def test_supported_formats_decode_to_rgb(fmt: str, kw: dict[str, object]) -> None:
    d = decode_image(encode(photo(1), fmt, **kw))
    assert d.image.mode == "RGB" and d.format == fmt and (d.width, d.height) == (320, 240)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "L", "P", "1", "I;16", "CMYK"])
def test_unusual_modes_are_converted(mode: str) -> None:
    im = photo(2).convert(mode) if mode != "I;16" else Image.fromarray(np.full((40, 50), 40000, dtype=np.uint16))
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    assert decode_image(encode(im, fmt)).image.mode == "RGB"


def test_palette_with_transparency() -> None:
    im = photo(3).convert("P")
    im.info["transparency"] = 0
    assert decode_image(encode(im, "PNG", transparency=0)).image.mode == "RGB"


def test_large_image_is_downscaled_but_reports_original_size() -> None:
    d = decode_image(encode(photo(4, (3000, 1500)), "JPEG", quality=80))
    assert max(d.image.size) == MAX_HASH_SIDE and (d.width, d.height) == (3000, 1500)


def test_animated_gif_uses_first_frame() -> None:
    frames = [photo(5), photo(6)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    first = hash_image(encode(frames[0], "GIF"), dihedral=False).hash
    assert hash_image(buf.getvalue(), dihedral=False).hash == first


def test_empty_and_non_images() -> None:
    with pytest.raises(NotAnImageError):
        decode_image(b"")
    with pytest.raises(NotAnImageError):
        decode_image(b"hello, this is a text file\n" * 10)
    with pytest.raises(NotAnImageError):
        decode_image(bytes(range(256)) * 4)


def test_too_many_bytes() -> None:
    with pytest.raises(ImageTooLargeError):
        decode_image(encode(photo(7)), max_bytes=100)


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(DecompressionBombError) as e:
        decode_image(png_header_only(100_000, 100_000))
    assert e.value.reason == "too_many_pixels"
    # and Pillow's own bomb limit (2x its MAX_IMAGE_PIXELS) is also mapped, not raised raw
    with pytest.raises(DecompressionBombError):
        decode_image(png_header_only(60_000, 60_000), max_pixels=10**12)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small baseline JPEG whose frame header (SOF0) is edited to claim width x height."""
    data = bytearray(encode(photo(15, (64, 48)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_big_phone_jpeg_passes_the_pixel_check_but_a_bomb_does_not() -> None:
    # a 108 MP claim is allowed for JPEG: libjpeg decodes it at 1/8 scale (libjpeg pads the missing data)
    d = decode_image(jpeg_claiming(12_000, 9_000))
    assert (d.width, d.height) == (12_000, 9_000) and max(d.image.size) <= MAX_HASH_SIDE
    with pytest.raises(DecompressionBombError):
        decode_image(png_header_only(12_000, 9_000))
    with pytest.raises(DecompressionBombError):
        decode_image(jpeg_claiming(20_000, 20_000))


def test_pixel_limit_is_configurable() -> None:
    with pytest.raises(DecompressionBombError):
        decode_image(encode(photo(8)), max_pixels=1000)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_truncated_files_are_corrupt(fmt: str) -> None:
    data = encode(photo(9, (400, 300)), fmt)
    with pytest.raises((CorruptImageError, NotAnImageError)):
        decode_image(data[: len(data) // 2])


def test_damaged_png_body_is_corrupt() -> None:
    with pytest.raises(CorruptImageError):
        decode_image(png_header_only(64, 64))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"II*\x00" + b"\x00" * 64, "TIFF"),
        (b"%PDF-1.7\n" + b"\x00" * 64, "PDF"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n", "PostScript"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "HEIC"),
        (b"\x00\x00\x00\x1cftypavif" + b"\x00" * 64, "AVIF"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        (b"<svg width='10' height='10'></svg>", "SVG"),
    ],
)
def test_known_but_unsupported_formats(data: bytes, name: str) -> None:
    with pytest.raises(UnsupportedFormatError) as e:
        decode_image(data)
    assert name in str(e.value) and e.value.reason == "unsupported_format"


def test_real_tiff_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError):
        decode_image(encode(photo(10), "TIFF"))


def test_error_messages_do_not_echo_content() -> None:
    secret = b"my phone is 0555123456 " * 20
    with pytest.raises(ImageError) as e:
        decode_image(secret)
    assert "0555" not in str(e.value)


REASONS = {"too_large", "too_many_pixels", "unsupported_format", "not_an_image", "corrupt"}
MAGICS = [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"BM", b""]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAGICS), st.binary(max_size=600))
def test_fuzz_never_crashes(magic: bytes, tail: bytes) -> None:
    """Random bytes behind a real format's magic number either hash or raise an ImageError, nothing else."""
    try:
        h = hash_image(magic + tail)
    except ImageError as exc:
        assert exc.reason in REASONS
    else:
        assert len(h.hash) == 64


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["PNG", "JPEG", "GIF", "WEBP"]))
def test_fuzz_truncation_of_real_images(cut: int, fmt: str) -> None:
    data = encode(photo(11, (120, 90)), fmt)
    try:
        h = hash_image(data[: cut % len(data)])
    except ImageError as exc:
        assert exc.reason in REASONS
    else:
        assert len(h.hash) == 64


def test_base64_and_data_urls() -> None:
    raw = encode(photo(12))
    assert decode_base64_image(base64.b64encode(raw).decode()) == raw
    assert decode_base64_image("data:image/png;base64," + base64.b64encode(raw).decode()) == raw
    with pytest.raises(NotAnImageError):
        decode_base64_image("not base64 at all!!")
    with pytest.raises(ImageError):
        decode_base64_image("data:image/png,plain")
    with pytest.raises(ImageTooLargeError):
        decode_base64_image("A" * 4000, max_bytes=1000)


def test_read_image_file_limits(tmp_path: Path) -> None:
    p = tmp_path / "a.png"
    p.write_bytes(encode(photo(13)))
    assert read_image_file(p) == p.read_bytes()
    with pytest.raises(ImageTooLargeError):
        read_image_file(p, max_bytes=10)
    with pytest.raises(ImageError):
        read_image_file(tmp_path / "missing.png")
    with pytest.raises(ImageError):
        read_image_file(tmp_path)


def test_load_item_images_paths_only_when_allowed(tmp_path: Path) -> None:
    p = tmp_path / "a.png"
    raw = encode(photo(14))
    p.write_bytes(raw)
    item = {"id": "1", "text": "x", "images": [str(p), base64.b64encode(raw).decode()]}
    assert load_item_images(item, allow_paths=True) == [raw, raw]
    with pytest.raises(ImageError):  # the API never reads server files: a path is just invalid base64
        load_item_images(item)
    assert load_item_images({"id": "1", "text": "x"}) == []
    with pytest.raises(ImageError):
        load_item_images({"images": "abc"})
    with pytest.raises(ImageError):
        load_item_images({"images": [1]})
    with pytest.raises(ImageError):
        load_item_images({"images": ["a"] * 17})
