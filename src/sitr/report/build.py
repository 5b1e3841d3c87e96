"""Assemble a publishable transparency report: raw figures -> protected counts -> rates, times, languages.

The result is a plain JSON-ready dict (schema `sitr.report/1`) that every exporter (JSON, CSV, DSA CSV, Santa
Clara, HTML) renders; no exporter computes a figure of its own, so all formats agree and all are protected.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sitr.report import privacy
from sitr.report.metrics import (
    COUNT_METRICS,
    DURATION_METRICS,
    IDENTITIES,
    Figures,
    LangWork,
    Period,
    compute,
)
from sitr.report.privacy import ANY, Cell, Protected
from sitr.report.records import EventRecord
from sitr.report.scope import Scope
from sitr.report.stats import quantile, wilson

SCHEMA = "sitr.report/1"
DIMS: tuple[str, ...] = ("threat", "country", "lang", "variety")
MASKS: dict[str, tuple[bool, ...]] = {
    "total": (False, False, False, False),
    "threat": (True, False, False, False),
    "country": (False, True, False, False),
    "lang": (False, False, True, False),
    "lang_variety": (False, False, True, True),
    "cell": (True, True, True, True),
}
LANG_MASKS: dict[str, tuple[bool, ...]] = {"total": (False, False), "lang": (True, False), "lang_variety": (True, True)}
LANG_COUNTS: tuple[str, ...] = ("decisions", "backlog", "decided_late", "overdue_open", "harm_items")
RATES: dict[str, tuple[str, str | tuple[str, str]]] = {
    "proactive_rate": ("actioned_proactive", "items_actioned"),
    "automated_share": ("actioned_automated", "items_actioned"),
    "human_share": ("actioned_human", "items_actioned"),
    "flag_uphold_rate": ("flags_upheld", ("flags_upheld", "flags_rejected")),
    "escalation_action_rate": ("escalations_actioned", "escalations_answered"),
    "overturn_rate": ("appeals_reversed", "appeals_decided"),
}


@dataclass(frozen=True)
class ReportOptions:
    threshold: int = privacy.DEFAULT_THRESHOLD
    epsilon: float | None = None
    audit: bool = True
    service: str = "sitr"
    underserved_below: float = 0.8  # capacity index under which a language is flagged as under-served
    noise_seed: int | None = None  # tests only: published noise must never be reproducible


def _scoped(records: Iterable[EventRecord], scope: Scope) -> Iterable[EventRecord]:
    if scope.countries is None:
        yield from records
        return
    for r in records:
        if r.item_id is not None and scope.includes(r.country):
            yield r


def _key_dict(key: tuple[str, ...], dims: tuple[str, ...]) -> dict[str, str | None]:
    return {d: (None if k == ANY else k) for d, k in zip(dims, key, strict=True)}


def _level(key: tuple[str, ...], masks: Mapping[str, tuple[bool, ...]]) -> str:
    pattern = tuple(k != ANY for k in key)
    return next(name for name, m in masks.items() if m == pattern)


def _rate(num: int | None, den: int | None) -> float | None:
    if num is None or den is None or den <= 0:
        return None
    return round(num / den, 4)


def _rates(p: Protected, key: tuple[str, ...]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, (num, den) in RATES.items():
        n = p.get((num, key))
        if isinstance(den, tuple):
            parts = [p.get((d, key)) for d in den]
            d = None if any(x is None for x in parts) else sum(x for x in parts if x is not None)
        else:
            d = p.get((den, key))
        out[name] = _rate(n, d)
    return out


def _timing(values: list[float], threshold: int) -> dict[str, float | None]:
    if len(values) < threshold:
        # An empty group and a small one look alike: both are simply not shown.
        return {"median_seconds": None, "p90_seconds": None}
    med = quantile(values, 0.5)
    p90 = quantile(values, 0.9)
    return {
        "median_seconds": round(med, 1) if med is not None else None,
        "p90_seconds": round(p90, 1) if p90 is not None else None,
    }


def _durations_by_cell(fig: Figures) -> dict[str, dict[tuple[str, ...], list[float]]]:
    out: dict[str, dict[tuple[str, ...], list[float]]] = {}
    for metric in DURATION_METRICS:
        merged: dict[tuple[str, ...], list[float]] = defaultdict(list)
        for key, values in fig.durations.get(metric, {}).items():
            for mask in MASKS.values():
                merged[privacy.project(key, mask)].extend(values)
        out[metric] = merged
    return out


def _protect_counts(fig: Figures, opts: ReportOptions) -> Protected:
    counts = {m: fig.counts.get(m, {}) for m in COUNT_METRICS}
    values = privacy.marginals(counts, MASKS)
    relations = privacy.hierarchy_relations(values, MASKS) + privacy.identity_relations(values, IDENTITIES)
    rng = random.Random(opts.noise_seed) if opts.noise_seed is not None else None
    return privacy.protect(
        values, relations, threshold=opts.threshold, epsilon=opts.epsilon, rng=rng, audit=opts.audit
    )


def _count_rows(fig: Figures, p: Protected, opts: ReportOptions) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    durations = _durations_by_cell(fig)
    keys = sorted({key for (_, key) in p.values})
    total_key = (ANY,) * len(DIMS)
    metrics = COUNT_METRICS
    rows: list[dict[str, Any]] = []
    total: dict[str, Any] = {}
    for key in keys if total_key in keys else [*keys, total_key]:
        row: dict[str, Any] = {"level": _level(key, MASKS), **_key_dict(key, DIMS)}
        row["counts"] = {m: p.get((m, key)) for m in metrics}
        row["rates"] = _rates(p, key)
        row["timing"] = {m: _timing(durations[m].get(key, []), opts.threshold) for m in DURATION_METRICS}
        if key == total_key:
            total = row
        else:
            rows.append(row)
    level_order = list(MASKS)
    rows.sort(key=lambda r: (level_order.index(r["level"]), *[(r[d] or "") for d in DIMS]))
    return total, rows


def _language_rows(fig: Figures, opts: ReportOptions) -> list[dict[str, Any]]:
    """Investment in safety per language and variety: reviewer time against the volume of harm."""
    works: dict[tuple[str, ...], LangWork] = defaultdict(LangWork)
    reviewers: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for (lang, variety), w in fig.languages.items():
        for mask in LANG_MASKS.values():
            key = privacy.project((lang, variety), mask)
            agg = works[key]
            agg.decisions += w.decisions
            agg.handling_seconds += w.handling_seconds
            agg.shift_seconds += w.shift_seconds
            agg.backlog += w.backlog
            agg.decided_late += w.decided_late
            agg.overdue_open += w.overdue_open
            agg.harm_items += w.harm_items
            reviewers[key] |= w.reviewers
    counts = {m: {k: getattr(w, m) for k, w in works.items() if len(k) == 2 and ANY not in k} for m in LANG_COUNTS}
    values = privacy.marginals(counts, LANG_MASKS)
    relations = privacy.hierarchy_relations(values, LANG_MASKS)
    rng = random.Random(opts.noise_seed + 1) if opts.noise_seed is not None else None
    p = privacy.protect(values, relations, threshold=opts.threshold, epsilon=opts.epsilon, rng=rng, audit=opts.audit)
    # Reviewer head-counts do not add up across languages (one person reads several), so they are only
    # suppressed when small, never derived.
    heads = {k: len(v) for k, v in reviewers.items()}
    total_key = (ANY, ANY)
    overall = works[total_key]
    overall_ratio = (overall.shift_seconds / 3600) / overall.harm_items * 100 if overall.harm_items else None
    rows = []
    for key in sorted(works, key=lambda k: (_level(k, LANG_MASKS) != "total", _level(k, LANG_MASKS), k)):
        w = works[key]
        decisions = p.get(("decisions", key))
        harm = p.get(("harm_items", key))
        shown = decisions is not None
        shift_hours = w.shift_seconds / 3600
        handling_hours = w.handling_seconds / 3600
        ratio = shift_hours / w.harm_items * 100 if w.harm_items and shown and harm is not None else None
        index = ratio / overall_ratio if ratio is not None and overall_ratio else None
        late, overdue = p.get(("decided_late", key)), p.get(("overdue_open", key))
        rows.append(
            {
                "level": _level(key, LANG_MASKS),
                "lang": None if key[0] == ANY else key[0],
                "variety": None if key[1] == ANY else key[1],
                "decisions": decisions,
                "reviewer_hours": round(handling_hours, 2) if shown else None,
                "shift_hours": round(shift_hours, 2) if shown else None,
                "decisions_per_reviewer_hour": round(w.decisions / shift_hours, 2) if shown and shift_hours else None,
                "reviewers": heads.get(key, 0) if heads.get(key, 0) == 0 or heads[key] >= opts.threshold else None,
                "backlog": p.get(("backlog", key)),
                "decided_late": late,
                "overdue_open": overdue,
                "deadline_misses": None if late is None or overdue is None else late + overdue,
                "harm_items": harm,
                "reviewer_hours_per_100_harmful_items": round(ratio, 3) if ratio is not None else None,
                "capacity_index": round(index, 3) if index is not None else None,
                "underserved": bool(index is not None and index < opts.underserved_below),
            }
        )
    return rows


def _accuracy_rows(fig: Figures, opts: ReportOptions) -> list[dict[str, Any]]:
    agg: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (lang, variety), w in fig.languages.items():
        for mask in LANG_MASKS.values():
            key = privacy.project((lang, variety), mask)
            for i, v in enumerate((w.tp, w.fp, w.fn, w.tn)):
                agg[key][i] += v
    rows = []
    for key in sorted(agg, key=lambda k: (_level(k, LANG_MASKS) != "total", _level(k, LANG_MASKS), k)):
        tp, fp, fn, tn = agg[key]
        n = tp + fp + fn + tn
        if n == 0:
            continue
        detected, harmful = tp + fp, tp + fn
        p_ok = detected >= opts.threshold
        r_ok = harmful >= opts.threshold
        p_ci = wilson(tp, detected) if p_ok else None
        r_ci = wilson(tp, harmful) if r_ok else None
        rows.append(
            {
                "level": _level(key, LANG_MASKS),
                "lang": None if key[0] == ANY else key[0],
                "variety": None if key[1] == ANY else key[1],
                "reviewed": n if n >= opts.threshold else None,
                "precision": round(tp / detected, 4) if p_ok else None,
                "precision_ci95": [round(x, 4) for x in p_ci] if p_ci else None,
                "recall": round(tp / harmful, 4) if r_ok else None,
                "recall_ci95": [round(x, 4) for x in r_ci] if r_ci else None,
            }
        )
    return rows


def _santa_clara(total: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Santa Clara Principles' numbers (2.0, "Numbers"), taken from the protected figures."""
    c = total["counts"]

    def by(level: str, dim: str) -> dict[str, int | None]:
        return {r[dim]: r["counts"]["items_actioned"] for r in rows if r["level"] == level}

    actioned = c["items_actioned"]
    proactive = c["actioned_proactive"]
    return {
        "content_actioned": actioned,
        "actioned_by_policy": by("threat", "threat"),
        "actioned_by_country": by("country", "country"),
        "actioned_by_language": by("lang", "lang"),
        "detection_source": {
            "proactive_automated_detection": proactive,
            "user_flags": c["actioned_flagged"],
            "trusted_partners": c["actioned_escalated"],
        },
        "decision_method": {"automated": c["actioned_automated"], "human": c["actioned_human"]},
        "accounts_actioned": {a: c[f"action_{a}"] for a in ("warn_account", "restrict_account", "suspend_account")},
        "flags": {"received": c["flags_received"], "upheld": c["flags_upheld"], "rejected": c["flags_rejected"]},
        "appeals": {
            "received": c["appeals_received"],
            "decided": c["appeals_decided"],
            "reversed": c["appeals_reversed"],
            "overturn_rate": total["rates"]["overturn_rate"],
        },
        "time_to_action_seconds": total["timing"]["time_to_action"],
    }


