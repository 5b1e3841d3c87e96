"""Phone numbers spelt out in words: "zéro cinq cinq cinq, vingt-trois ...", "sifir sab3a sab3a ...",
"seven-one, four-four-two ...", "صفر سبعة ...". Writing a number in words is a common way to slip it past
filters (LABELLING.md lists it as obfuscation).

Consecutive number words (digits, teens, tens + unit, in English, French, Arabic and Arabizi) become a digit
string; when it has 7-15 digits it is validated like any other phone number, and the span covers the words.
"""

from __future__ import annotations

import re

from sitr.detect.pii.context import Context, Counted, Hit
from sitr.detect.pii.phone import phone_from_digits
from sitr.detect.pii.view import match_text

_UNITS_BY_DIGIT = {
    "0": "zero zéro oh sifr sifir sefr sfr صفر",
    "1": "one un une wahed wa7ed wa7ad wahad wa7id واحد",
    "2": "two deux itnein ithnain ithnein etnein tnin tneen zouj اثنين اتنين اثنان تنين زوج",
    "3": "three trois tlata tlatha thalatha talata tleta ثلاثه تلاته ثلاث تلات",
    "4": "four quatre arba3a arb3a arba3 reb3a اربعه اربع",
    "5": "five cinq khamsa 5amsa khamse khamssa خمسه خمس",
    "6": "six sitta setta sette setta sta ستة سته ست",
    "7": "seven sept sab3a saba3a sab3 seb3a سبعه سبع",
    "8": "eight huit tamanya thamanya tmanya tmenya tmenia ثمانيه تمانيه ثمان تمن",
    "9": "nine neuf tis3a tes3a tis3 tessa3d تسعه تسع",
}
UNITS: dict[str, str] = {match_text(w): d for d, words in _UNITS_BY_DIGIT.items() for w in words.split()}
TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "عشره": 10,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8, "ninety": 9,
    "vingt": 2, "vingts": 8, "trente": 3, "quarante": 4, "cinquante": 5, "soixante": 6,
    "عشرين": 2, "ثلاثين": 3, "تلاتين": 3, "اربعين": 4, "خمسين": 5, "ستين": 6, "سبعين": 7, "ثمانين": 8,
    "تمانين": 8, "تسعين": 9,
}  # fmt: skip
_JOINERS = frozenset({"and", "et", "w", "و"})
_TOKEN = re.compile(r"[a-z0-9àâçéèêëîïôûùüÿœ\u0621-\u064a]+")
_GAP = re.compile(r"[\s,،\-–.·/]{0,4}")
_NUMBER_WORDS = Counted({*UNITS, *TEENS, *TENS})


def _enough_number_words(ctx: Context) -> bool:
    """At least 3 number-word substrings: a spelt phone number has 7+ digits, so 3+ words."""
    return _NUMBER_WORDS.count(ctx) >= 3


class _Seq:
    __slots__ = ("digits", "end", "gap_from", "pending_tens", "start", "words")

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.gap_from = start  # where the gap to the next token starts (after a joiner such as "et")
        self.digits = ""
        self.words = 0
        self.pending_tens: int | None = None  # digits end with f"{tens}0", a unit may still complete it


def find_spelt_phones(ctx: Context) -> list[Hit]:
    mt = ctx.mtext
    if not _enough_number_words(ctx):
        return []
    hits: list[Hit] = []
    seq: _Seq | None = None
    for m in _TOKEN.finditer(mt):
        tok = m.group()
        if seq is not None and _GAP.fullmatch(mt, seq.gap_from, m.start()) is None:
            hits.extend(_flush(ctx, seq))
            seq = None
        if seq is not None and tok in _JOINERS:
            seq.gap_from = m.end()
            continue
        candidate = seq if seq is not None else _Seq(m.start())
        if _add(candidate, tok):
            candidate.end = candidate.gap_from = m.end()
            seq = candidate
        elif seq is not None:
            hits.extend(_flush(ctx, seq))
            seq = None
    if seq is not None:
        hits.extend(_flush(ctx, seq))
    return hits


def _add(seq: _Seq, tok: str) -> bool:
    """Append the value of `tok` to the sequence; False when it is not a number word."""
    arabic_and = tok.startswith("و") and len(tok) > 2 and tok[1:] in TENS
    if arabic_and:  # "ثلاثة وعشرين" = 23: unit first, then "and twenty"
        if seq.digits and seq.pending_tens is None and seq.words:
            seq.digits = seq.digits[:-1] + str(TENS[tok[1:]]) + seq.digits[-1]
            seq.words += 1
            return True
        return False
    if tok in UNITS:
        if seq.pending_tens is not None and seq.digits.endswith("0"):
            seq.digits = seq.digits[:-1] + UNITS[tok]
        else:
            seq.digits += UNITS[tok]
        seq.pending_tens = None
        seq.words += 1
        return True
    if tok in TEENS:
        teen = TEENS[tok]
        if seq.pending_tens in (6, 8) and seq.digits.endswith("0"):  # soixante-douze = 72, quatre-vingt-dix = 90
            tens = seq.pending_tens + 1
            seq.digits = seq.digits[:-2] + str(tens) + str(teen - 10)
            seq.pending_tens = tens if teen == 10 else None  # soixante-dix-huit = 78
        else:
            seq.digits += str(teen)
            seq.pending_tens = None
        seq.words += 1
        return True
    if tok in TENS:
        tens = TENS[tok]
        if tok in ("vingt", "vingts") and seq.digits.endswith("4") and seq.words:  # quatre-vingt = 80
            seq.digits = seq.digits[:-1] + "80"
            tens = 8
        else:
            seq.digits += f"{tens}0"
        seq.pending_tens = tens
        seq.words += 1
        return True
    if tok.isdigit() and len(tok) <= 4:
        seq.digits += tok
        seq.pending_tens = None
        return True
    return False


def _flush(ctx: Context, seq: _Seq) -> list[Hit]:
    if seq.words < 3 or not 7 <= len(seq.digits) <= 15:
        return []
    hit = phone_from_digits(ctx, seq.start, seq.end, seq.digits)
    return [hit._replace(score=min(hit.score, 0.9))] if hit is not None else []
