"""National identity numbers: by structure and checksum where they are public, else by context words.

Structure alone is trusted where it is strong (Egypt: century + birth date + governorate; UAE: 784 + year +
Luhn; Kuwait: birth date + weighted mod 11). Saudi IDs are a Luhn-valid 10-digit number starting 1 or 2,
which one random number in twenty also is, so without a context word they score lower. Numbers with no public
checksum (Tunisia, Jordan, Lebanon, Morocco's CIN ...) need a context word ("رقم الهوية", "CIN", "ID number").
"""

from __future__ import annotations

import datetime as dt
import re

from sitr.detect.pii.context import Context, Hit, window_words
from sitr.detect.pii.phone import VETO_BEFORE

_ID_RUN = re.compile(r"[0-9](?:[ \-.]?[0-9])*")
_NON_DIGIT = re.compile(r"[^0-9]")
_MA_CIN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}[ \-]?\d{4,7}(?![\d])")

# Substrings every match contains, one per alternative (see context.window_words).
_ID_WORDS_REQUIRED = (
    "هوي", "قومي", "وطني", "بطاق", "مدني", "اقام", "جواز", "ملي", "شناسنام", "cin", "c.i.n", "cni", "id", "i.d",
    "carte", "pie", "pi\u00e8", "iqama", "pass", "kimlik", "teudat", "melli", "carta", "bitaqa", "btaqa", "hawiy",
    "ra9m lwatani",
)  # fmt: skip
ID_WORDS = window_words(
    re.compile(
        r"هوي[هت]|الرقم القومي|رقم قومي|القومي|الرقم الوطني|رقم وطني|الوطني|بطاق|الرقم المدني|المدني|مدنيه"
        r"|اقام[هت]|جواز|السجل المدني|سجل مدني|كارت ملي|كد ملي|شناسنام"
        r"|\b(?:cin|c\.i\.n|cni|id|ids|i\.d|identity|identité|identite|carte d'identit\w*|carte nationale|pi[eè]ce"
        r"|national id|civil id|emirates id|iqama|iqamah|passport|passeport|tc kimlik|kimlik|teudat|melli"
        r"|la carte|lcarte|carta|bitaqa\w*|btaqa\w*|l\w*hawiy\w*|hawiya\w*|ra9m lwatani)\b"
    ),
    _ID_WORDS_REQUIRED,
)

# Egypt's governorate codes (digits 8-9 of the national ID); 88 = born abroad.
_EG_GOVERNORATES = frozenset(
    [1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35, 88]
)
_KW_WEIGHTS = (2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def egypt_id_ok(d: str) -> bool:
    """14 digits: century (2 = 1900s, 3 = 2000s), YYMMDD, governorate, 4-digit serial, check digit."""
    if len(d) != 14 or d[0] not in "23":
        return False
    year = (1900 if d[0] == "2" else 2000) + int(d[1:3])
    return _date_ok(year, int(d[3:5]), int(d[5:7])) and int(d[7:9]) in _EG_GOVERNORATES


def uae_id_ok(d: str) -> bool:
    """15 digits: 784, birth year, 7-digit serial, Luhn check digit."""
    return len(d) == 15 and d.startswith("784") and 1900 <= int(d[3:7]) <= 2099 and luhn_ok(d)


def saudi_id_ok(d: str) -> bool:
    """10 digits, 1 = citizen, 2 = resident (iqama); Luhn."""
    return len(d) == 10 and d[0] in "12" and luhn_ok(d)


def kuwait_id_ok(d: str) -> bool:
    """12 digits: century (2/3), YYMMDD, serial, check digit = 11 - weighted sum mod 11."""
    if len(d) != 12 or d[0] not in "23":
        return False
    year = (1900 if d[0] == "2" else 2000) + int(d[1:3])
    if not _date_ok(year, int(d[3:5]), int(d[5:7])):
        return False
    check = 11 - sum(w * int(c) for w, c in zip(_KW_WEIGHTS, d, strict=False)) % 11
    return check < 10 and check == int(d[11])


def turkey_id_ok(d: str) -> bool:
    """TC Kimlik: 11 digits, no leading 0, two check digits."""
    if len(d) != 11 or d[0] == "0":
        return False
    n = [int(c) for c in d]
    d10 = ((n[0] + n[2] + n[4] + n[6] + n[8]) * 7 - (n[1] + n[3] + n[5] + n[7])) % 10
    return d10 == n[9] and sum(n[:10]) % 10 == n[10]


def iran_id_ok(d: str) -> bool:
    """Kod-e melli: 10 digits, weighted mod 11 check digit."""
    if len(d) != 10 or len(set(d)) == 1:
        return False
    r = sum(int(d[i]) * (10 - i) for i in range(9)) % 11
    return int(d[9]) == (r if r < 2 else 11 - r)


def _classify(d: str, has_context: bool, regions: list[str]) -> tuple[str, float] | None:
    n = len(d)
    if n == 14 and egypt_id_ok(d):
        return "eg_national_id", 1.0
    if n == 15 and uae_id_ok(d):
        return "ae_emirates_id", 1.0
    if n == 12 and kuwait_id_ok(d):
        return "kw_civil_id", 1.0
    if n == 10 and saudi_id_ok(d):
        return ("sa_national_id" if d[0] == "1" else "sa_iqama"), (1.0 if has_context else 0.8)
    if not has_context:
        return None
    if n == 11 and turkey_id_ok(d):
        return "tr_kimlik", 1.0
    if n == 10 and iran_id_ok(d):
        return "ir_national_id", 1.0
    if n == 9 and luhn_ok(d) and "IL" in regions[:2]:
        return "il_teudat_zehut", 1.0
    if n == 8 and "TN" in regions[:2]:
        return "tn_cin", 1.0
    if n == 10 and "JO" in regions[:2]:
        return "jo_national_number", 1.0
    if 6 <= n <= 18:
        return "id_by_context", 0.9
    return None


def find_ids(ctx: Context) -> list[Hit]:
    if not ctx.has_digit:
        return []
    text = ctx.text
    hits: list[Hit] = []
    # an ID run holds at least 6 of 0-9
    for m in _ID_RUN.finditer(text) if ctx.six_digits else ():
        s, e = m.span()
        if e - s < 6 or e - s > 40:
            continue
        if s > 0 and (text[s - 1].isalnum() and text[s - 1].isascii()):
            continue
        d = _NON_DIGIT.sub("", text[s:e])
        if not 6 <= len(d) <= 18:
            continue
        has_context = ctx.before(ID_WORDS, s, 40) is not None
        if not has_context and ctx.before(VETO_BEFORE, s, 28) is not None:
            continue  # "invoice 1013923022": an order or reference number, checksum or not
        kind = _classify(d, has_context, ctx.regions if has_context else [])
        if kind is not None:
            hits.append(Hit("pii:national_id", s, e, kind[0], kind[1]))
    if "cin" in ctx.mtext or "بطاق" in ctx.mtext or "carte" in ctx.mtext or "هوي" in ctx.mtext:
        for m in _MA_CIN.finditer(text):
            if ctx.before(ID_WORDS, m.start(), 40) is not None:
                hits.append(Hit("pii:national_id", m.start(), m.end(), "ma_cin", 1.0))
    return hits
