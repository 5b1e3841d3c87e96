"""Statistical disclosure control for published counts: small-cell suppression, complementary suppression,
an audit that no suppressed cell can be solved for, and optional Laplace noise.

A report publishes one count per (metric, cell) at several levels of detail (the full threat x country x
language x variety cell, and totals by threat, by country, by language, ...). Every total is the sum of the
finer cells it covers, and some counts of one cell add up to another (automated + human = actioned). Hiding
a count of 3 is useless if the total and the other parts are shown, so:

1. primary suppression hides every count with 0 < n < threshold;
2. complementary suppression walks every published identity `total = sum(parts)` and, wherever exactly one
   member is hidden, hides one more (the smallest positive part, else the total), until no identity has a
   single hidden member;
3. the audit solves, for each hidden cell, the smallest and largest value consistent with everything shown
   (a linear programme over the identities, values >= 0) and hides more wherever a cell is pinned to one
   value, which step 2 alone cannot rule out when identities chain.

With `epsilon`, each count gets independent Laplace noise of scale 1/epsilon before anything else (rounded,
never below 0), so that suppression decisions themselves depend only on noisy values.
"""

from __future__ import annotations

import itertools
import math
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_THRESHOLD = 10
ANY = "*"

Cell = tuple[str, tuple[str, ...]]  # (metric, key with ANY on the dimensions a total covers)


@dataclass(frozen=True)
class Relation:
    """A published identity: `total` equals the sum of `parts`."""

    total: Cell
    parts: tuple[Cell, ...]


@dataclass
class Protected:
    """Counts safe to publish: None where suppressed."""

    values: dict[Cell, int | None]
    primary: set[Cell] = field(default_factory=set)
    complementary: set[Cell] = field(default_factory=set)
    threshold: int = DEFAULT_THRESHOLD
    epsilon: float | None = None
    audited: bool = False

    def get(self, cell: Cell) -> int | None:
        return self.values.get(cell, 0)

    def shown(self, cell: Cell) -> bool:
        return cell not in self.primary and cell not in self.complementary


def project(key: Sequence[str], mask: Sequence[bool]) -> tuple[str, ...]:
    return tuple(k if keep else ANY for k, keep in zip(key, mask, strict=True))


def marginals(counts: Mapping[str, Mapping[Any, int]], masks: Mapping[str, Sequence[bool]]) -> dict[Cell, int]:
    """Every (metric, projected key) for every mask, summed from the finest cells."""
    out: dict[Cell, int] = defaultdict(int)
    for metric, cells in counts.items():
        for key, n in cells.items():
            for mask in masks.values():
                out[(metric, project(key, mask))] += n
    return dict(out)


def hierarchy_relations(
    values: Mapping[Cell, int], masks: Mapping[str, Sequence[bool]]
) -> list[Relation]:
    """For every pair of masks where one refines the other, each coarse cell = sum of the fine cells in it."""
    mask_list = [tuple(m) for m in masks.values()]
    by_mask: dict[tuple[bool, ...], list[Cell]] = defaultdict(list)
    for cell in values:
        pattern = tuple(k != ANY for k in cell[1])
        by_mask[pattern].append(cell)
    relations: list[Relation] = []
    for coarse, fine in ((a, b) for a in mask_list for b in mask_list if a != b):
        if not all(f or not c for c, f in zip(coarse, fine, strict=True)):
            continue  # `fine` does not refine `coarse`
        groups: dict[Cell, list[Cell]] = defaultdict(list)
        for cell in by_mask.get(fine, ()):
            groups[(cell[0], project(cell[1], coarse))].append(cell)
        for total, parts in groups.items():
            if total in values:
                relations.append(Relation(total, tuple(sorted(parts))))
    return relations


def identity_relations(
    values: Mapping[Cell, int], identities: Iterable[tuple[str, Sequence[str]]]
) -> list[Relation]:
    """Within one key, `total_metric = sum(part_metrics)` (e.g. actioned = automated + human)."""
    keys_by_metric: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for metric, key in values:
        keys_by_metric[metric].add(key)
    out = []
    for total, parts in identities:
        for key in sorted(keys_by_metric.get(total, ())):
            out.append(Relation((total, key), tuple((p, key) for p in parts)))
    return out


