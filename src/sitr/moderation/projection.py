"""Cases as a view of the event log: replay the events and compare with the `cases` table.

The `cases` table is a projection kept in the same transaction as the events that change it (so the queue can
be claimed with row locks); this module recomputes each case's state from the log alone, so an audit can show
that the table says nothing the log does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sitr.store.models import Case, Event

_STATE_OF_EVENT = {
    "queued": "open",
    "appealed": "open",
    "claimed": "claimed",
    "decided": "decided",
    "appeal_decided": "decided",
}


@dataclass(frozen=True)
class ProjectionReport:
    cases: int
    mismatches: tuple[tuple[int, str | None, str], ...]  # (case id, state from the log, state in the table)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "cases": self.cases,
            "mismatches": [{"case_id": c, "from_log": log, "in_table": table} for c, log, table in self.mismatches],
        }


def case_states(session: Session) -> dict[int, str]:
    """Each case's state, computed from the events alone, in log order."""
    states: dict[int, str] = {}
    stmt = (
        select(Event.case_id, Event.type)
        .where(Event.case_id.is_not(None), Event.type.in_(tuple(_STATE_OF_EVENT)))
        .order_by(Event.seq)
    )
    for case_id, kind in session.execute(stmt):
        if case_id is not None:
            states[int(case_id)] = _STATE_OF_EVENT[kind]
    return states


def check_cases(session: Session) -> ProjectionReport:
    from_log = case_states(session)
    mismatches: list[tuple[int, str | None, str]] = []
    count = 0
    for case_id, status in session.execute(select(Case.id, Case.status).order_by(Case.id)):
        count += 1
        if from_log.get(int(case_id)) != status:
            mismatches.append((int(case_id), from_log.get(int(case_id)), str(status)))
    table_ids = {int(c) for c in session.scalars(select(Case.id))}
    for case_id in sorted(set(from_log) - table_ids):
        mismatches.append((case_id, from_log[case_id], "missing"))
    return ProjectionReport(cases=count, mismatches=tuple(mismatches))
