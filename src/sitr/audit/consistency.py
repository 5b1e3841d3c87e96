"""`sitr audit consistency DATA.jsonl`: is sitr equally right in every language and variety?

Runs the real pipeline and the policy over a labelled set (the threat-set JSONL format) and reports, per
language and per variety: false-positive rate (benign items sitr intervened on), false-negative rate
(harmful items it let through), decision rates, each with a stratified bootstrap 95% interval (fixed seed);
the disparity ratio between the best- and the worst-served variety (worst rate / best rate; when the best
made no such error, Jeffreys-smoothed rates keep it finite; 1.0 when none did), flagged above a bound
(default 1.25);
and, on a line of its own, over-enforcement of LGBT people's own speech: benign items that self-disclose,
reclaim a term or advocate, found by the pipeline's lexicon findings (`lex:self_disclosure`,
`lex:identity_reclaimed`, `lex:advocacy_support`) or named so by the labeller's note.

"Intervened" means the policy's outcome is `action` or `review` by default (a queued item of one's own
speech is already a burden and often restricted meanwhile); `--enforcement action` counts automatic action
only. Rates of groups with fewer than `min_n` items are shown but left out of the disparity ratio.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitr.report.stats import bootstrap_ci
from sitr.types import THREATS, Assessment, Item

OWN_SPEECH_FINDINGS: frozenset[str] = frozenset(
    {"lex:self_disclosure", "lex:identity_reclaimed", "lex:advocacy_support"}
)
OWN_SPEECH_NOTE = re.compile(r"self[- ]disclos|reclaim|advoca|support|solidarity|pride|coming out", re.IGNORECASE)
DEFAULT_BOUND = 1.25
DEFAULT_MIN_N = 10


@dataclass(frozen=True)
class Labelled:
    item: Item
    labels: frozenset[str]
    lang: str
    variety: str
    note: str = ""


def read_labelled(path: Path) -> list[Labelled]:
    """The threat-set JSONL (see ../shared/data/threats/LABELLING.md); `lang`/`variety` as labelled."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            labels = row.get("labels") or []
            if not isinstance(labels, list) or any(x not in THREATS for x in labels):
                raise ValueError(f"line {n}: labels must be a subset of {', '.join(THREATS)}")
            out.append(
                Labelled(
                    item=Item.from_dict(row),
                    labels=frozenset(labels),
                    lang=str(row.get("lang") or "unknown"),
                    variety=str(row.get("variety") or "unknown"),
                    note=str(row.get("note") or ""),
                )
            )
    return out


@dataclass(frozen=True)
class Outcome:
    lang: str
    variety: str
    harmful: bool
    decision: str  # action | review | none
    own_speech: bool


