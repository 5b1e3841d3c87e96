"""Phone numbers of MENA countries (and any "+" / "00" international number), validated by phonenumbers.

phonenumbers only finds local numbers for the region it is told, and is slow when told many, so:
1. only runs of >= 7 digits (separators allowed) are looked at;
2. regions come from the item's country hint, the text's place/currency/dialect words, then the regions
   whose number plan fits the digits at all (a cheap regex on phonenumbers' own metadata);
3. PhoneNumberMatcher with Leniency.VALID (valid number, national prefix present when the plan needs it)
   runs on the run only, for those few regions; numbers split by obfuscation ("7-6-3-3-4-8-1-9") are
   retried compacted.
A local number matched only through the fallback list must have its trunk 0 or a phone word nearby, and
runs next to a currency word or after "order #" / "فاتورة" are left alone: prices and order numbers are
the usual false positives.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from sitr.detect.pii.context import Context, Hit, window_words
from sitr.detect.pii.regions import fallback_region, international_region, national_digits, plan, plausible_regions

# A run: digits with at most 3 separators between them. Each step must consume a digit, so matching is
# linear; finditer never re-scans a run.
# `[+(]?[0-9]` is written as one class and a check behind it, so the regex engine can skip to candidates.
_RUN = re.compile(r"[+(0-9](?:(?<=[+(])[0-9]|(?<=[0-9]))(?:[ \t.\-/()]{1,3}[0-9]|[0-9])*")
_NON_DIGIT = re.compile(r"[^0-9]")
_MIN_DIGITS = 7
_MAX_DIGITS_COMPACT = 15  # E.164 maximum
_WINDOW = 48  # long runs (lists of numbers) are cut at spaces into windows of about this many characters
_MAX_WINDOWS = 400  # a text with more candidate numbers than this is spam; the rest is not examined

_DATE = re.compile(r"(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})")

# Words that say "this is a phone number" ...
_CALL_WORDS = (
    r"تلفون|تليفون|هاتف|جوال|موبايل|محمول|واتس|وتس|اتصل|اتصال|كلم|فايبر|تلغرام|تلجرام"
    r"|\b(?:phone|tel|tél|t[ée]l[ée]phone|call|calls|mobile|cell|portable|gsm|whats\s?app|whatsapp|wa|viber"
    r"|signal|telegram|contact\w*|joindre|appel\w*|text|sms|r[ée]servations?|talifon\w*|tilifon\w*)\b"
)
# Substrings every match contains, one per alternative (see context.window_words).
_CALL_REQUIRED = (
    "تلفون", "تليفون", "هاتف", "جوال", "موبايل", "محمول", "واتس", "وتس", "اتصل", "اتصال", "كلم", "فايبر", "تلغرام",
    "تلجرام", "phone", "tel", "t\u00e9l", "call", "mobile", "cell", "portable", "gsm", "whats", "wa", "viber", "signal",
    "contact", "joindre", "appel", "text", "sms", "servation", "talifon", "tilifon",
)  # fmt: skip
CALL_WORDS = window_words(re.compile(_CALL_WORDS), _CALL_REQUIRED)
# ... and words that only say "number" (an order number is a number too).
_PHONE_WORDS_REQUIRED = (
    *_CALL_REQUIRED, "رقم", "نمر", "n\u00b0", "nu", "no", "nr", "ra2m", "ra9m", "raq", "rakm", "mr", "nimr",
)  # fmt: skip
PHONE_WORDS = window_words(
    re.compile(
        _CALL_WORDS + r"|رقم|نمر|n°|\b(?:number|num|nr|no|num[ée]ro|ra2m\w*|ra9m\w*|raqa?m\w*|rakm\w*"
        r"|n[ae]?mr[ae]\w*|nimr\w*|n[ou]+m(?:e|é)?r?o\w*)\b"
    ),
    _PHONE_WORDS_REQUIRED,
)
_VETO_BEFORE_REQUIRED = (
    "طلب", "فاتور", "شحن", "تتبع", "مرجع", "ايصال", "وصل", "سعر", "حساب بنك", "ضريب", "order", "commande", "cmd",
    "invoice", "facture", "ref", "r\u00e9f", "tracking", "suivi", "colis", "ticket", "transaction", "receipt",
    "re\u00e7u", "sku", "serial", "s\u00e9rie", "price", "prix", "total", "montant", "amount", "iban", "account",
    "compte", "#", "$", "\u20ac", "\u00a3",
)  # fmt: skip
VETO_BEFORE = window_words(
    re.compile(
        r"طلب|فاتور|شحن|تتبع|مرجع|ايصال|وصل|سعر|بسعر|السعر|حساب بنك|ضريب"
        r"|\b(?:order|orders|commande|cmd|invoice|facture|ref|réf|reference|référence|tracking|suivi|colis|ticket"
        r"|transaction|receipt|reçu|sku|serial|série|price|prix|total|montant|amount|iban|account|compte)\b"
        r"|#|[$€£]"
    ),
    _VETO_BEFORE_REQUIRED,
)
_CURRENCY_AFTER = re.compile(
    r"\s{0,2}(?:جنيه|جنية|ريال|درهم|دينار|ليرة|ليره|دولار|يورو|شيكل|تومان|ل\.ل|د\.ت|دج|%|[$€£]"
    r"|(?:dh|dhs|mad|aed|sar|egp|usd|eur|euros?|dollars?|dinars?|riyals?|rials?|pounds?|livres?|lira|tnd|dt|da"
    r"|lbp|l\.l|qar|kwd|bhd|omr|jod|iqd|dzd|lyd|sdg|ils|nis|try|tl|irr|toman|k|m|millions?|mille)\b)"
)


def _runs(text: str) -> list[tuple[int, int]]:
    """Candidate runs (view offsets) with >= 7 digits; long runs split at spaces into windows."""
    out: list[tuple[int, int]] = []
    for m in _RUN.finditer(text):
        s, e = m.span()
        if e - s < _MIN_DIGITS or len(_NON_DIGIT.sub("", text[s:e])) < _MIN_DIGITS:
            continue
        if s > 0 and text[s - 1].isascii() and text[s - 1].isalpha():
            continue  # "SKU12345678", "EG38 0019 ..." (IBANs are found elsewhere)
        if e - s <= _WINDOW:
            out.append((s, e))
        else:
            out.extend(_windows(text, s, e))
        if len(out) >= _MAX_WINDOWS:
            break
    return out


def _windows(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut a long run at whitespace into pieces of at most about _WINDOW characters (a list of numbers)."""
    out = []
    start = s
    last_space = -1
    i = s
    while i < e:
        if text[i] in " \t" and i > start:
            last_space = i
        if i - start >= _WINDOW and last_space > start:
            out.append((start, last_space))
            start = last_space + 1
            while start < e and text[start] not in "0123456789+(":
                start += 1
            last_space = -1
            i = start
            continue
        i += 1
    if start < e:
        out.append((start, e))
    return [(a, b) for a, b in out if len(_NON_DIGIT.sub("", text[a:b])) >= _MIN_DIGITS]


