"""Quantiles, Wilson intervals and the bootstrap the reports and audits rely on."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitr.report.stats import bootstrap_ci, quantile, wilson


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=50), st.floats(0, 1))
def test_quantile_matches_numpy(values: list[float], q: float) -> None:
    assert quantile(values, q) == pytest.approx(float(np.quantile(values, q)), rel=1e-9, abs=1e-6)


def test_quantile_of_nothing_is_none() -> None:
    assert quantile([], 0.5) is None


def test_wilson_known_values() -> None:
    lo, hi = wilson(8, 10) or (0, 0)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    lo0, hi0 = wilson(0, 20) or (1, 1)
    assert lo0 == 0.0 and 0.15 < hi0 < 0.17  # not the degenerate [0, 0] of the normal interval
    assert wilson(0, 0) is None


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_estimate(pair: tuple[int, int]) -> None:
    k, n = pair
    lo, hi = wilson(k, n) or (2, -1)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_bootstrap_is_reproducible_and_brackets_the_mean() -> None:
    data = [1.0] * 30 + [0.0] * 70
    a = bootstrap_ci([data], lambda g: sum(g[0]) / len(g[0]), resamples=500, seed=3)
    b = bootstrap_ci([data], lambda g: sum(g[0]) / len(g[0]), resamples=500, seed=3)
    assert a == b and a is not None
    assert a[0] < 0.3 < a[1] and a[1] - a[0] < 0.25