def laplace_noise(
    values: Mapping[Cell, int], epsilon: float, rng: random.Random | None = None
) -> dict[Cell, int]:
    """Independent Laplace(1/epsilon) noise on every count, rounded and floored at 0.

    The default generator is seeded from the OS: a reproducible seed would let anyone subtract the noise.
    """
    if epsilon <= 0 or not math.isfinite(epsilon):
        raise ValueError("epsilon must be a positive number")
    rng = rng or random.Random(secrets.randbits(64))
    scale = 1.0 / epsilon
    out = {}
    for cell, v in values.items():
        u = rng.random() - 0.5
        noise = -scale * math.copysign(1.0, u) * math.log(1 - 2 * abs(u))
        out[cell] = max(0, round(v + noise))
    return out


def _fill(values: dict[Cell, int], relations: Sequence[Relation]) -> None:
    for rel in relations:
        for part in rel.parts:
            values.setdefault(part, 0)
        values.setdefault(rel.total, 0)


def _complement(values: Mapping[Cell, int], hidden: set[Cell], extra: set[Cell], relations: Sequence[Relation]) -> None:
    """Hide more cells until no identity has exactly one hidden member."""
    index: dict[Cell, list[Relation]] = defaultdict(list)
    for rel in relations:
        index[rel.total].append(rel)
        for p in rel.parts:
            index[p].append(rel)
    todo = list(relations)
    while todo:
        rel = todo.pop()
        members = (rel.total, *rel.parts)
        if sum(1 for m in members if m in hidden) != 1:
            continue
        choice = _pick(values, hidden, rel)
        if choice is None:
            continue
        hidden.add(choice)
        extra.add(choice)
        todo.extend(index[choice])


def _pick(values: Mapping[Cell, int], hidden: set[Cell], rel: Relation) -> Cell | None:
    positive = [p for p in rel.parts if p not in hidden and values.get(p, 0) > 0]
    if positive:
        return min(positive, key=lambda c: (values.get(c, 0), c))
    if rel.total not in hidden:
        return rel.total
    zeros = [p for p in rel.parts if p not in hidden]
    return min(zeros) if zeros else None


def exposed_cells(values: Mapping[Cell, int], hidden: set[Cell], relations: Sequence[Relation]) -> list[Cell]:
    """Hidden cells whose value is the only one consistent with the shown counts (LP bounds coincide)."""
    return list(_audit(values, hidden, relations))


def _audit(
    values: Mapping[Cell, int], hidden: set[Cell], relations: Sequence[Relation]
) -> dict[Cell, list[tuple[Relation, float]]]:
    """Exposed hidden cells, each with its certificate: the identities whose weighted sum pins it (empty when
    only the bounds x >= 0 pin it)."""
    if not hidden:
        return {}
    import numpy as np

    involved = [r for r in relations if any(m in hidden for m in (r.total, *r.parts))]
    # Solve each connected group of hidden cells on its own: small programmes, fast.
    parent: dict[Cell, Cell] = {c: c for c in hidden}

    def find(c: Cell) -> Cell:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r in involved:
        hs = [m for m in (r.total, *r.parts) if m in hidden]
        for a, b in itertools.pairwise(hs):
            parent[find(a)] = find(b)
    groups: dict[Cell, list[Cell]] = defaultdict(list)
    for c in sorted(hidden):
        groups[find(c)].append(c)
    rel_by_root: dict[Cell, list[Relation]] = defaultdict(list)
    for r in involved:
        first = next(m for m in (r.total, *r.parts) if m in hidden)
        rel_by_root[find(first)].append(r)

    exposed: dict[Cell, list[tuple[Relation, float]]] = {}
    for root, cells in groups.items():
        pos = {c: i for i, c in enumerate(cells)}
        rows: list[list[float]] = []
        rhs: list[float] = []
        rels = rel_by_root.get(root, [])
        for r in rels:
            row = [0.0] * len(cells)
            known = 0.0
            for m, sign in ((r.total, -1.0), *((p, 1.0) for p in r.parts)):
                if m in pos:
                    row[pos[m]] += sign
                else:
                    known -= sign * values.get(m, 0)
            rows.append(row)
            rhs.append(known)
        if not rows:
            continue
        a_eq = np.array(rows)
        # A cell is pinned by the identities alone iff no direction in their null space moves it.
        # The right singular vectors are all that is needed; U (rows x rows) is not, and is the costly part.
        _, sing, vt = np.linalg.svd(a_eq, full_matrices=a_eq.shape[0] < a_eq.shape[1])
        rank = int((sing > 1e-9 * max(1.0, float(sing.max(initial=0.0)))).sum())
        null = vt[rank:].T
        free = [bool(null.shape[1]) and float(np.abs(null[i]).max()) > 1e-9 for i in range(len(cells))]
        pinned = [(c, i) for c, i in pos.items() if not free[i]]
        if pinned:
            # e_i lies in the row space: y with y.A = e_i names the identities that pin the cell.
            targets = np.zeros((len(cells), len(pinned)))
            for col, (_, i) in enumerate(pinned):
                targets[i, col] = 1.0
            ys = np.linalg.lstsq(a_eq.T, targets, rcond=None)[0]
            for col, (c, _) in enumerate(pinned):
                exposed[c] = [(rels[k], float(w)) for k, w in enumerate(ys[:, col]) if abs(w) > 1e-9]
        if all(values.get(c, 0) > 0 for c in cells):
            # Every hidden value is positive, so a small step along any free null direction stays >= 0:
            # free cells are not pinned by the bounds either.
            continue
        # Some hidden cells are 0: the bounds x >= 0 may pin free cells, so ask a linear programme.
        from scipy.optimize import linprog

        b_eq = np.array(rhs)
        bounds = [(0, None)] * len(cells)
        for c, i in pos.items():
            if not free[i]:
                continue
            obj = np.zeros(len(cells))
            obj[i] = 1.0
            lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if lo.status == 0 and hi.status == 0 and abs(-hi.fun - lo.fun) < 0.5:
                exposed[c] = []
    return exposed


