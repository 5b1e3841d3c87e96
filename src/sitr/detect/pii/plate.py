"""Licence plates: strict formats alone, looser letter+digit formats only after a plate word.

Strict (distinctive enough on their own): Egypt's three spaced Arabic letters + 3-4 digits ("ق ص ع 1234");
an emirate name + code + digits ("Dubai K 48213"); Morocco's digits-letter-region ("12345-أ-6");
Tunisia's "123 تونس 4567". With a plate word nearby ("لوحة", "نمرة", "plaque", "plate", "matricule"):
1-3 letters (Arabic or Latin) with 1-6 digits in either order, and "12/34567"-style numbers.
"""

from __future__ import annotations

import re

from sitr.detect.pii.context import Context, Gates, Hit, window_words

_AR = "\u0621-\u064a"
_EG_STRICT = re.compile(
    rf"(?<![{_AR}\w])[{_AR}](?: [{_AR}]){{2}}(?![{_AR}])\s{{0,2}}[-|]?\s{{0,2}}\d{{3,4}}(?!\d)"
    rf"|(?<!\d)\d{{3,4}}\s{{0,2}}[-|]?\s{{0,2}}(?<![{_AR}])[{_AR}](?: [{_AR}]){{2}}(?![{_AR}\w])"
)
_EMIRATES_LATIN = r"dubai|abu dhabi|abudhabi|sharjah|ajman|ras al khaimah|fujairah|umm al quwain|dxb"
_EMIRATES_AR = r"دبي|ابوظبي|أبوظبي|ابو ظبي|أبو ظبي|الشارقة|الشارقه|عجمان|رأس الخيمة|راس الخيمة|الفجيرة|ام القيوين"
_UAE_STRICT = re.compile(
    rf"(?<!\w)(?i:{_EMIRATES_LATIN})\s{{1,2}}[A-Z]{{1,2}}(?:\s{{1,2}}|\s?-\s?)\d{{1,5}}(?!\d)"
    rf"|(?<!\w)(?:{_EMIRATES_AR})\s{{1,2}}(?:[{_AR}]|\d{{1,2}}|[A-Z]{{1,2}})(?:\s{{1,2}}|\s?-\s?)\d{{3,5}}(?!\d)"
)
_MA_STRICT = re.compile(rf"(?<!\d)\d{{3,6}}\s{{0,2}}[-|/]\s{{0,2}}[{_AR}A-Z]\s{{0,2}}[-|/]\s{{0,2}}\d{{1,2}}(?!\d)")
_TN_STRICT = re.compile(r"(?<!\d)\d{1,3}\s{0,2}(?:تونس|TU|TN|RS|ن ت)\s{0,2}\d{1,4}(?!\d)")
_LOOSE = re.compile(
    rf"(?<![\w{_AR}])(?:[{_AR}](?: ?[{_AR}]){{0,2}}|[A-Z]{{1,3}})\s{{0,2}}[-|]?\s{{0,2}}\d{{2,6}}(?!\d)"
    rf"|(?<![\w\d])\d{{2,6}}\s{{0,2}}[-|]?\s{{0,2}}(?:[{_AR}](?: ?[{_AR}]){{0,2}}|[A-Z]{{1,3}})(?![\w{_AR}])"
    r"|(?<![\d/])\d{1,2}\s?[/-]\s?\d{3,6}(?![\d/])"
)

# Substrings every match contains, one per alternative (see context.window_words).
_PLATE_WORDS_REQUIRED = (
    "لوح", "نمر", "رقم ال", "ماتريكول", "plate", "plaque", "matricul", "reg", "nemra", "nimra", "nmra", "lo7a",
    "lawha",
)  # fmt: skip
PLATE_WORDS = window_words(
    re.compile(
        r"لوح[هت]|نمر[هت]|نمرتها|نمرته|رقم العربي|رقم السيار|رقم الكرهب|رقم الطوموبيل|ماتريكول"
        r"|\b(?:plate|plates|plaque|plaques|immatricul\w*|matricul\w*|number plate|licen[cs]e plate|reg|registration"
        r"|nemra|nimra|nmra|lo7a|lawha)\b"
    ),
    _PLATE_WORDS_REQUIRED,
)


_GATES = Gates(
    {
        "uae": tuple(_EMIRATES_LATIN.split("|")) + tuple(_EMIRATES_AR.split("|")),
        "ma": ("-", "|", "/"),
        "tn": ("تونس", "tu", "tn", "rs", "ن ت"),
        "word": ("لوح", "نمر", "رقم العربي", "رقم السيار", "رقم الكرهب", "رقم الطوموبيل", "ماتريكول", "plate", "plaque",
                 "immatricul", "matricul", "reg", "nemra", "nimra", "nmra", "lo7a", "lawha"),
    }
)  # fmt: skip


def find_plates(ctx: Context) -> list[Hit]:
    if not ctx.has_digit:
        return []
    text = ctx.text
    gates = _GATES.open(ctx)
    hits: list[Hit] = []
    if ctx.has_arabic:
        for m in _EG_STRICT.finditer(text):
            # Egypt's and Saudi Arabia's plates look alike (3 Arabic letters + digits): the text's country decides
            region = next((r for r in ctx.regions if r in ("EG", "SA")), "eg_sa").lower()
            hits.append(Hit("pii:plate", m.start(), m.end(), region))
    if "uae" in gates:
        hits.extend(Hit("pii:plate", m.start(), m.end(), "ae") for m in _UAE_STRICT.finditer(text))
    if "ma" in gates:
        hits.extend(Hit("pii:plate", m.start(), m.end(), "ma") for m in _MA_STRICT.finditer(text))
    if "tn" in gates:
        hits.extend(Hit("pii:plate", m.start(), m.end(), "tn") for m in _TN_STRICT.finditer(text))
    if "word" not in gates or PLATE_WORDS.search(ctx.mtext) is None:
        return hits
    for m in _LOOSE.finditer(text):
        if any(h.start <= m.start() < h.end or m.start() <= h.start < m.end() for h in hits):
            continue
        if ctx.near(PLATE_WORDS, m.start(), m.end(), 30, 12):
            hits.append(Hit("pii:plate", m.start(), m.end(), "by_context", 0.9))
    return hits
