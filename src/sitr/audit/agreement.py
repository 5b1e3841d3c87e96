"""`sitr audit agreement`: how often two reviewers who decide the same item agree, per language.

Krippendorff's alpha for nominal data: 1 is perfect agreement, 0 is what chance alone gives, below 0 is
systematic disagreement. An item is a unit when at least two different reviewers ruled on it (in sitr this
is mostly a decision and the appeal that another reviewer decides); each reviewer's value is the threat
they confirmed, or "none". Appealed items are not a random sample, so alpha here is a floor-ish indicator
of consistency, not of accuracy.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from sitr.report.metrics import HUMAN_ROLES
from sitr.report.records import EventRecord
from sitr.report.stats import quantile

MIN_UNITS = 10


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Alpha over units (each: the values the coders gave it; missing values simply left out).

    Units with fewer than two values cannot be paired and are ignored. None when alpha is undefined: no
    pairable values, or no variation at all (every value the same).
    """
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), v in coincidence.items():
        totals[c] += v
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1)
    if expected == 0:
        return None
    return 1.0 - observed / expected


def _bootstrap(units: list[list[str]], resamples: int, seed: int) -> tuple[float, float] | None:
    rng = random.Random(seed)
    values: list[float] = []
    for _ in range(resamples):
        sample = [units[rng.randrange(len(units))] for _ in units]
        a = krippendorff_alpha_nominal(sample)
        if a is not None:
            values.append(a)
    if len(values) < resamples // 2:
        return None
    lo, hi = quantile(values, 0.025), quantile(values, 0.975)
    return (round(lo, 4), round(hi, 4)) if lo is not None and hi is not None else None


def units_from_records(records: Iterable[EventRecord]) -> dict[str, list[list[str]]]:
    """Per language, one unit per item ruled on by two or more reviewers: each reviewer's last ruling."""
    rulings: dict[str, dict[str, str]] = defaultdict(dict)
    lang_of: dict[str, str] = {}
    for r in records:
        if r.type not in ("decided", "appeal_decided") or r.item_id is None:
            continue
        if r.actor.split(":", 1)[0] not in HUMAN_ROLES:
            continue
        threat = r.payload.get("threat")
        rulings[r.item_id][r.actor] = threat if isinstance(threat, str) else "none"
        lang_of[r.item_id] = r.lang or "unknown"
    out: dict[str, list[list[str]]] = defaultdict(list)
    for item_id, by_reviewer in rulings.items():
        if len(by_reviewer) >= 2:
            out[lang_of[item_id]].append(list(by_reviewer.values()))
    return dict(out)


def agreement(
    units_by_lang: dict[str, list[list[str]]], *, min_units: int = MIN_UNITS, resamples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """Alpha with a bootstrap 95% interval (over units, fixed seed) per language and overall."""

    def one(units: list[list[str]]) -> dict[str, Any]:
        enough = len(units) >= min_units
        alpha = krippendorff_alpha_nominal(units) if enough else None
        return {
            "units": len(units),
            "alpha": round(alpha, 4) if alpha is not None else None,
            "ci95": _bootstrap(units, resamples, seed) if enough else None,
        }

    languages = {lang: one(units) for lang, units in sorted(units_by_lang.items())}
    everything = [u for units in units_by_lang.values() for u in units]
    return {
        "method": "Krippendorff's alpha, nominal; units = items ruled on by two or more reviewers",
        "min_units": min_units,
        "overall": one(everything),
        "languages": languages,
    }
