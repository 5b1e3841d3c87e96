"""Benchmark of `sitr scan` on generated mixed-language items (one core).

Prints items/s of the full analysis, the same JSONL read + parse + write without analysis (the baseline,
measured in the same run), their ratio, the p50/p99 latency of a single `analyze` call, and peak memory.
Targets (issue 2): >= 5,000 items/s on one core; single-call p50 <= 2 ms.

    .venv/bin/python bench/scan.py [--n 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import statistics
import time

FRAGMENTS = {
    "ar": [
        "صباح الخير يا جماعة", "والله الجو حلو النهارده", "مين رايح الحفلة بكرة؟", "الشاب ده اسمه كريم س.",
        "ادفع قبل بكرة وإلا هبعت صورك لأهلك", "رقمه 01012345678", "دول شواذ لازم يتحاسبوا", "انا مثلي وفخور",
        "تقرير جديد عن حقوق الانسان", "شو رأيك نلتقي الليلة", "بدي اشتري كتاب جديد", "الله يحميكم جميعا",
    ],
    "ar-Latn": [
        "ya 3ami ezzayak", "enta fein delwa2ti?", "bidi shoufak el leila", "howa khawal w kolna 3arfin",
        "ib3atli sortak", "wallah ma3ak 7a2", "ana mithli w mabsout", "hat 500 walla hafda7ak",
    ],
    "fr": [
        "Bonjour à tous", "on se voit ce soir ?", "il est homo, tout le monde le sait", "paie ou je publie tes photos",
        "merci pour votre soutien", "l'association organise une rencontre", "appelez le 0612345678",
    ],
    "en": [
        "good morning everyone", "pay me or I send your pics to your family", "he is gay and works at the bank",
        "love this community", "let's meet tonight at the metro exit", "our office number is +961 1 234 567",
        "news: three men arrested after a dating app sting", "send me a face pic first",
    ],
}  # fmt: skip


def generate(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    langs = list(FRAGMENTS)
    out = []
    for i in range(n):
        lang = rng.choice(langs)
        if rng.random() < 0.15:
            messages = [
                {"from": "x" if k % 2 == 0 else "u", "text": " ".join(rng.sample(FRAGMENTS[lang], 2))}
                for k in range(rng.randint(4, 8))
            ]
            item = {"id": f"b{i}", "messages": messages, "surface": "dating_chat"}
        else:
            pieces = rng.sample(FRAGMENTS[lang], rng.randint(2, 4))
            if rng.random() < 0.1:
                pieces.append(rng.choice(FRAGMENTS[rng.choice(langs)]))
            item = {"id": f"b{i}", "text": " ".join(pieces)[:240], "surface": rng.choice(["post", "comment", "dm"])}
        out.append(json.dumps(item, ensure_ascii=False))
    return out


def baseline(lines: list[str]) -> float:
    """Read, parse and write the same JSONL without analysis."""
    from sitr.scan import encode, iter_lines, parse_line

    data = ("\n".join(lines) + "\n").encode()
    sink = io.BytesIO()
    start = time.perf_counter()
    for n, raw in iter_lines(io.BytesIO(data)):
        parsed = parse_line(n, raw)
        if parsed is not None and parsed.item is not None:
            sink.write(encode({"id": parsed.item.id, "segments": len(parsed.item.segments())}))
    return time.perf_counter() - start


def full_scan(lines: list[str]) -> float:
    from sitr.scan import iter_lines, scan_encoded

    data = ("\n".join(lines) + "\n").encode()
    sink = io.BytesIO()
    start = time.perf_counter()
    for _ok, line in scan_encoded(iter_lines(io.BytesIO(data))):  # exactly what `sitr scan` writes
        sink.write(line)
    return time.perf_counter() - start


def single_latency(lines: list[str], count: int) -> tuple[float, float]:
    from sitr.pipeline import analyze
    from sitr.types import Item

    items = [Item.from_dict(json.loads(line)) for line in lines[:count]]
    timings = []
    for item in items:
        t0 = time.perf_counter()
        analyze(item)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lines = generate(args.n, args.seed)
    from sitr.pipeline import analyze_batch
    from sitr.types import Item

    analyze_batch([Item.from_dict(json.loads(lines[0]))])  # load lexicons and model outside the timings
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t_base = baseline(lines)
    t_scan = full_scan(lines)
    p50, p99 = single_latency(lines, 1000)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"items: {args.n} generated mixed-language items (ar, Arabizi, fr, en; 15% conversations)")
    print(f"baseline (read + parse + write JSONL, no analysis): {args.n / t_base:,.0f} items/s")
    print(f"sitr scan, one core:                                {args.n / t_scan:,.0f} items/s")
    print(f"ratio scan / baseline time: {t_scan / t_base:.1f}x   (target: >= 5,000 items/s)")
    print(f"single analyze() latency: p50 {p50:.2f} ms, p99 {p99:.2f} ms   (target: p50 <= 2 ms)")
    print(f"peak RSS: {rss_after:.0f} MiB (after loading the model: {rss_before:.0f} MiB)")


if __name__ == "__main__":
    main()
