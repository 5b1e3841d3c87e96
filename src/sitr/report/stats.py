"""Small, dependency-free statistics the reports and audits share: quantiles, Wilson and bootstrap intervals.

Kept here rather than pulled from SciPy so the figures a platform publishes are computed by a few lines anyone
can read and check by hand.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

Z95 = 1.959963984540054


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile by linear interpolation between order statistics (NumPy's default); None when empty."""
    if not values:
        return None
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be in [0, 1]")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = math.floor(pos)
    hi = math.ceil(pos)
    if lo == hi:
        return float(ordered[lo])
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion: honest at 0 and 1 and for small n, unlike the normal one."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def bootstrap_ci(
    groups: Sequence[Sequence[float]],
    statistic: Callable[[list[Sequence[float]]], float | None],
    *,
    resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of `statistic`, resampling each group independently (stratified).

    `groups` are lists of per-unit values; the statistic receives one resample of every group. A fixed seed
    makes an audit reproducible: the same data always prints the same interval.
    """
    rng = random.Random(seed)
    stats: list[float] = []
    for _ in range(resamples):
        sample: list[Sequence[float]] = [[g[rng.randrange(len(g))] for _ in range(len(g))] for g in groups]
        value = statistic(sample)
        if value is not None and math.isfinite(value):
            stats.append(value)
    if len(stats) < resamples // 2:
        return None
    alpha = (1.0 - level) / 2
    lo = quantile(stats, alpha)
    hi = quantile(stats, 1.0 - alpha)
    assert lo is not None and hi is not None
    return lo, hi