def report_from_figures(fig: Figures, scope: Scope, opts: ReportOptions | None = None) -> dict[str, Any]:
    opts = opts or ReportOptions()
    p = _protect_counts(fig, opts)
    total, rows = _count_rows(fig, p, opts)
    sources = len(MASKS) * len(COUNT_METRICS)
    return {
        "schema": SCHEMA,
        "service": opts.service,
        "period": {"from": fig.period.start.isoformat(), "to": fig.period.end.isoformat()},
        "scope": scope.label,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "privacy": {
            **privacy.describe(p),
            "epsilon_note": (
                f"Laplace noise of scale 1/epsilon on every count; one item can change at most {sources} counts, "
                f"so the count tables are {sources}*epsilon-differentially private by composition. "
                "Medians, hours and accuracy rates carry no noise and are shown only above the threshold."
            )
            if opts.epsilon is not None
            else None,
            "personal_data": "none: no item, user, reporter or reviewer identifiers; counts only",
        },
        "totals": total,
        "rows": rows,
        "languages": _language_rows(fig, opts),
        "accuracy": _accuracy_rows(fig, opts),
        "santa_clara": _santa_clara(total, rows),
    }


def build_report(
    records: Iterable[EventRecord], period: Period, scope: Scope, opts: ReportOptions | None = None
) -> dict[str, Any]:
    """The protected report for `period` and `scope` from events in log order."""
    return report_from_figures(compute(_scoped(records, scope), period), scope, opts)


def cell(metric: str, **dims: str) -> Cell:
    """A cell id for tests and callers: unspecified dimensions are totals."""
    return (metric, tuple(dims.get(d, ANY) for d in DIMS))
