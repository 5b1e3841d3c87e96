"""IBANs: country code, the country's registered length, ISO 7064 mod-97 check.

The expected length tells where an IBAN written in groups of four ends, so trailing words are never
swallowed. Lower-case IBANs are only looked for when the text says "iban".
"""

from __future__ import annotations

import re

from sitr.detect.pii.context import Context, Hit

# SWIFT IBAN registry lengths (plus Algeria and Morocco, whose banks print IBAN-format numbers).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "DZ": 26, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IR": 26, "IS": 26, "IT": 27, "JO": 30,
    "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MA": 28,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SD": 18,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
    "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

_START_UPPER = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}")
_START_ANY = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
# The same without the look-behind: a necessary condition that the regex engine scans for much faster.
_HINTS = {_START_UPPER: re.compile(r"[A-Z]{2}\d{2}"), _START_ANY: re.compile(r"[A-Za-z]{2}\d{2}")}


def iban_ok(iban: str) -> bool:
    """mod-97 == 1 after moving the first four characters to the end and letters to numbers."""
    if len(iban) < 15 or not iban.isascii() or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def find_ibans(ctx: Context) -> list[Hit]:
    if not ctx.has_digit:
        return []
    text = ctx.text
    starts = _START_ANY if "iban" in ctx.mtext else _START_UPPER
    if _HINTS[starts].search(text) is None:
        return []
    hits = []
    for m in starts.finditer(text):
        country = m.group()[:2].upper()
        length = IBAN_LENGTHS.get(country)
        if length is None:
            continue
        end = _collect(text, m.start(), length)
        if end is None:
            continue
        compact = "".join(c for c in text[m.start() : end] if c.isalnum()).upper()
        if iban_ok(compact):
            hits.append(Hit("pii:iban", m.start(), end, country))
    return hits


def _collect(text: str, start: int, length: int) -> int | None:
    """End of `length` alphanumerics from `start`, single spaces or dashes allowed between; None if short."""
    count = 0
    i = start
    n = len(text)
    while i < n and count < length:
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            count += 1
            i += 1
        elif ch in " -" and i + 1 < n and text[i + 1].isascii() and text[i + 1].isalnum() and count >= 4:
            i += 1
        else:
            break
    if count < length:
        return None
    if i < n and text[i].isascii() and text[i].isalnum():
        return None  # the code runs on: not an IBAN of this length
    return i
