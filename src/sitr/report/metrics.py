"""Transparency figures computed in one pass over the moderation log.

`compute(records, period)` folds events (in log order) into raw, unprotected figures: counts per threat x
country x language x variety, lists of durations for medians, and per language/variety the work reviewers
did. Privacy protection (suppression, noise) is a separate step (privacy.py), applied before anything is
published. Events before the period only build up state (when an item arrived, whether sitr found it before
anyone flagged it); events in the period are counted.

Definitions (also in docs/reports.md):
- actioned: the item's first decision with outcome `action` (automatic, a reviewer's ruling, or an appeal
  that reverses a decision to leave it); interim restrictions while a case waits for review are not counted.
- actioned_flagged / actioned_escalated: actioned after a user flag / a partner escalation.
- proactive: actioned, sent by the platform itself (SOURCE_VOLUNTARY) and detected by sitr (assessment
  outcome action or review) before any user flag or partner escalation.
- time to action: from the item's receipt to its first action.
- reviewer-hours: time from a reviewer's claim of a case to their decision on it ("handling"); shift hours:
  each reviewer's review events grouped into sessions (a gap over SHIFT_GAP starts a new one), each session's
  length shared among languages by the decisions made in it.
- accuracy: on cases a person reviewed, sitr's automatic outcome (action or review = detected) against the
  reviewer's ruling (a threat confirmed = harmful).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sitr.report.records import EventRecord
from sitr.types import THREATS

UNKNOWN = "unknown"
NO_THREAT = "none"
OTHER = "other"
SHIFT_GAP = timedelta(hours=2)
HUMAN_ROLES: tuple[str, ...] = ("reviewer", "admin")
MODERATION_ACTIONS: tuple[str, ...] = (
    "remove",
    "restrict_visibility",
    "label",
    "suspend_account",
    "restrict_account",
    "warn_account",
)

# Count metrics, in the order reports show them.
COUNT_METRICS: tuple[str, ...] = (
    "items_assessed",
    "items_actioned",
    "actioned_automated",
    "actioned_human",
    "actioned_proactive",
    "actioned_flagged",
    "actioned_escalated",
    *(f"action_{a}" for a in MODERATION_ACTIONS),
    "flags_received",
    "flags_upheld",
    "flags_rejected",
    "escalations_received",
    "escalations_answered",
    "escalations_actioned",
    "appeals_received",
    "appeals_decided",
    "appeals_upheld",
    "appeals_reversed",
    "targets_notified",
)
# Exact identities between published counts of one cell: total = sum(parts). Complementary suppression
# must respect them, or a suppressed part could be recovered by subtraction.
IDENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("items_actioned", ("actioned_automated", "actioned_human")),
    ("appeals_decided", ("appeals_upheld", "appeals_reversed")),
)
DURATION_METRICS: tuple[str, ...] = (
    "time_to_action",
    "time_to_action_human",
    "flag_to_action",
    "escalation_response",
    "appeal_decision",
)

Key = tuple[str, str, str, str]  # threat, country, lang, variety
LangKey = tuple[str, str]  # lang, variety


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("the period must end after it starts")

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(slots=True)
class _Item:
    country: str
    lang: str
    variety: str
    received: datetime | None = None
    voluntary: bool = True
    detected_at: datetime | None = None
    auto_positive: bool | None = None
    first_report: datetime | None = None
    first_flag: datetime | None = None
    flagged: bool = False
    escalated: bool = False
    actioned: bool = False
    human_reviewed: bool = False
    threat: str = NO_THREAT
    pending_flags: deque[str] = field(default_factory=deque)


@dataclass(slots=True)
class _Case:
    item_id: str | None
    lang: str
    variety: str
    opened: datetime
    deadline: datetime | None
    threat: str = NO_THREAT
    open: bool = True
    claims: dict[str, datetime] = field(default_factory=dict)
    escalations: list[tuple[datetime, str]] = field(default_factory=list)
    appealed_at: datetime | None = None


@dataclass
class LangWork:
    """Reviewer work, backlog and harm volume for one language and variety (raw, before protection)."""

    decisions: int = 0
    handling_seconds: float = 0.0
    shift_seconds: float = 0.0
    backlog: int = 0
    decided_late: int = 0
    overdue_open: int = 0
    harm_items: int = 0
    reviewers: set[str] = field(default_factory=set)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def deadline_misses(self) -> int:
        return self.decided_late + self.overdue_open


@dataclass
class Figures:
    """Raw figures for one period: never published as they are (see privacy.protect)."""

    period: Period
    counts: dict[str, dict[Key, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    durations: dict[str, dict[Key, list[float]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    languages: dict[LangKey, LangWork] = field(default_factory=lambda: defaultdict(LangWork))
    events: int = 0

    def count(self, metric: str, key: Key, n: int = 1) -> None:
        self.counts[metric][key] += n

    def total(self, metric: str) -> int:
        return sum(self.counts.get(metric, {}).values())


def _role(actor: str) -> str:
    return actor.split(":", 1)[0]


def _threat(value: object) -> str:
    return value if isinstance(value, str) and value in THREATS else NO_THREAT


class _Folder:
    """The state machine that turns events into figures."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.fig = Figures(period)
        self.items: dict[str, _Item] = {}
        self.cases: dict[int, _Case] = {}
        self.harm: dict[LangKey, set[str]] = defaultdict(set)
        self.sessions: dict[str, list[tuple[datetime, LangKey | None, bool]]] = defaultdict(list)

    # -- helpers -------------------------------------------------------------------------------------------
    def _item(self, r: EventRecord) -> _Item | None:
        if r.item_id is None:
            return None
        it = self.items.get(r.item_id)
        if it is None:
            country = r.country.upper() if r.country else UNKNOWN
            it = _Item(country=country, lang=r.lang or UNKNOWN, variety=r.variety or UNKNOWN)
            self.items[r.item_id] = it
        return it

    def _key(self, it: _Item, threat: str) -> Key:
        return (threat, it.country, it.lang, it.variety)

    def _case(self, r: EventRecord, it: _Item | None) -> _Case | None:
        if r.case_id is None:
            return None
        c = self.cases.get(r.case_id)
        if c is None:
            c = _Case(
                item_id=r.item_id,
                lang=it.lang if it else UNKNOWN,
                variety=it.variety if it else UNKNOWN,
                opened=r.at,
                deadline=r.deadline_at,
            )
            self.cases[r.case_id] = c
        elif c.deadline is None and r.deadline_at is not None:
            c.deadline = r.deadline_at
        return c

    def _work(self, it: _Item | _Case) -> LangWork:
        return self.fig.languages[(it.lang, it.variety)]

    # -- events --------------------------------------------------------------------------------------------
    def feed(self, r: EventRecord) -> None:
        counted = r.at in self.period
        if counted:
            self.fig.events += 1
        it = self._item(r)
        if it is None:
            return
        handler = getattr(self, "_on_" + r.type, None)
        if handler is not None:
            handler(r, it, counted)
        role = _role(r.actor)
        if counted and role in HUMAN_ROLES and r.type in ("claimed", "decided", "appeal_decided", "data_revealed"):
            c = self.cases.get(r.case_id) if r.case_id is not None else None
            lk = (c.lang, c.variety) if c else (it.lang, it.variety)
            self.sessions[r.actor].append((r.at, lk, r.type in ("decided", "appeal_decided")))

    def _on_item_received(self, r: EventRecord, it: _Item, counted: bool) -> None:
        it.received = r.at
        it.voluntary = r.payload.get("source_type", "SOURCE_VOLUNTARY") == "SOURCE_VOLUNTARY"

    def _on_assessed(self, r: EventRecord, it: _Item, counted: bool) -> None:
        decision = r.payload.get("decision") or {}
        outcome = decision.get("outcome")
        it.threat = _threat(decision.get("primary_threat"))
        it.auto_positive = outcome in ("action", "review")
        if it.received is None:
            it.received = r.at
        if it.auto_positive:
            it.detected_at = r.at
        if counted:
            self.fig.count("items_assessed", self._key(it, it.threat))
            if it.auto_positive and r.item_id is not None:
                self.harm[(it.lang, it.variety)].add(r.item_id)

    def _first_action(self, r: EventRecord, it: _Item, threat: str, actions: list[str], automated: bool) -> None:
        it.actioned = True
        if r.at not in self.period:
            return
        key = self._key(it, threat)
        fig = self.fig
        fig.count("items_actioned", key)
        fig.count("actioned_automated" if automated else "actioned_human", key)
        proactive = (
            it.voluntary
            and it.detected_at is not None
            and (it.first_report is None or it.detected_at <= it.first_report)
        )
        if proactive:
            fig.count("actioned_proactive", key)
        if it.flagged:
            fig.count("actioned_flagged", key)
            if it.first_flag is not None:
                fig.durations["flag_to_action"][key].append((r.at - it.first_flag).total_seconds())
        if it.escalated:
            fig.count("actioned_escalated", key)
        for a in MODERATION_ACTIONS:
            if a in actions:
                fig.count(f"action_{a}", key)
        if it.received is not None:
            seconds = (r.at - it.received).total_seconds()
            fig.durations["time_to_action"][key].append(seconds)
            if not automated:
                fig.durations["time_to_action_human"][key].append(seconds)
        if r.item_id is not None:
            self.harm[(it.lang, it.variety)].add(r.item_id)

    def _on_auto_actioned(self, r: EventRecord, it: _Item, counted: bool) -> None:
        if r.case_id is not None:
            self._case(r, it)
        if not it.actioned:
            threat = _threat(r.payload.get("threat"))
            self._first_action(r, it, threat, list(r.payload.get("actions") or ()), automated=True)

    def _on_queued(self, r: EventRecord, it: _Item, counted: bool) -> None:
        c = self._case(r, it)
        if c is None:
            return
        c.opened = r.at
        c.threat = _threat(r.payload.get("threat"))
        minutes = r.payload.get("deadline_minutes")
        if c.deadline is None and isinstance(minutes, int):
            c.deadline = r.at + timedelta(minutes=minutes)

    def _on_claimed(self, r: EventRecord, it: _Item, counted: bool) -> None:
        c = self._case(r, it)
        if c is not None:
            c.claims[r.actor] = r.at

    def _on_flagged(self, r: EventRecord, it: _Item, counted: bool) -> None:
        reason = r.payload.get("reason")
        label = reason if isinstance(reason, str) and reason in THREATS else OTHER
        if it.first_report is None:
            it.first_report = r.at
        it.flagged = True
        if it.first_flag is None:
            it.first_flag = r.at
        it.pending_flags.append(label)
        if counted:
            self.fig.count("flags_received", self._key(it, label))

    def _on_escalated(self, r: EventRecord, it: _Item, counted: bool) -> None:
        if it.first_report is None:
            it.first_report = r.at
        it.escalated = True
        reason = _threat(r.payload.get("reason"))
        c = self._case(r, it)
        if c is not None:
            c.escalations.append((r.at, reason))
        if counted:
            self.fig.count("escalations_received", self._key(it, reason))

    def _on_appealed(self, r: EventRecord, it: _Item, counted: bool) -> None:
        c = self._case(r, it)
        if c is None:
            return
        c.opened = r.at
        c.appealed_at = r.at
        c.threat = it.threat
        if counted:
            self.fig.count("appeals_received", self._key(it, it.threat))

    def _on_target_notified(self, r: EventRecord, it: _Item, counted: bool) -> None:
        if counted:
            self.fig.count("targets_notified", self._key(it, _threat(r.payload.get("threat"))))

    def _resolve_flags(self, r: EventRecord, it: _Item, upheld: bool, counted: bool) -> None:
        n = r.payload.get("flags_resolved") or 0
        for _ in range(int(n) if isinstance(n, int) else 0):
            label = it.pending_flags.popleft() if it.pending_flags else OTHER
            if counted:
                self.fig.count("flags_upheld" if upheld else "flags_rejected", self._key(it, label))

    def _close_case(self, r: EventRecord, c: _Case | None, counted: bool) -> None:
        if c is None:
            return
        c.open = False
        if not counted:
            return
        work = self._work(c)
        if c.deadline is not None and r.at > c.deadline:
            work.decided_late += 1
        claimed = c.claims.get(r.actor)
        if claimed is not None and _role(r.actor) in HUMAN_ROLES:
            work.handling_seconds += max(0.0, (r.at - claimed).total_seconds())
        if _role(r.actor) in HUMAN_ROLES:
            work.decisions += 1
            work.reviewers.add(r.actor)

    def _on_decided(self, r: EventRecord, it: _Item, counted: bool) -> None:
        c = self._case(r, it)
        outcome = r.payload.get("outcome")
        threat = _threat(r.payload.get("threat"))
        acted = outcome == "action"
        self._resolve_flags(r, it, acted, counted)
        if c is not None:
            for esc_at, reason in c.escalations:
                if esc_at in self.period:  # answered before the period ended: compute() stops at its end
                    key = self._key(it, reason)
                    self.fig.count("escalations_answered", key)
                    if acted:
                        self.fig.count("escalations_actioned", key)
                    self.fig.durations["escalation_response"][key].append((r.at - esc_at).total_seconds())
            c.escalations.clear()
        if not it.human_reviewed:
            it.human_reviewed = True
            if counted and it.auto_positive is not None:
                work = self._work(it)
                harmful = r.payload.get("threat") is not None
                if it.auto_positive and harmful:
                    work.tp += 1
                elif it.auto_positive:
                    work.fp += 1
                elif harmful:
                    work.fn += 1
                else:
                    work.tn += 1
        if acted and not it.actioned:
            self._first_action(r, it, threat, list(r.payload.get("actions") or ()), automated=False)
        it.threat = threat
        self._close_case(r, c, counted)

    def _on_appeal_decided(self, r: EventRecord, it: _Item, counted: bool) -> None:
        c = self._case(r, it)
        threat_before = c.threat if c is not None else it.threat
        self._resolve_flags(r, it, r.payload.get("outcome") == "action", counted)
        if counted:
            key = self._key(it, threat_before)
            self.fig.count("appeals_decided", key)
            reversed_ = bool(r.payload.get("reversed"))
            self.fig.count("appeals_reversed" if reversed_ else "appeals_upheld", key)
            if c is not None and c.appealed_at is not None:
                self.fig.durations["appeal_decision"][key].append((r.at - c.appealed_at).total_seconds())
        if r.payload.get("outcome") == "action" and not it.actioned:
            self._first_action(r, it, _threat(r.payload.get("threat")), list(r.payload.get("actions") or ()), False)
        it.threat = _threat(r.payload.get("threat"))
        self._close_case(r, c, counted)

    # -- the end of the period -----------------------------------------------------------------------------
    def finish(self) -> Figures:
        end = self.period.end
        for c in self.cases.values():
            if c.open and c.opened < end:
                work = self._work(c)
                work.backlog += 1
                if c.deadline is not None and c.deadline < end:
                    work.overdue_open += 1
        for lk, ids in self.harm.items():
            self.fig.languages[lk].harm_items = len(ids)
        for events in self.sessions.values():
            self._shifts(events)
        return self.fig

    def _shifts(self, events: list[tuple[datetime, LangKey | None, bool]]) -> None:
        session: list[tuple[datetime, LangKey | None, bool]] = []
        for ev in [*events, None]:
            if ev is not None and (not session or ev[0] - session[-1][0] <= SHIFT_GAP):
                session.append(ev)
                continue
            if session:
                seconds = (session[-1][0] - session[0][0]).total_seconds()
                weights: dict[LangKey, int] = defaultdict(int)
                for _, lk, decision in session:
                    if decision and lk is not None:
                        weights[lk] += 1
                if not weights:
                    for _, lk, _d in session:
                        if lk is not None:
                            weights[lk] += 1
                total = sum(weights.values())
                for lk, w in weights.items():
                    self.fig.languages[lk].shift_seconds += seconds * w / total
            session = [ev] if ev is not None else []


def compute(records: Iterable[EventRecord], period: Period) -> Figures:
    """Fold events (in log order, ending at or after `period.end`) into the period's raw figures."""
    folder = _Folder(period)
    for r in records:
        if r.at >= period.end:
            continue
        folder.feed(r)
    return folder.finish()