def _breaker(
    values: Mapping[Cell, int], hidden: set[Cell], cell: Cell, certificate: list[tuple[Relation, float]],
    by_cell: Mapping[Cell, list[Relation]],
) -> Cell | None:
    """A shown cell whose hiding breaks the certificate: it enters the pinning combination with a non-zero
    net weight, so that combination no longer isolates `cell`. Smallest positive value first."""
    weight: dict[Cell, float] = defaultdict(float)
    for rel, w in certificate:
        weight[rel.total] -= w
        for p in rel.parts:
            weight[p] += w
    candidates = [c for c, w in weight.items() if c not in hidden and abs(w) > 1e-9]
    if not candidates:
        members = {m for r in by_cell.get(cell, []) for m in (r.total, *r.parts)}
        candidates = [c for c in members if c not in hidden]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (values.get(c, 0) <= 0, values.get(c, 0), c))


def protect(
    values: Mapping[Cell, int],
    relations: Sequence[Relation],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    epsilon: float | None = None,
    rng: random.Random | None = None,
    audit: bool = True,
    max_rounds: int = 20,
) -> Protected:
    """Noise (optional), then primary and complementary suppression, then the audit-and-repair loop."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    work = dict(values)
    _fill(work, relations)
    if epsilon is not None:
        work = laplace_noise(work, epsilon, rng)
    primary = {c for c, v in work.items() if 0 < v < threshold}
    hidden = set(primary)
    extra: set[Cell] = set()
    _complement(work, hidden, extra, relations)
    audited = False
    # Noisy counts no longer satisfy the identities exactly, so there is nothing exact to solve for: the
    # noise is the protection, and the audit only applies to exact counts.
    if audit and epsilon is None:
        by_cell: dict[Cell, list[Relation]] = defaultdict(list)
        for r in relations:
            for m in (r.total, *r.parts):
                by_cell[m].append(r)
        for _ in range(max_rounds):
            exposed = _audit(work, hidden, relations)
            if not exposed:
                audited = True
                break
            for cell, certificate in exposed.items():
                choice = _breaker(work, hidden, cell, certificate, by_cell)
                if choice is not None:
                    hidden.add(choice)
                    extra.add(choice)
            _complement(work, hidden, extra, relations)
        while not audited:
            # The targeted repair did not settle: hide every shown member of the pinning identities. Hiding
            # more never un-protects a hidden cell, and the cells are finite, so this ends.
            exposed = _audit(work, hidden, relations)
            if not exposed:
                audited = True
                break
            grown = False
            for cell, certificate in exposed.items():
                rels = [r for r, _ in certificate] or by_cell.get(cell, [])
                for rel in rels:
                    for m in (rel.total, *rel.parts):
                        if m not in hidden:
                            hidden.add(m)
                            extra.add(m)
                            grown = True
            if not grown:
                raise RuntimeError("suppression cannot protect a cell: refusing to publish")
            _complement(work, hidden, extra, relations)
    out: dict[Cell, int | None] = {c: (None if c in hidden else v) for c, v in work.items()}
    return Protected(out, primary, extra, threshold, epsilon, audited)


def describe(p: Protected) -> dict[str, Any]:
    return {
        "threshold": p.threshold,
        "suppressed_primary": len(p.primary),
        "suppressed_complementary": len(p.complementary),
        "audit": "no suppressed count can be solved for from the published ones"
        if p.audited
        else ("not needed: counts carry noise" if p.epsilon is not None else "not run"),
        "epsilon": p.epsilon,
    }
