"""Compute every quality figure the README reports, on data the shipped model did not train on.

- the validation part of threats/dev.jsonl (fixed split by id hash): macro-F1, per threat, per language
  group, per variety, benign false-positive rate, language-identification accuracy;
- OSACT2020 dev (harassment vs the OFF label, macro-F1);
- transfer to each research-only dialect set (evaluation only; capped per set with --limit).

Writes docs/quality.json and prints Markdown tables for the README.

    .venv/bin/python scripts/quality_report.py [--limit 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from sitr.evaluation.data import RESEARCH_SETS, osact_examples, research_examples, threat_examples
from sitr.evaluation.runner import evaluate_binary_examples, evaluate_threat_examples
from sitr.types import THREATS

ROOT = Path(__file__).resolve().parents[1]


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def markdown(report: dict[str, Any]) -> str:
    v = report["validation"]
    lines = [
        f"Validation part of `threats/dev.jsonl`: {v['items']} items, macro-F1 **{_f(v['macro_f1'])}**, "
        f"benign false-positive rate **{_f(v['benign_false_positive_rate'])}** ({v['benign_items']} benign items).",
        "",
        "| threat | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for t in THREATS:
        c = v["threats"][t]
        lines.append(f"| {t} | {_f(c['precision'])} | {_f(c['recall'])} | {_f(c['f1'])} | {c['support']} |")
    lines += ["", "| F1 by language group | items | " + " | ".join(THREATS) + " | benign FPR |", "|---" * 8 + "|"]
    for g, data in v["groups"].items():
        cells = " | ".join(_f(data["threats"][t]["f1"]) for t in THREATS)
        lines.append(f"| {g} | {data['items']} | {cells} | {_f(data['benign_false_positive_rate'])} |")
    lines += ["", "| F1 by variety | " + " | ".join(THREATS) + " |", "|---" * 6 + "|"]
    for var, data in v["varieties"].items():
        lines.append(f"| {var} | " + " | ".join(_f(data[t]["f1"]) for t in THREATS) + " |")
    lid = v["language_id"]
    lines += [
        "",
        f"Language identification on the same items: language accuracy {_f(lid['lang_accuracy'])}, variety "
        f"accuracy on Arabic-script items {_f(lid['variety_accuracy_arabic_script'])} "
        f"({lid['arabic_script_items']} items). Recall of labels on obfuscated items: "
        f"{_f(v['obfuscation']['obfuscated_label_recall'])}. Calibration error (ECE, all threats pooled) per "
        "language group: " + ", ".join(f"{g} {e:.3f}" for g, e in v["calibration_error"].items()) + ".",
        "",
        f"OSACT2020 dev (harassment vs offensive, {report['osact_dev']['items']} tweets): macro-F1 "
        f"**{_f(report['osact_dev']['macro_f1'])}**.",
        "",
        "| dialect set (evaluation only) | items | macro-F1 | offensive precision | offensive recall |",
        "|---|---|---|---|---|",
    ]
    for name, r in report["research"].items():
        pos = r["positive"]
        lines.append(
            f"| {name} | {r['items']} | {_f(r['macro_f1'])} | {_f(pos['precision'])} | {_f(pos['recall'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=3000, help="items per research set (random, seed 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "quality.json")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    report["validation"] = evaluate_threat_examples(threat_examples("validation"))
    report["osact_dev"] = evaluate_binary_examples(osact_examples("dev"))
    report["research"] = {}
    for name in RESEARCH_SETS:
        examples = research_examples(name)
        random.Random(5).shuffle(examples)
        report["research"][name] = evaluate_binary_examples(examples[: args.limit])
        print(f"{name}: done", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