def _sub_digit_groups(raw: str) -> list[str]:
    """Digits of the whole run and of its space/slash separated pieces: a run may hold two numbers."""
    whole = _NON_DIGIT.sub("", raw)
    groups = [whole]
    for piece in re.split(r"\s{2,}|/|\s-\s|\s", raw):
        digits = _NON_DIGIT.sub("", piece)
        if len(digits) >= _MIN_DIGITS and digits != whole:
            groups.append(digits)
    return groups


def _vetoed(ctx: Context, s: int, e: int, raw: str) -> bool:
    """Dates, prices ("1500000 جنيه") and order/invoice numbers are not phone numbers."""
    if _DATE.fullmatch(raw.strip("()")):
        return True
    if _CURRENCY_AFTER.match(ctx.mtext, e, min(len(ctx.mtext), e + 14)) is not None:
        return True
    veto = ctx.before(VETO_BEFORE, s, 28)
    if veto is None:
        return False
    word = ctx.before(CALL_WORDS, s, 28)  # "order 123, call 0101234567": the call word is nearer
    return word is None or word.start() < veto.start()


def _matches(raw: str, region: str) -> list[tuple[int, int, phonenumbers.PhoneNumber]]:
    try:
        return [(m.start, m.end, m.number) for m in PhoneNumberMatcher(raw, region, leniency=Leniency.VALID)]
    except Exception:  # phonenumbers on hostile input: a miss, never a crash of the pipeline
        return []


def _is_intl(probe: str, start: int) -> bool:
    """Was the match written with its country code ("+" here; "00" was rewritten to " +")?"""
    return probe[start : start + 1] == "+"


def find_phones(ctx: Context) -> list[Hit]:
    if not ctx.seven_digits:  # every run looked at holds _MIN_DIGITS (7) of 0-9
        return []
    text = ctx.text
    hits: list[Hit] = []
    for s, e in _runs(text):
        if any(cs <= s and e <= ce for cs, ce in ctx.claimed):
            continue
        raw = text[s:e]
        if _vetoed(ctx, s, e, raw):
            continue
        hits.extend(_phones_in_run(ctx, s, raw))
    return hits


