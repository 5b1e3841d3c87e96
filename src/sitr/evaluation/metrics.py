"""Quality figures for `sitr eval`: precision, recall and F1 per threat, per language group and per variety,
and the false-positive rate on benign items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sitr.types import THREATS

GROUPS = ("arabic_script", "arabizi", "french", "english", "mixed")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        d = self.tp + self.fp
        return self.tp / d if d else None

    @property
    def recall(self) -> float | None:
        d = self.tp + self.fn
        return self.tp / d if d else None

    @property
    def f1(self) -> float | None:
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": _r(self.precision),
            "recall": _r(self.recall),
            "f1": _r(self.f1),
            "support": self.tp + self.fn,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class Row:
    gold: frozenset[str]
    pred: frozenset[str]
    group: str
    variety: str


def evaluate(rows: list[Row]) -> dict[str, Any]:
    overall = {t: Counts() for t in THREATS}
    by_group: dict[str, dict[str, Counts]] = defaultdict(lambda: {t: Counts() for t in THREATS})
    by_variety: dict[str, dict[str, Counts]] = defaultdict(lambda: {t: Counts() for t in THREATS})
    benign = {"all": [0, 0]}
    benign_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    exact = 0
    for row in rows:
        for t in THREATS:
            g, p = t in row.gold, t in row.pred
            overall[t].add(g, p)
            by_group[row.group][t].add(g, p)
            by_variety[row.variety][t].add(g, p)
        if not row.gold:
            flagged = 1 if row.pred else 0
            benign["all"][0] += flagged
            benign["all"][1] += 1
            benign_group[row.group][0] += flagged
            benign_group[row.group][1] += 1
        exact += row.gold == row.pred
    f1s = [c.f1 for c in overall.values() if c.f1 is not None]
    return {
        "items": len(rows),
        "macro_f1": _r(sum(f1s) / len(f1s)) if f1s else None,
        "exact_match": _r(exact / len(rows)) if rows else None,
        "threats": {t: c.to_dict() for t, c in overall.items()},
        "benign_false_positive_rate": _rate(benign["all"]),
        "benign_items": benign["all"][1],
        "groups": {
            g: {
                "items": sum(1 for r in rows if r.group == g),
                "threats": {t: c.to_dict() for t, c in by_group[g].items()},
                "benign_false_positive_rate": _rate(benign_group[g]),
            }
            for g in GROUPS
            if g in by_group
        },
        "varieties": {
            v: {t: c.to_dict() for t, c in cs.items()} for v, cs in sorted(by_variety.items())
        },
    }


def _rate(pair: list[int]) -> float | None:
    return round(pair[0] / pair[1], 4) if pair[1] else None


def binary_report(gold: list[bool], pred: list[bool]) -> dict[str, Any]:
    """Macro-F1 of a binary task (e.g. OSACT offensive vs not) plus per-class figures."""
    pos, neg = Counts(), Counts()
    for g, p in zip(gold, pred, strict=True):
        pos.add(g, p)
        neg.add(not g, not p)
    f1s = [pos.f1 or 0.0, neg.f1 or 0.0]
    return {
        "items": len(gold),
        "macro_f1": _r(sum(f1s) / 2),
        "positive": pos.to_dict(),
        "negative": neg.to_dict(),
    }
