"""Krippendorff's alpha (nominal) and where its units come from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitr.audit.agreement import agreement, krippendorff_alpha_nominal, units_from_records
from sitr.report.records import EventRecord

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units, nominal alpha 0.743.
RELIABILITY_DATA = [
    [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, None, 3, None],
]


def test_krippendorffs_worked_example() -> None:
    units = [[v for v in unit if v is not None] for unit in RELIABILITY_DATA]
    alpha = krippendorff_alpha_nominal(units)
    assert alpha == pytest.approx(0.743, abs=0.0005)


def test_perfect_and_undefined_agreement() -> None:
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b"], ["a", "a", "a"]]) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]) is None  # no variation: alpha undefined
    assert krippendorff_alpha_nominal([["a"], ["b"]]) is None  # nothing pairable
    assert krippendorff_alpha_nominal([["a", "b"], ["b", "a"]]) < 0  # systematic disagreement


@given(st.lists(st.lists(st.sampled_from("xyz"), min_size=2, max_size=4), min_size=2, max_size=30))
def test_alpha_never_exceeds_one(units: list[list[str]]) -> None:
    alpha = krippendorff_alpha_nominal(units)
    assert alpha is None or alpha <= 1.0 + 1e-12


def _decision(seq: int, etype: str, item: str, actor: str, threat: str | None, lang: str) -> EventRecord:
    return EventRecord(seq=seq, type=etype, at=datetime(2026, 1, 1, tzinfo=UTC), item_id=item, case_id=seq,
                       actor=actor, payload={"threat": threat}, lang=lang)


def test_units_are_items_two_reviewers_ruled_on() -> None:
    records = [
        _decision(1, "decided", "i1", "reviewer:1", "outing", "ar"),
        _decision(2, "appeal_decided", "i1", "reviewer:2", "outing", "ar"),
        _decision(3, "decided", "i2", "reviewer:1", "harassment", "ar"),
        _decision(4, "appeal_decided", "i2", "reviewer:3", None, "ar"),
        _decision(5, "decided", "i3", "reviewer:1", None, "fr"),  # one reviewer only: not a unit
        _decision(6, "decided", "i4", "system", None, "fr"),  # not a person
    ]
    units = units_from_records(records)
    assert units == {"ar": [["outing", "outing"], ["harassment", "none"]]}
    result = agreement(units, min_units=2, resamples=200)
    assert result["languages"]["ar"]["units"] == 2
    assert result["languages"]["ar"]["alpha"] is not None
    assert agreement(units, min_units=10)["overall"]["alpha"] is None  # too few units to say anything
