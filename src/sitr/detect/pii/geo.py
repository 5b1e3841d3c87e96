"""Coordinates: decimal pairs, degrees-minutes-seconds and Open Location ("plus") codes.

Maps links are classified by the URL finder. A decimal pair needs 4+ decimals on both numbers, or 2+ with a
location word nearby: "12.50, 13.75" is a pair of prices far more often than a place.
"""

from __future__ import annotations

import re

from sitr.detect.pii.context import Context, Hit, window_words

_DECIMAL_PAIR = re.compile(
    r"(?<![\d.])([-+]?\d{1,2}\.(\d{2,10}))\s{0,2}[,،;/ ]\s{0,2}([-+]?\d{1,3}\.(\d{2,10}))(?![\d.])"
)
_DMS_ONE = r"\d{1,3}\s?°\s?\d{1,2}\s?['′’]\s?(?:\d{1,2}(?:\.\d{1,4})?\s?(?:\"|″|”|''))?\s?[NSEWnsew]?"
_DMS_PAIR = re.compile(r"(?<!\d)" + _DMS_ONE + r"\s{0,3}[,،]?\s{0,3}" + _DMS_ONE)
_PLUS_CODE = re.compile(r"(?<![\w+])[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,3}(?![\w+])")

# Substrings every match contains, one per alternative (see context.window_words).
_LOCATION_WORDS_REQUIRED = (
    "موقع", "لوكيشن", "احداثي", "إحداثي", "مكانه", "عنوان", "gps", "loc", "coord", "position", "lat", "lng", "lon",
    "pin", "map", "lokation",
)  # fmt: skip
LOCATION_WORDS = window_words(
    re.compile(
        r"موقع|لوكيشن|احداثي|إحداثي|مكانه|مكانها|عنوان"
        r"|\b(?:gps|location|loc|coords?|coordinates|coordonn[ée]es|position|lat|lng|lon|latitude|longitude"
        r"|pin|map|maps|localisation|lokation|location\w*)\b"
    ),
    _LOCATION_WORDS_REQUIRED,
)


def find_gps(ctx: Context) -> list[Hit]:
    if not ctx.has_digit:
        return []
    text = ctx.text
    hits = []
    if "." in text:
        for m in _DECIMAL_PAIR.finditer(text):
            lat, lng = float(m.group(1)), float(m.group(3))
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                continue
            decimals = min(len(m.group(2)), len(m.group(4)))
            if decimals >= 4 or ctx.near(LOCATION_WORDS, m.start(), m.end(), 40, 20):
                hits.append(Hit("pii:gps", m.start(), m.end(), "decimal"))
    if "°" in text:
        hits.extend(Hit("pii:gps", m.start(), m.end(), "dms") for m in _DMS_PAIR.finditer(text))
    if "+" in text:
        for m in _PLUS_CODE.finditer(text):
            code = m.group()
            head = code.split("+", 1)[0]
            if any(c.isdigit() for c in code) and any(c.isalpha() for c in code) and len(head) in (4, 6, 8):
                hits.append(Hit("pii:gps", m.start(), m.end(), "plus_code"))
    return hits
