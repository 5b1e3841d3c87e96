"""Aggregates for auditors: counts by outcome, threat and language, with small counts suppressed.

Auditors see aggregates only. Any count below the policy's `small_count_threshold` (default 10) is reported as
null, because a count of 2 outing removals in one dialect over a week can point at two people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from sitr.moderation.context import Services
from sitr.store.models import Case
from sitr.store.models import Item as ItemRow


def _suppress(n: int, threshold: int) -> int | None:
    return n if n >= threshold else None


def aggregates(svc: Services, start: datetime | None = None, end: datetime | None = None) -> dict[str, Any]:
    threshold = int(getattr(svc.policy, "small_count_threshold", 10))
    conds = []
    if start is not None:
        conds.append(ItemRow.received_at >= start)
    if end is not None:
        conds.append(ItemRow.received_at < end)
    with svc.db.read() as session:
        total = session.scalar(select(func.count()).select_from(ItemRow).where(*conds)) or 0
        by_outcome = session.execute(
            select(ItemRow.outcome, ItemRow.primary_threat, func.count())
            .where(*conds)
            .group_by(ItemRow.outcome, ItemRow.primary_threat)
        ).all()
        by_lang = session.execute(
            select(ItemRow.lang, ItemRow.outcome, func.count()).where(*conds).group_by(ItemRow.lang, ItemRow.outcome)
        ).all()
        cases = session.execute(select(Case.kind, Case.status, func.count()).group_by(Case.kind, Case.status)).all()
    return {
        "small_count_threshold": threshold,
        "items": _suppress(int(total), threshold),
        "by_outcome": [
            {"outcome": o, "threat": t, "count": _suppress(int(n), threshold)}
            for o, t, n in sorted(by_outcome, key=lambda r: (str(r[0]), str(r[1])))
        ],
        "by_language": [
            {"lang": lang, "outcome": o, "count": _suppress(int(n), threshold)}
            for lang, o, n in sorted(by_lang, key=lambda r: (str(r[0]), str(r[1])))
        ],
        "cases": [
            {"kind": k, "status": s, "count": _suppress(int(n), threshold)}
            for k, s, n in sorted(cases, key=lambda r: (str(r[0]), str(r[1])))
        ],
    }
