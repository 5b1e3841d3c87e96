"""Small-count suppression: nothing under the threshold shown, nothing hidden recoverable, noise recorded."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.report import privacy
from sitr.report.privacy import ANY, Relation, exposed_cells, protect

MASKS = {"total": (False, False), "row": (True, False), "col": (False, True), "cell": (True, True)}


def _table(cells: dict[tuple[str, str], int]) -> tuple[dict[privacy.Cell, int], list[Relation]]:
    values = privacy.marginals({"n": cells}, MASKS)
    return values, privacy.hierarchy_relations(values, MASKS)


def test_a_small_cell_needs_a_partner_in_its_row_and_column() -> None:
    cells = {("a", "x"): 3, ("a", "y"): 40, ("b", "x"): 50, ("b", "y"): 60}
    values, relations = _table(cells)
    p = protect(values, relations, threshold=10)
    assert p.get(("n", ("a", "x"))) is None
    # Row a total and column x total are shown, so a second cell in each must be hidden too.
    assert p.get(("n", ("a", ANY))) is not None
    hidden = {c for c, v in p.values.items() if v is None}
    assert len(hidden) >= 4  # the classic rectangle
    assert exposed_cells(values, hidden, relations) == []
    assert p.audited


def test_the_lp_audit_finds_a_cell_the_pairing_rule_misses() -> None:
    # t1 = x + y with t1 = 5 shown gives x <= 5; x = u + w with u = 5 shown gives x >= 5. Every identity has
    # two hidden members, yet x = 5 exactly (and y = w = 0): only the bounds reveal it.
    values = {("n", ("t1",)): 5, ("n", ("x",)): 5, ("n", ("y",)): 0, ("n", ("u",)): 5, ("n", ("w",)): 0}
    relations = [
        Relation(("n", ("t1",)), (("n", ("x",)), ("n", ("y",)))),
        Relation(("n", ("x",)), (("n", ("u",)), ("n", ("w",)))),
    ]
    hidden = {("n", ("x",)), ("n", ("y",)), ("n", ("w",))}
    assert ("n", ("x",)) in exposed_cells(values, hidden, relations)
    repaired = protect(values, relations, threshold=6)
    now_hidden = {c for c, v in repaired.values.items() if v is None}
    assert exposed_cells(values, now_hidden, relations) == []


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("abcde"), st.sampled_from("vwxyz")),
        st.integers(0, 40),
        min_size=1,
        max_size=25,
    ),
    st.integers(2, 15),
)
def test_protection_properties(cells: dict[tuple[str, str], int], threshold: int) -> None:
    values, relations = _table(cells)
    p = protect(values, relations, threshold=threshold)
    hidden = {c for c, v in p.values.items() if v is None}
    for cell, v in p.values.items():
        assert v is None or not 0 < v < threshold  # primary suppression
        assert v is None or v == values.get(cell, 0)  # no noise asked: shown values are exact
    for rel in relations:
        assert sum(m in hidden for m in (rel.total, *rel.parts)) != 1  # complementary suppression
    assert exposed_cells(values, hidden, relations) == []  # nothing can be solved for


def test_identities_between_metrics_are_protected() -> None:
    # actioned = automated + human in every cell: hiding automated alone would leak it by subtraction.
    values = {("actioned", ("k",)): 30, ("automated", ("k",)): 4, ("human", ("k",)): 26}
    relations = privacy.identity_relations(values, [("actioned", ("automated", "human"))])
    p = protect(values, relations, threshold=10)
    assert p.get(("automated", ("k",))) is None and p.get(("human", ("k",))) is None
    assert p.get(("actioned", ("k",))) == 30


def test_laplace_noise_is_recorded_non_negative_and_centred() -> None:
    values = {("n", (str(i),)): 100 for i in range(4000)}
    noisy = privacy.laplace_noise(values, 0.5, random.Random(1))
    assert all(isinstance(v, int) and v >= 0 for v in noisy.values())
    mean_error = sum(noisy.values()) / len(noisy) - 100
    assert abs(mean_error) < 0.2
    spread = sum(abs(v - 100) for v in noisy.values()) / len(noisy)
    assert 1.5 < spread < 2.5  # mean |Laplace(1/0.5)| = 2
    p = protect(values, [], threshold=10, epsilon=0.5, rng=random.Random(2))
    assert p.epsilon == 0.5 and privacy.describe(p)["epsilon"] == 0.5
