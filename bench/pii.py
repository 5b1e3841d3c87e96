"""Benchmark of sitr's personal-data extractor against Presidio's regex engine (one core, same process).

Generates N synthetic mixed-language messages (ar, Arabizi, fr, en) holding fictional phone numbers of all 22
MENA countries in many formats (+, 00, local with trunk 0, spaced, dotted, dashed, Arabic-Indic digits),
valid Egyptian / Saudi / UAE identity numbers, and distractor numbers (prices, dates, order numbers), then
runs `sitr.detect.pii.find_pii` and Presidio (NoOpNlpEngine, PhoneRecognizer with the MENA regions, plus the
Turkish national-ID recognizer, the only MENA ID it ships) on the same texts.

Prints items/s for each, the speed ratio, recall on phones and on IDs, and false positives on distractors.
Targets: sitr recall >= 0.98 on phones and IDs; sitr >= 20x faster than Presidio.

    .venv/bin/pip install -e '.[bench]'     # presidio-analyzer, pinned
    .venv/bin/python bench/pii.py [--n 5000] [--seed 11]

Presidio is built by hand (registry + NoOpNlpEngine): a plain AnalyzerEngine() tries to download a spaCy
model. Every socket connection is refused for the whole run, so the figures prove nothing is downloaded.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import time
from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat

from sitr.detect.pii import find_pii
from sitr.detect.pii.regions import MENA_REGIONS

AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

PHONE_TEMPLATES = {
    "ar": ["رقمه {x} اللي يعرفه يكلمه", "ده رقمها {x} ابعتولها", "للتواصل واتساب {x}", "هذا رقم اخوه {x}",
           "اتصلوا على {x} بعد العصر", "{city}: رقمي {x}"],
    "arz": ["ra2mo {x} ba3atolo", "hedha noumrou {x}", "raqma {x} ya jama3a", "{city} ra2m {x}"],
    "fr": ["Voilà son numéro {x}, appelez-le.", "Contactez-moi au {x} svp", "son tél: {x} ({city})",
           "Réservation au {x}"],
    "en": ["his number is {x}, call him", "WhatsApp {x} for orders", "call me on {x} if you see her",
           "phone: {x} - {city}", "text her at {x}"],
}  # fmt: skip
ID_TEMPLATES = {
    "ar": ["الرقم القومي بتاعه {x}", "رقم الهوية {x}", "هذا رقمه الوطني {x} انشروه", "بطاقته {x}", "شوفوا ده {x}"],
    "en": ["his ID number is {x}", "iqama {x}, share it", "Emirates ID {x}", "look who it is: {x}"],
    "fr": ["sa carte d'identité: {x}", "identifiant {x} à diffuser"],
}  # fmt: skip
DISTRACTORS = [
    "السعر {p} جنيه بس", "price {p} AED, negotiable", "prix: {p} DH", "بسعر {p} ريال", "{p} dollars total",
    "Order #{o} shipped today", "commande n° {o} bien reçue", "رقم الطلب {o}", "tracking {o}", "invoice {o} paid",
    "rendez-vous le {d}", "meeting on {d} at 10", "موعدنا يوم {d}", "born {d}", "{v} views already!",
    "الفاتورة رقم {o}", "ref {o}", "budget {p} EGP for 2025",
]  # fmt: skip
CITIES = {
    "EG": "Cairo", "SA": "الرياض", "AE": "Dubai", "KW": "الكويت", "QA": "Doha", "BH": "Manama", "OM": "Muscat",
    "YE": "صنعاء", "IQ": "بغداد", "JO": "Amman", "LB": "Beirut", "SY": "دمشق", "PS": "Ramallah", "IL": "Haifa",
    "TR": "Istanbul", "IR": "Tehran", "MA": "Casablanca", "DZ": "Alger", "TN": "Tunis", "LY": "طرابلس",
    "SD": "الخرطوم", "MR": "Nouakchott",
}  # fmt: skip


@dataclass
class Sample:
    text: str
    kind: str  # "phone" | "id" | "distractor"
    span: tuple[int, int] | None


def forbid_network() -> None:
    """Refuse every connection: if anything tries to download, the benchmark fails instead."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("network access attempted during the benchmark")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]