def _rate(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _smoothed(values: Sequence[float]) -> float:
    """Jeffreys-smoothed rate: keeps a ratio finite when the best group made no error at all."""
    return (sum(values) + 0.5) / (len(values) + 1)


def _ci(values: list[float], resamples: int, seed: int) -> list[float] | None:
    if not values:
        return None
    ci = bootstrap_ci([values], lambda g: _rate(g[0]), resamples=resamples, seed=seed)
    return [round(ci[0], 4), round(ci[1], 4)] if ci else None


def _group(outcomes: list[Outcome], positive: frozenset[str], resamples: int, seed: int) -> dict[str, Any]:
    benign = [1.0 if o.decision in positive else 0.0 for o in outcomes if not o.harmful]
    harmful = [0.0 if o.decision in positive else 1.0 for o in outcomes if o.harmful]
    out: dict[str, Any] = {"n": len(outcomes), "benign": len(benign), "harmful": len(harmful)}
    fpr, fnr = _rate(benign), _rate(harmful)
    out["fpr"] = round(fpr, 4) if fpr is not None else None
    out["fpr_ci95"] = _ci(benign, resamples, seed)
    out["fnr"] = round(fnr, 4) if fnr is not None else None
    out["fnr_ci95"] = _ci(harmful, resamples, seed)
    for decision in ("action", "review", "none"):
        share = [1.0 if o.decision == decision else 0.0 for o in outcomes]
        rate = _rate(share)
        out[f"rate_{decision}"] = round(rate, 4) if rate is not None else None
        out[f"rate_{decision}_ci95"] = _ci(share, resamples, seed)
    return out


def _disparity(
    groups: dict[str, list[Outcome]], positive: frozenset[str], metric: str, min_n: int, bound: float
) -> dict[str, Any]:
    rates: dict[str, tuple[float, float, int]] = {}
    for name, outs in groups.items():
        if metric == "fpr":
            values = [1.0 if o.decision in positive else 0.0 for o in outs if not o.harmful]
        else:
            values = [0.0 if o.decision in positive else 1.0 for o in outs if o.harmful]
        if len(values) >= min_n:
            rates[name] = (_smoothed(values), sum(values) / len(values), len(values))
    if len(rates) < 2:
        return {"ratio": None, "flag": False, "best": None, "worst": None, "compared": sorted(rates)}
    best = min(rates, key=lambda k: (rates[k][1], rates[k][0]))
    worst = max(rates, key=lambda k: (rates[k][1], rates[k][0]))
    if rates[worst][1] == 0:
        ratio = 1.0  # no group made this error at all: nothing to compare
    elif rates[best][1] > 0:
        ratio = rates[worst][1] / rates[best][1]
    else:
        ratio = rates[worst][0] / rates[best][0]  # the best made none: smoothed, so the ratio stays finite
    return {
        "ratio": round(ratio, 3),
        "flag": ratio > bound,
        "best": {"group": best, "rate": round(rates[best][1], 4), "n": rates[best][2]},
        "worst": {"group": worst, "rate": round(rates[worst][1], 4), "n": rates[worst][2]},
        "compared": sorted(rates),
    }


def _own_speech(item: Labelled, assessment: Assessment) -> bool:
    if item.labels:
        return False
    kinds = {span.kind for span in assessment.findings}
    return bool(kinds & OWN_SPEECH_FINDINGS) or bool(OWN_SPEECH_NOTE.search(item.note))


def audit_consistency(
    items: Iterable[Labelled],
    *,
    analyze_batch: Callable[[list[Item]], list[Assessment]] | None = None,
    policy: Any = None,
    positive: Iterable[str] = ("action", "review"),
    bound: float = DEFAULT_BOUND,
    min_n: int = DEFAULT_MIN_N,
    resamples: int = 1000,
    seed: int = 0,
    batch_size: int = 256,
) -> dict[str, Any]:
    from sitr.policy import decide, load_policy

    if analyze_batch is None:
        from sitr.pipeline import analyze_batch as real_batch

        analyze_batch = real_batch
    policy = policy if policy is not None else load_policy()
    chosen = frozenset(positive)
    data = list(items)
    outcomes: list[Outcome] = []
    for start in range(0, len(data), batch_size):
        chunk = data[start : start + batch_size]
        for labelled, assessment in zip(chunk, analyze_batch([x.item for x in chunk]), strict=True):
            decision = decide(assessment, policy)
            outcomes.append(
                Outcome(
                    lang=labelled.lang,
                    variety=labelled.variety,
                    harmful=bool(labelled.labels),
                    decision=decision.outcome,
                    own_speech=_own_speech(labelled, assessment),
                )
            )
    by_lang: dict[str, list[Outcome]] = defaultdict(list)
    by_variety: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_lang[o.lang].append(o)
        by_variety[f"{o.lang}/{o.variety}"].append(o)
    own = [o for o in outcomes if o.own_speech]
    own_values = [1.0 if o.decision in chosen else 0.0 for o in own]
    own_rate = _rate(own_values)
    return {
        "items": len(outcomes),
        "enforcement": sorted(chosen),
        "bound": bound,
        "min_n": min_n,
        "bootstrap": {"resamples": resamples, "seed": seed},
        "overall": _group(outcomes, chosen, resamples, seed),
        "languages": {k: _group(v, chosen, resamples, seed) for k, v in sorted(by_lang.items())},
        "varieties": {k: _group(v, chosen, resamples, seed) for k, v in sorted(by_variety.items())},
        "disparity": {
            "fpr": _disparity(by_variety, chosen, "fpr", min_n, bound),
            "fnr": _disparity(by_variety, chosen, "fnr", min_n, bound),
        },
        "own_speech": {
            "n": len(own),
            "over_enforcement_rate": round(own_rate, 4) if own_rate is not None else None,
            "ci95": _ci(own_values, resamples, seed),
            "by_language": {
                lang: {"n": len(vals), "rate": round(sum(vals) / len(vals), 4)}
                for lang, vals in sorted(_own_by_lang(own, chosen).items())
            },
        },
    }


def _own_by_lang(own: list[Outcome], positive: frozenset[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for o in own:
        out[o.lang].append(1.0 if o.decision in positive else 0.0)
    return out
