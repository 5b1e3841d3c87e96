"""Run the pipeline over a labelled file and compute the figures `sitr eval` prints.

Three formats, told apart by extension: the threat set's JSONL (five threats, language groups, varieties),
OSACT's TSV (`text<TAB>OFF|NOT_OFF<TAB>...`) and CSV with `text,offensive` columns (the dialect sets); the
last two are scored as harassment against the offensive label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sitr.evaluation.data import (
    Example,
    coarse_variety,
    read_offensive_csv,
    read_offensive_tsv,
    read_threat_file,
)
from sitr.evaluation.metrics import Row, binary_report, evaluate
from sitr.evaluation.split import is_validation
from sitr.types import THREATS

BATCH = 512


def predict(examples: list[Example]) -> list[frozenset[str]]:
    return [p[0] for p in predict_with_lang(examples)]


def predict_with_lang(examples: list[Example]) -> list[tuple[frozenset[str], str, str, dict[str, float]]]:
    from sitr.pipeline import analyze_batch

    out: list[tuple[frozenset[str], str, str, dict[str, float]]] = []
    for i in range(0, len(examples), BATCH):
        chunk = [e.item for e in examples[i : i + BATCH]]
        out.extend(
            (frozenset(a.detected()), a.lang, a.variety, {t: s.score for t, s in a.threats.items()})
            for a in analyze_batch(chunk)
        )
    return out


def calibration(examples: list[Example], preds: list[tuple[Any, ...]], bins: int = 5) -> dict[str, Any]:
    """Expected calibration error per language group (all threats pooled, equal-width bins): a score should
    mean the same probability in every language."""
    out: dict[str, Any] = {}
    groups = sorted({e.group for e in examples})
    for g in groups:
        pairs = [
            (p[3][t], t in e.labels) for e, p in zip(examples, preds, strict=True) if e.group == g for t in THREATS
        ]
        if not pairs:
            continue
        total = 0.0
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            cell = [(s, y) for s, y in pairs if lo <= s < hi or (b == bins - 1 and s == 1.0)]
            if cell:
                mean_score = sum(s for s, _ in cell) / len(cell)
                rate = sum(1 for _, y in cell if y) / len(cell)
                total += len(cell) / len(pairs) * abs(mean_score - rate)
        out[g] = round(total, 4)
    return out


def evaluate_threat_examples(examples: list[Example]) -> dict[str, Any]:
    preds = predict_with_lang(examples)
    rows = [
        Row(gold=e.labels, pred=p[0], group=e.group, variety=coarse_variety(e.variety))
        for e, p in zip(examples, preds, strict=True)
    ]
    report = evaluate(rows)
    report["language_id"] = _langid_accuracy(examples, preds)
    report["obfuscation"] = _obfuscated_recall(examples, preds)
    report["calibration_error"] = calibration(examples, preds)
    return report


def _langid_accuracy(examples: list[Example], preds: list[tuple[Any, ...]]) -> dict[str, Any]:
    lang_ok = lang_n = var_ok = var_n = 0
    for e, (_, lang, variety, _scores) in zip(examples, preds, strict=True):
        gold_lang = {"arabizi": "ar-Latn", "fr": "fr", "en": "en", "mixed": "mixed"}.get(e.variety, "ar")
        lang_n += 1
        lang_ok += lang == gold_lang
        gold_var = coarse_variety(e.variety)
        if gold_var in {"msa", "egy", "lev", "glf", "irq", "mag"}:
            var_n += 1
            var_ok += variety == gold_var
    return {
        "lang_accuracy": round(lang_ok / lang_n, 4) if lang_n else None,
        "variety_accuracy_arabic_script": round(var_ok / var_n, 4) if var_n else None,
        "items": lang_n,
        "arabic_script_items": var_n,
    }


def _obfuscated_recall(examples: list[Example], preds: list[tuple[Any, ...]]) -> dict[str, Any]:
    hit = total = 0
    for e, (pred, _, _, _scores) in zip(examples, preds, strict=True):
        if e.meta.get("obfuscated") == "true" and e.labels:
            total += len(e.labels)
            hit += len(e.labels & pred)
    return {"obfuscated_label_recall": round(hit / total, 4) if total else None, "obfuscated_labels": total}


def read_binary_file(path: Path) -> list[Example]:
    if path.suffix == ".tsv":
        return read_offensive_tsv(path, path.stem)
    return read_offensive_csv(path, path.stem)


def evaluate_binary_examples(examples: list[Example]) -> dict[str, Any]:
    preds = predict(examples)
    gold = ["harassment" in e.labels for e in examples]
    pred = ["harassment" in p for p in preds]
    report = binary_report(gold, pred)
    report["task"] = "harassment vs offensive label"
    return report


def evaluate_file(path: Path, part: str = "all") -> dict[str, Any]:
    if path.suffix == ".jsonl":
        examples = list(read_threat_file(path))
        if part != "all":
            examples = [e for e in examples if is_validation(e.item.id) == (part == "validation")]
        report = evaluate_threat_examples(examples)
        report["format"] = "threats"
        report["part"] = part
        return report
    report = evaluate_binary_examples(read_binary_file(path))
    report["format"] = "binary"
    return report


def render(report: dict[str, Any], console: Console) -> None:
    if report.get("format") == "binary":
        console.print(f"{report['items']} items, {report['task']}: macro-F1 [bold]{report['macro_f1']}[/]")
        pos = report["positive"]
        console.print(f"offensive: precision {pos['precision']} recall {pos['recall']} F1 {pos['f1']}")
        return
    console.print(
        f"{report['items']} items ({report.get('part')}): macro-F1 [bold]{report['macro_f1']}[/], "
        f"benign false-positive rate [bold]{report['benign_false_positive_rate']}[/] "
        f"of {report['benign_items']} benign"
    )
    table = Table("threat", "precision", "recall", "F1", "support")
    for t in THREATS:
        c = report["threats"][t]
        table.add_row(t, _f(c["precision"]), _f(c["recall"]), _f(c["f1"]), str(c["support"]))
    console.print(table)
    groups = Table("group", "items", *THREATS, "benign FPR", title="F1 per language group")
    for g, data in report["groups"].items():
        groups.add_row(
            g, str(data["items"]), *(_f(data["threats"][t]["f1"]) for t in THREATS),
            _f(data["benign_false_positive_rate"]),
        )  # fmt: skip
    console.print(groups)
    varieties = Table("variety", *THREATS, title="F1 per variety")
    for v, data in report["varieties"].items():
        varieties.add_row(v, *(_f(data[t]["f1"]) for t in THREATS))
    console.print(varieties)
    lid = report["language_id"]
    console.print(
        f"language id accuracy {lid['lang_accuracy']}, variety accuracy (Arabic script) "
        f"{lid['variety_accuracy_arabic_script']}; obfuscated-label recall "
        f"{report['obfuscation']['obfuscated_label_recall']}"
    )
    console.print(f"calibration error (ECE) per language group: {report['calibration_error']}")


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"