def _phones_in_run(ctx: Context, s: int, raw: str) -> list[Hit]:
    digits = _NON_DIGIT.sub("", raw)
    lead = len(raw) - len(raw.lstrip("("))
    intl = raw[lead:].startswith(("+", "00"))
    phone_word = ctx.near(PHONE_WORDS, s, s + len(raw), 40, 10)
    end = s + len(raw)
    if intl:
        found = international_region(digits[2:] if raw[lead:].startswith("00") else digits)
        if found is not None and found[1]:
            return [Hit("pii:phone", s, end, found[0], 1.0)]
        if len(digits) <= _MAX_DIGITS_COMPACT + 2:
            return []  # a known country code with an invalid number, or no country code at all
        return _matcher_phones(ctx, s, raw, [ctx.regions[0] if ctx.regions else "EG"], [], phone_word)
    hinted = ctx.regions
    slow = len(digits) > 13
    pending = []  # named regions where only the matcher can tell (number written without its trunk 0)
    for region in hinted:
        verdict = _check(region, digits)
        if verdict is True:
            return [Hit("pii:phone", s, end, region, 1.0)]
        if verdict is None:
            pending.append(region)
    if pending:
        hits = _matcher_phones(ctx, s, raw, pending, hinted, phone_word)
        if hits:
            return hits
    fallback: list[str] = []
    if phone_word or digits.startswith("0"):  # fallback regions need a trunk 0 or a phone word
        best, undecided = fallback_region(digits, hinted)
        if best is not None:
            return [Hit("pii:phone", s, end, best, 1.0 if phone_word else 0.9)]
        slow = slow or undecided
        if slow:
            groups = _sub_digit_groups(raw)
            fallback = [r for r in dict.fromkeys(r for g in groups for r in plausible_regions(g)) if r not in hinted]
    if not slow:
        return []
    return _matcher_phones(ctx, s, raw, [*hinted, *fallback], hinted, phone_word)


def phone_from_digits(ctx: Context, s: int, e: int, digits: str) -> Hit | None:
    """A number already reduced to digits (spelt out in words): the same region choice and validation."""
    phone_word = ctx.near(PHONE_WORDS, s, e, 40, 10)
    if digits.startswith("00"):
        found = international_region(digits[2:])
        return Hit("pii:phone", s, e, found[0], 1.0) if found is not None and found[1] else None
    hinted = ctx.regions
    pending = []
    for region in hinted:
        verdict = _check(region, digits)
        if verdict:
            return Hit("pii:phone", s, e, region, 1.0)
        if verdict is None:
            pending.append(region)
    hits = _compact_phone(s, ctx.text[s:e], digits, pending, hinted, phone_word) if pending else []
    if hits:
        return hits[0]
    if not (phone_word or digits.startswith("0")):
        return None
    fallback = [r for r in plausible_regions(digits) if r not in hinted]
    for region in fallback:
        if _check(region, digits):
            return Hit("pii:phone", s, e, region, 1.0 if phone_word else 0.9)
    hits = _compact_phone(s, ctx.text[s:e], digits, fallback, hinted, phone_word)
    return hits[0] if hits else None


def _check(region: str, digits: str) -> bool | None:
    """Is `digits`, written locally, a valid number of `region`? None: it lacks the trunk prefix, and only
    phonenumbers' matcher knows whether the prefix is optional there (Lebanese mobiles often go without)."""
    p = plan(region)
    if p is None:
        return False
    nsn, trunk = national_digits(p, digits)
    if p.prefix and not trunk:
        return None
    return p.valid(nsn)


def _matcher_phones(
    ctx: Context, s: int, raw: str, regions: list[str], hinted: list[str], phone_word: bool
) -> list[Hit]:
    """The slow path: phonenumbers' matcher for runs holding several numbers or a number without its
    trunk prefix; then the run compacted, for numbers split by obfuscation ("7-6-3-3-4-8-1-9")."""
    lead = len(raw) - len(raw.lstrip("("))
    body = raw[lead:]
    rewritten = body.startswith("00")
    if rewritten:  # "00" is the international prefix everywhere in MENA; " +" keeps every offset
        body = " +" + body[2:]
    probe = raw[:lead] + body
    found: list[Hit] = []
    for region in regions:
        for ms, me, number in _matches(probe, region):
            if any(ms < h.end - s and h.start - s < me for h in found):
                continue
            start = s + ms
            if rewritten and ms == lead + 1:
                start -= 1  # include the first "0" of "00"
            score = 1.0
            if not _is_intl(probe, ms) and region not in hinted:
                trunk = _NON_DIGIT.sub("", probe[ms:me]).startswith("0")
                if not (trunk or phone_word):
                    continue
                score = 1.0 if phone_word else 0.9
            found.append(Hit("pii:phone", start, s + me, _region_of(number, region), score))
        if found and _covers(found, s, raw):
            break
    digits = _NON_DIGIT.sub("", raw)
    if found or len(digits) > _MAX_DIGITS_COMPACT:
        return found
    return _compact_phone(s, raw, digits, regions, hinted, phone_word)


def _compact_phone(s: int, raw: str, digits: str, regions: list[str], hinted: list[str], phone_word: bool) -> list[Hit]:
    """Numbers split by obfuscation: validate the digits alone, span the whole run."""
    for region in regions:
        for ms, me, number in _matches(digits, region):
            if ms != 0 or me != len(digits):
                continue
            if region not in hinted and not (digits.startswith("0") or phone_word):
                continue
            return [Hit("pii:phone", s, s + len(raw), _region_of(number, region), 1.0)]
    return []


def _covers(found: list[Hit], s: int, raw: str) -> bool:
    covered = sum(len(_NON_DIGIT.sub("", raw[h.start - s : h.end - s])) for h in found)
    return covered >= len(_NON_DIGIT.sub("", raw)) - 3


def _region_of(number: phonenumbers.PhoneNumber, fallback: str) -> str:
    region = phonenumbers.region_code_for_number(number)
    return region if region and region != "ZZ" else fallback
