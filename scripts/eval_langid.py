"""Accuracy of sitr.text.langid.identify on the labelled threat set (training part by default).

Gold labels: `lang` (ar, fr, en, mixed), except items of variety "arabizi", whose language is ar-Latn;
`variety` with tun, mor and alg mapped to mag. Arabizi items carry no dialect, so they count for language
accuracy only. Conversations are judged on their messages joined. Prints figures only, never text.

    .venv/bin/python scripts/eval_langid.py [--part train|validation] [--data PATH] [--normalized]

--normalized judges identify(normalize(text).text) instead of the raw text (spaced and dotted letters joined).

    .venv/bin/python scripts/eval_langid.py --transfer

--transfer reports, on the single-dialect files of research-eval-only/arabic-offensive-dialects (evaluation
only: never tune on them), how often identify names the file's dialect: a check on texts nobody looked at while
writing the marker lists. Only rows written mostly in Arabic script are judged.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from sitr.evaluation.split import is_validation
from sitr.text.langid import identify
from sitr.text.normalize import normalize

VARIETY_MAP = {"tun": "mag", "mor": "mag", "alg": "mag"}


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("SITR_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def gold(item: dict[str, object]) -> tuple[str, str | None]:
    variety = str(item["variety"])
    if variety == "arabizi":
        return "ar-Latn", None
    return str(item["lang"]), VARIETY_MAP.get(variety, variety)


def text_of(item: dict[str, object]) -> str:
    if isinstance(item.get("text"), str):
        return str(item["text"])
    messages = item["messages"]
    assert isinstance(messages, list)
    return "\n".join(str(m["text"]) for m in messages)


def confusion(pairs: list[tuple[str, str]], title: str) -> None:
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    counts = Counter(pairs)
    width = max(8, *(len(x) + 1 for x in labels))
    print(f"\n{title} (rows: gold, columns: predicted)")
    print("".ljust(width) + "".join(x.rjust(width) for x in labels))
    for g in labels:
        print(g.ljust(width) + "".join(str(counts.get((g, p), 0)).rjust(width) for p in labels))


TRANSFER_FILES: dict[str, str] = {
    "l-hsab.csv": "lev",
    "let-mi.csv": "lev",
    "omcd.csv": "mag",
    "saudi-alhazmi2023.csv": "glf",
}


def transfer(root: Path, limit: int) -> int:
    folder = root / "research-eval-only" / "arabic-offensive-dialects"
    if not folder.exists():
        print(f"no research data at {folder}", file=sys.stderr)
        return 2
    print(f"dialect transfer (Arabic-script rows among the first {limit} of each file; share of rows)")
    print(f"{'file':26} {'dialect':8} {'rows':>6} {'variety ok':>11} {'msa':>6} {'unknown':>8} {'other':>6}")
    for name, dialect in TRANSFER_FILES.items():
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            rows = [r["text"] for r, _ in zip(csv.DictReader(fh), range(limit), strict=False)]
        rows = [r for r in rows if identify(r).lang == "ar"]
        counts: Counter[str] = Counter()
        for text in rows:
            v = identify(text).variety
            counts["ok" if v == dialect else v if v in ("msa", "unknown") else "other"] += 1
        n = max(len(rows), 1)
        print(
            f"{name:26} {dialect:8} {len(rows):>6} {counts['ok'] / n:>11.3f} "
            f"{counts['msa'] / n:>6.3f} {counts['unknown'] / n:>8.3f} {counts['other'] / n:>6.3f}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("train", "validation"), default="train")
    ap.add_argument("--data", default=None, help="the shared data folder (default: ../shared/data)")
    ap.add_argument("--normalized", action="store_true", help="identify the normalized text, not the raw one")
    ap.add_argument("--transfer", action="store_true", help="dialect transfer on the research-eval-only files")
    ap.add_argument("--limit", type=int, default=3000, help="rows per research file (with --transfer)")
    args = ap.parse_args(argv)
    if args.transfer:
        return transfer(data_dir(args.data), args.limit)
    path = data_dir(args.data) / "threats" / "dev.jsonl"
    if not path.exists():
        print(f"no labelled data at {path}", file=sys.stderr)
        return 2
    want_validation = args.part == "validation"
    lang_pairs: list[tuple[str, str]] = []
    var_pairs: list[tuple[str, str]] = []
    arabizi_varieties: Counter[str] = Counter()
    elapsed = 0.0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if is_validation(str(item["id"])) != want_validation:
                continue
            g_lang, g_var = gold(item)
            text = text_of(item)
            if args.normalized:
                text = normalize(text).text
            t0 = time.perf_counter()
            guess = identify(text)
            elapsed += time.perf_counter() - t0
            lang_pairs.append((g_lang, guess.lang))
            if g_var is not None:
                var_pairs.append((g_var, guess.variety))
            elif guess.lang == "ar-Latn":
                arabizi_varieties[guess.variety] += 1
    if not lang_pairs:
        print("no items in this part", file=sys.stderr)
        return 2
    lang_acc = sum(g == p for g, p in lang_pairs) / len(lang_pairs)
    var_acc = sum(g == p for g, p in var_pairs) / len(var_pairs)
    ar_pairs = [(g, p) for g, p in var_pairs if g in ("msa", "egy", "lev", "glf", "irq", "mag")]
    ar_acc = sum(g == p for g, p in ar_pairs) / max(len(ar_pairs), 1)
    print(f"part: {args.part}   items: {len(lang_pairs)}   text: {'normalized' if args.normalized else 'raw'}")
    print(f"language accuracy: {lang_acc:.3f}  ({sum(g == p for g, p in lang_pairs)}/{len(lang_pairs)})")
    print(f"variety accuracy (items with a gold variety): {var_acc:.3f}  ({len(var_pairs)} items)")
    print(f"Arabic-script variety accuracy: {ar_acc:.3f}  ({len(ar_pairs)} items)")
    print(f"identify: {elapsed / len(lang_pairs) * 1e6:.1f} us per item (conversations joined)")
    confusion(lang_pairs, "language")
    confusion(ar_pairs, "Arabic-script variety")
    print("\nvarieties predicted for Arabizi items (no gold dialect):", dict(sorted(arabizi_varieties.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