def random_mobile(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    nsn = str(example.national_number)
    for _ in range(200):
        keep = max(2, len(nsn) - 6)
        candidate = nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
        number = phonenumbers.parse("+" + str(example.country_code) + candidate, None)
        if phonenumbers.is_valid_number(number):
            return number
    return example


def format_phone(rng: random.Random, number: phonenumbers.PhoneNumber) -> str:
    style = rng.randrange(8)
    if style == 0:
        s = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    elif style == 1:
        s = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    elif style == 2:
        s = "00" + phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)[1:]
    elif style == 3:
        s = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    elif style == 4:
        s = "".join(c for c in phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if c.isdigit())
    elif style == 5:
        s = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL).replace(" ", rng.choice(".-"))
    elif style == 6:
        s = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL).translate(AR_DIGITS)
    else:
        s = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL).translate(AR_DIGITS)
    return s


def luhn_complete(body: str) -> str:
    for d in "0123456789":
        digits = body + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return digits
    raise AssertionError


def random_id(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # Egypt: century, YYMMDD, governorate, serial, check
        century = rng.choice("23")
        yy = rng.randrange(0, 25) if century == "3" else rng.randrange(40, 100)
        gov = rng.choice([1, 2, 3, 4, 12, 13, 14, 16, 21, 24, 25, 26, 88])
        body = f"{century}{yy:02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{gov:02d}"
        s = body + "".join(rng.choice("0123456789") for _ in range(5))
    elif kind == 1:  # Saudi: 1 citizen / 2 iqama, Luhn
        s = luhn_complete(rng.choice("12") + "".join(rng.choice("0123456789") for _ in range(8)))
    else:  # UAE: 784-YYYY-NNNNNNN-C
        s = luhn_complete("784" + str(rng.randrange(1960, 2010)) + "".join(rng.choice("0123456789") for _ in range(7)))
        if rng.random() < 0.5:
            s = f"{s[:3]}-{s[3:7]}-{s[7:14]}-{s[14]}"
    return s.translate(AR_DIGITS) if rng.random() < 0.3 else s


def random_distractor(rng: random.Random) -> str:
    template = rng.choice(DISTRACTORS)
    price = rng.choice([str(rng.randrange(100, 99999999)), f"{rng.randrange(1, 999)},{rng.randrange(0, 999):03d}",
                        f"{rng.randrange(1, 99)} {rng.randrange(0, 999):03d} {rng.randrange(0, 999):03d}"])  # fmt: skip
    order = str(rng.randrange(10**6, 10**10))
    day, month, year = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(1990, 2030)
    date = rng.choice(
        [f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year}"]
    )
    views = f"{rng.randrange(1, 999)} {rng.randrange(0, 999):03d} {rng.randrange(0, 999):03d}"
    return template.format(p=price, o=order, d=date, v=views)


def place(template: str, value: str, city: str) -> Sample:
    before, after = template.split("{x}")
    before = before.replace("{city}", city)
    return Sample(before + value + after.replace("{city}", city), "", (len(before), len(before) + len(value)))


def generate(n: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = rng.random()
        if r < 0.6:
            region = MENA_REGIONS[i % len(MENA_REGIONS)]
            lang = rng.choice(list(PHONE_TEMPLATES))
            value = format_phone(rng, random_mobile(rng, region))
            city = CITIES[region] if rng.random() < 0.5 else ""
            sample = place(rng.choice(PHONE_TEMPLATES[lang]), value, city)
            sample.kind = "phone"
        elif r < 0.8:
            lang = rng.choice(list(ID_TEMPLATES))
            sample = place(rng.choice(ID_TEMPLATES[lang]), random_id(rng), "")
            sample.kind = "id"
        else:
            sample = Sample(random_distractor(rng), "distractor", None)
        out.append(sample)
    return out


def build_presidio() -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine.no_op_nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    recognizers: list[Any] = [PhoneRecognizer(supported_regions=list(MENA_REGIONS))]
    try:  # the only Middle-East national ID Presidio ships
        from presidio_analyzer.predefined_recognizers import TrNationalIdRecognizer

        recognizers.append(TrNationalIdRecognizer())
    except ImportError:
        pass
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def covers(found: tuple[int, int], gold: tuple[int, int]) -> bool:
    """A finding counts when it overlaps at least 80% of the gold span (a dropped '+' still counts)."""
    overlap = min(found[1], gold[1]) - max(found[0], gold[0])
    return overlap >= 0.8 * (gold[1] - gold[0])


def score(
    samples: list[Sample], results: list[list[tuple[str, int, int]]], phone: str, ids: set[str]
) -> dict[str, float]:
    hits = {"phone": 0, "id": 0}
    totals = {"phone": 0, "id": 0, "distractor": 0}
    false_pos = 0
    for sample, found in zip(samples, results, strict=True):
        totals[sample.kind] += 1
        if sample.kind == "distractor":
            false_pos += bool(found)
            continue
        assert sample.span is not None
        wanted = {phone} if sample.kind == "phone" else ids
        if any(kind in wanted and covers((s, e), sample.span) for kind, s, e in found):
            hits[sample.kind] += 1
    return {
        "phone_recall": hits["phone"] / max(1, totals["phone"]),
        "id_recall": hits["id"] / max(1, totals["id"]),
        "distractor_fp": false_pos / max(1, totals["distractor"]),
        "phones": totals["phone"],
        "ids": totals["id"],
        "distractors": totals["distractor"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    forbid_network()
    samples = generate(args.n, args.seed)
    texts = [s.text for s in samples]

    engine = build_presidio()
    engine.analyze(text=texts[0], language="en")
    find_pii(texts[0])  # load data files and phone metadata outside the timed loop
    # Interleaved chunks: on a shared machine both engines see the same load, so the ratio is fair.
    sitr_found: list[list[tuple[str, int, int]]] = []
    pres_found: list[list[tuple[str, int, int]]] = []
    sitr_s = pres_s = 0.0
    step = max(1, len(texts) // 20)
    for i in range(0, len(texts), step):
        chunk = texts[i : i + step]
        t0 = time.perf_counter()
        sitr_found.extend([(f.kind, f.start, f.end) for f in find_pii(t)] for t in chunk)
        t1 = time.perf_counter()
        pres_found.extend(
            [(r.entity_type, r.start, r.end) for r in engine.analyze(text=t, language="en")] for t in chunk
        )
        t2 = time.perf_counter()
        sitr_s += t1 - t0
        pres_s += t2 - t1

    # only the kinds under test count as findings on distractors
    sitr_relevant = [[f for f in fs if f[0] in ("pii:phone", "pii:national_id")] for fs in sitr_found]
    sitr = score(samples, sitr_relevant, "pii:phone", {"pii:national_id"})
    pres = score(samples, pres_found, "PHONE_NUMBER", {"TR_NATIONAL_ID"})
    print(f"items: {len(texts)} ({sitr['phones']} phones, {sitr['ids']} IDs, {sitr['distractors']} distractors)")
    print(f"{'':10}{'items/s':>10}{'phone recall':>14}{'ID recall':>11}{'FP distractors':>16}")
    for name, sec, m in (("sitr", sitr_s, sitr), ("presidio", pres_s, pres)):
        print(f"{name:10}{len(texts) / sec:>10.0f}{m['phone_recall']:>14.3f}{m['id_recall']:>11.3f}"
              f"{m['distractor_fp']:>16.3f}")  # fmt: skip
    ratio = pres_s / sitr_s
    print(f"speed ratio sitr/presidio: {ratio:.1f}x")
    ok = sitr["phone_recall"] >= 0.98 and sitr["id_recall"] >= 0.98 and ratio >= 20
    print("targets (recall >= 0.98 on phones and IDs, >= 20x faster):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
