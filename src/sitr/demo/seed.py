"""`sitr demo seed`: months of realistic, fictional moderation activity, driven through the real services.

A discrete-event simulation on a simulated clock: items arrive every hour in every language and variety sitr
serves (MENA and some global traffic) and are ingested; users flag some (and brigade some benign posts);
partners escalate exposure and extortion; reviewers with languages and shifts claim cases from the queue
(Maghrebi varieties have one reviewer two mornings a week, as under-served dialects do),
take minutes to decide and sometimes err; authors and reporters appeal, and a different reviewer decides.
Everything goes through sitr.moderation, so the event log, its hash chain and the projections are real.

Scores come from a plan (`PlannedAnalyzer`): each item's true label and its variety's detection quality
decide whether sitr acts, queues or misses it, so a demo report shows realistic disparities (Maghrebi and
Arabizi served worse) whatever state the shipped model is in. The seeder returns a ledger of what it did
(`SeedLedger`), from its own clock and the services' answers, against which tests check the reports.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sitr.demo.templates import chat_for, text_for
from sitr.moderation.accounts import add_user
from sitr.moderation.appeals import appeal
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import ModerationError
from sitr.moderation.escalations import escalate
from sitr.moderation.flags import flag
from sitr.moderation.ingest import ingest
from sitr.moderation.queue import QueueFilter, claim_next
from sitr.moderation.review import Ruling, decide_case
from sitr.types import THREATS, Assessment, Item, Signal, ThreatScore

PLATFORM = "demo-platform"

# (lang, variety, share of traffic, countries)
LANGUAGE_MIX: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("ar", "egy", 0.14, ("EG",)),
    ("ar", "lev", 0.10, ("LB", "JO", "SY", "PS")),
    ("ar", "glf", 0.08, ("SA", "AE", "KW", "QA")),
    ("ar", "irq", 0.05, ("IQ",)),
    ("ar", "mag", 0.07, ("MA", "DZ", "TN")),
    ("ar", "msa", 0.08, ("EG", "SA", "JO", "MA")),
    ("ar-Latn", "lev", 0.07, ("LB", "JO")),
    ("ar-Latn", "mag", 0.08, ("MA", "TN", "DZ")),
    ("ar-Latn", "egy", 0.04, ("EG",)),
    ("fr", "fr", 0.12, ("FR", "MA", "TN", "DZ", "BE")),
    ("en", "en", 0.17, ("US", "GB", "AE", "EG", "JO", "DE")),
)
THREAT_MIX: tuple[tuple[str | None, float], ...] = (
    (None, 0.66),
    ("harassment", 0.12),
    ("outing", 0.06),
    ("doxxing", 0.06),
    ("extortion", 0.05),
    ("entrapment", 0.05),
)
# (P(auto action), P(review)) for harmful items, and the same for benign ones (false positives), by variety.
DETECTION: dict[tuple[str, str], tuple[float, float]] = {
    ("ar", "mag"): (0.30, 0.30),
    ("ar-Latn", "mag"): (0.22, 0.30),
    ("ar-Latn", "lev"): (0.35, 0.30),
    ("ar-Latn", "egy"): (0.35, 0.30),
}
DEFAULT_DETECTION = (0.50, 0.35)
FALSE_POSITIVES: dict[tuple[str, str], tuple[float, float]] = {
    ("ar-Latn", "mag"): (0.012, 0.09),
    ("ar", "mag"): (0.008, 0.07),
}
DEFAULT_FALSE_POSITIVES = (0.004, 0.04)
AUTO_SCORE = (0.96, 0.995)
REVIEW_SCORE = (0.66, 0.86)
LOW_SCORE = (0.02, 0.3)


@dataclass(frozen=True)
class ReviewerSpec:
    name: str
    pairs: tuple[tuple[str, str], ...]  # (lang, variety) the reviewer reads
    shift: tuple[int, int]  # UTC hours [start, end)
    days_off: tuple[int, ...] = (4,)  # weekday numbers (Monday = 0)


REVIEWERS: tuple[ReviewerSpec, ...] = (
    ReviewerSpec("rev-ar-east", (("ar", "egy"), ("ar", "lev"), ("ar", "msa")), (6, 14)),
    ReviewerSpec("rev-ar-gulf", (("ar", "glf"), ("ar", "irq"), ("ar", "msa")), (9, 17)),
    ReviewerSpec("rev-arabizi", (("ar-Latn", "lev"), ("ar-Latn", "egy"), ("ar", "lev")), (13, 21)),
    # Darija and Tunisian/Algerian dialects: one reviewer, two mornings a week. The demo report should show
    # what that does (backlog, missed deadlines, a low capacity index): it is the campaign's complaint.
    ReviewerSpec("rev-maghreb", (("ar", "mag"), ("ar-Latn", "mag"), ("fr", "fr")), (8, 10), (2, 3, 4, 5, 6)),
    ReviewerSpec("rev-fr", (("fr", "fr"),), (8, 16), (5,)),
    ReviewerSpec("rev-en-1", (("en", "en"),), (7, 15), (6,)),
    ReviewerSpec("rev-en-2", (("en", "en"),), (13, 21), (5,)),
    ReviewerSpec(
        "rev-lead",
        tuple((lang, variety) for lang, variety, _, _ in LANGUAGE_MIX if variety != "mag"),
        (16, 18),
        (4, 5),
    ),
)
PARTNERS: tuple[str, ...] = ("helpline-east", "helpline-maghreb")


@dataclass(frozen=True)
class SeedConfig:
    start: datetime = datetime(2025, 9, 1, tzinfo=UTC)
    days: int = 120
    items_per_day: int = 40
    seed: int = 7
    review_error: float = 0.05
    appeal_error: float = 0.03

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)


# -- the ledger: what the seeder did, in its own words ----------------------------------------------------


@dataclass
class SeedItem:
    ext_id: str
    sitr_id: str
    lang: str
    variety: str
    country: str
    truth: str | None
    received_at: datetime
    outcome: str
    threat: str | None
    actions: tuple[str, ...]
    case_id: int | None
    notified: bool


@dataclass(frozen=True)
class SeedFlag:
    ext_id: str
    at: datetime
    reason: str
    queued: bool
    case_id: int | None


@dataclass(frozen=True)
class SeedEscalation:
    ext_id: str
    at: datetime
    reason: str
    urgent: bool
    case_id: int


@dataclass(frozen=True)
class SeedReview:
    case_id: int
    ext_id: str
    kind: str  # review | appeal
    reviewer: str
    claimed_at: datetime
    decided_at: datetime
    deadline_at: datetime
    outcome: str
    threat: str | None
    actions: tuple[str, ...]
    notified: bool


@dataclass(frozen=True)
class SeedAppeal:
    ext_id: str
    at: datetime
    case_id: int
    appellant: str


@dataclass
class SeedLedger:
    config: SeedConfig
    items: dict[str, SeedItem] = field(default_factory=dict)
    flags: list[SeedFlag] = field(default_factory=list)
    escalations: list[SeedEscalation] = field(default_factory=list)
    reviews: list[SeedReview] = field(default_factory=list)
    appeals: list[SeedAppeal] = field(default_factory=list)
    skipped_appeals: int = 0
    reviewers: dict[str, int] = field(default_factory=dict)  # name -> user id

    def summary(self) -> dict[str, Any]:
        return {
            "from": self.config.start.isoformat(),
            "to": self.config.end.isoformat(),
            "items": len(self.items),
            "auto_actioned": sum(1 for i in self.items.values() if i.outcome == "action"),
            "queued_by_policy": sum(1 for i in self.items.values() if i.case_id is not None),
            "flags": len(self.flags),
            "escalations": len(self.escalations),
            "reviews": sum(1 for r in self.reviews if r.kind == "review"),
            "appeals": len(self.appeals),
            "appeals_decided": sum(1 for r in self.reviews if r.kind == "appeal"),
            "reviewers": len(self.reviewers),
        }


# -- the planned analyzer ---------------------------------------------------------------------------------


@dataclass
class PlannedAnalyzer:
    """Scores from the seeder's plan, keyed by the platform's item id: the demo's stand-in for detection."""

    plan: dict[str, tuple[str, str, dict[str, float]]] = field(default_factory=dict)

    def __call__(self, item: Item) -> Assessment:
        lang, variety, scores = self.plan.get(item.id, ("en", "en", {}))
        threats = {
            t: ThreatScore(scores.get(t, 0.0), "high" if scores.get(t, 0.0) >= 0.85 else "none",
                           scores.get(t, 0.0) >= 0.5)
            for t in THREATS
        }
        signals = tuple(Signal(t, s, "demo-plan", "1") for t, s in scores.items())
        return Assessment(item.id, lang, variety, threats, signals, (), {"demo": "1"})


# -- the simulation ---------------------------------------------------------------------------------------


class _Sim:
    def __init__(self, svc: Services, cfg: SeedConfig, analyzer: PlannedAnalyzer | None) -> None:
        self.svc = svc
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        self.now = cfg.start
        self.svc.clock = lambda: self.now
        self.analyzer = analyzer
        self.ledger = SeedLedger(cfg)
        self.queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self.counter = itertools.count()
        self.platform = Actor(id=None, name=PLATFORM, role="integration")
        self.reviewers: dict[str, tuple[Actor, ReviewerSpec]] = {}
        self.partners: list[Actor] = []
        self.next_item = itertools.count(1)
        self.reporters = [f"demo-reporter-{n}" for n in range(400)]
        self.brigade = [f"demo-brigade-{n}" for n in range(25)]
        # Open, unclaimed cases by (lang, variety): reviewers only ask the queue for what is there, which
        # keeps the simulation fast (claiming is a write transaction).
        self.open_cases: dict[int, tuple[str, str]] = {}

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        if when < self.cfg.end:
            heapq.heappush(self.queue, (when, next(self.counter), action))

    # setup
    def users(self) -> None:
        db = self.svc.db
        add_user(db, PLATFORM, "integration")
        for spec in REVIEWERS:
            langs = list(dict.fromkeys(lang for lang, _ in spec.pairs))
            varieties = list(dict.fromkeys(v for _, v in spec.pairs))
            actor = add_user(db, spec.name, "reviewer", languages=langs, varieties=varieties)
            self.reviewers[spec.name] = (actor, spec)
            assert actor.id is not None
            self.ledger.reviewers[spec.name] = actor.id
        for name in PARTNERS:
            self.partners.append(add_user(db, name, "partner", organisation=name))

    def schedule(self) -> None:
        day = self.cfg.start
        while day < self.cfg.end:
            # Traffic follows the day: quieter at night, busiest in the evening.
            for hour in range(24):
                weight = 0.4 if hour < 7 else (1.5 if 18 <= hour < 23 else 1.0)
                n = self._poisson(self.cfg.items_per_day * weight / 24.7)
                if n:
                    when = day + timedelta(hours=hour, minutes=self.rng.randrange(60))
                    self.at(when, partial(self.ingest_batch, n))
            for name, (_, spec) in self.reviewers.items():
                if day.weekday() in spec.days_off:
                    continue
                start = day + timedelta(hours=spec.shift[0], minutes=self.rng.randrange(10))
                end = day + timedelta(hours=spec.shift[1])
                self.at(start, partial(self.work, name, end))
            day += timedelta(days=1)

    def _poisson(self, mean: float) -> int:
        # Knuth's method: small means only.
        limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def run(self) -> SeedLedger:
        self.users()
        self.schedule()
        while self.queue:
            when, _, action = heapq.heappop(self.queue)
            self.now = when
            action()
        return self.ledger

    # items
    def _pick(self) -> tuple[str, str, str, str | None]:
        r = self.rng.random()
        acc = 0.0
        lang, variety, countries = LANGUAGE_MIX[-1][0], LANGUAGE_MIX[-1][1], LANGUAGE_MIX[-1][3]
        for lg, v, share, cs in LANGUAGE_MIX:
            acc += share
            if r < acc:
                lang, variety, countries = lg, v, cs
                break
        r = self.rng.random()
        acc = 0.0
        truth: str | None = None
        for t, share in THREAT_MIX:
            acc += share
            if r < acc:
                truth = t
                break
        return lang, variety, self.rng.choice(countries), truth

    def _scores(self, lang: str, variety: str, truth: str | None) -> dict[str, float]:
        rng = self.rng
        if truth is not None:
            p_auto, p_review = DETECTION.get((lang, variety), DEFAULT_DETECTION)
            target = truth
        else:
            p_auto, p_review = FALSE_POSITIVES.get((lang, variety), DEFAULT_FALSE_POSITIVES)
            target = rng.choice(("harassment", "outing"))
        r = rng.random()
        band = AUTO_SCORE if r < p_auto else REVIEW_SCORE if r < p_auto + p_review else LOW_SCORE
        scores = {t: round(rng.uniform(0.0, 0.2), 3) for t in THREATS}
        scores[target] = round(rng.uniform(*band), 3)
        return scores

    def _item(self, ext: str, lang: str, variety: str, country: str, truth: str | None) -> Item:
        group = lang if lang in ("ar", "ar-Latn", "fr") else "en"
        when = self.now.isoformat()
        if truth == "entrapment" or (truth is None and self.rng.random() < 0.1):
            return Item.from_dict(
                {"id": ext, "messages": chat_for(group, truth == "entrapment", self.rng), "surface": "dating_chat",
                 "country": country, "author": f"demo-author-{self.rng.randrange(5000)}", "created_at": when}
            )
        surface = "dm" if truth == "extortion" else self.rng.choice(("post", "comment"))
        target = f"demo-member-{self.rng.randrange(5000)}" if truth in ("outing", "doxxing", "extortion") else None
        return Item.from_dict(
            {"id": ext, "text": text_for(group, variety, truth, self.rng), "surface": surface, "country": country,
             "author": f"demo-author-{self.rng.randrange(5000)}", "target": target, "created_at": when}
        )

    def ingest_batch(self, n: int) -> None:
        batch: list[tuple[Item, str, str, str, str | None]] = []
        for _ in range(n):
            lang, variety, country, truth = self._pick()
            ext = f"demo-{next(self.next_item):07d}"
            if self.analyzer is not None:
                self.analyzer.plan[ext] = (lang, variety, self._scores(lang, variety, truth))
            batch.append((self._item(ext, lang, variety, country, truth), lang, variety, country, truth))
        results = ingest(self.svc, [b[0] for b in batch], actor=self.platform, platform=PLATFORM)
        for (item, _lang, _variety, country, truth), res in zip(batch, results, strict=True):
            d = res.decision
            rec = SeedItem(
                ext_id=item.id, sitr_id=res.sitr_id, lang=res.assessment["lang"], variety=res.assessment["variety"],
                country=country, truth=truth, received_at=self.now, outcome=d["outcome"],
                threat=d["primary_threat"], actions=tuple(d["actions"]), case_id=res.case_id,
                notified=res.target_notice is not None,
            )
            self.ledger.items[item.id] = rec
            if rec.case_id is not None:
                self.open_cases[rec.case_id] = (rec.lang, rec.variety)
            self._after_ingest(rec)

    def _after_ingest(self, rec: SeedItem) -> None:
        rng = self.rng
        if rec.outcome == "action":
            self._maybe_appeal(rec.ext_id, rec.truth is None)
        if rec.truth is not None and rec.outcome != "action" and rng.random() < 0.5:
            reason = rec.truth if rng.random() < 0.9 else "other"
            for who in rng.sample(self.reporters, rng.randint(1, 3)):
                self.at(self.now + timedelta(minutes=rng.randint(20, 24 * 60)),
                        partial(self.flag, rec.ext_id, who, reason))
        elif rec.truth is None and rng.random() < 0.04:
            # A brigade mass-reports someone's own post: weight, not numbers, decides whether a human looks.
            for who in rng.sample(self.brigade, rng.randint(2, 7)):
                self.at(self.now + timedelta(minutes=rng.randint(10, 360)),
                        partial(self.flag, rec.ext_id, who, "harassment"))
        if rec.truth in ("outing", "doxxing", "extortion", "entrapment") and rng.random() < 0.25:
            partner = rng.choice(self.partners)
            urgent = rec.truth in ("outing", "extortion")
            self.at(self.now + timedelta(minutes=rng.randint(15, 6 * 60)),
                    lambda: self.escalate(rec.ext_id, partner, rec.truth or "outing", urgent))

    def flag(self, ext: str, reporter: str, reason: str) -> None:
        res = flag(self.svc, self.platform, platform=PLATFORM, external_id=ext, reporter=reporter, reason=reason)
        if not res.duplicate:
            self.ledger.flags.append(SeedFlag(ext, self.now, reason, res.queued, res.case_id))
        if res.queued and res.case_id is not None:
            item = self.ledger.items[ext]
            self.open_cases[res.case_id] = (item.lang, item.variety)

    def escalate(self, ext: str, partner: Actor, reason: str, urgent: bool) -> None:
        out = escalate(self.svc, partner, platform=PLATFORM, external_id=ext, reason=reason, urgent=urgent,
                       note="Fictional demo escalation.")
        item = self.ledger.items[ext]
        case = self._case_of(item.sitr_id)
        self.ledger.escalations.append(SeedEscalation(ext, self.now, reason, urgent, case))
        if out["status"] == "open":
            self.open_cases[case] = (item.lang, item.variety)

    def _case_of(self, sitr_id: str) -> int:
        from sitr.moderation.records import open_case_for

        with self.svc.db.read() as session:
            c = open_case_for(session, sitr_id)
            assert c is not None
            return c.id

    # reviewers
    def work(self, name: str, shift_end: datetime) -> None:
        if self.now >= shift_end:
            return
        actor, spec = self.reviewers[name]
        case = None
        waiting = set(self.open_cases.values())
        for lang, variety in spec.pairs:
            if (lang, variety) not in waiting:
                continue
            case = claim_next(self.svc, actor, QueueFilter(lang=lang, variety=variety))
            if case is not None:
                self.open_cases.pop(case["case_id"], None)
                break
        if case is None:
            self.at(self.now + timedelta(minutes=20), lambda: self.work(name, shift_end))
            return
        minutes = self.rng.uniform(3, 18) * (1.6 if case["kind"] == "appeal" else 1.0)
        claimed = self.now
        self.at(self.now + timedelta(minutes=minutes),
                lambda: self.decide(name, case, claimed, shift_end))

    def decide(self, name: str, case: dict[str, Any], claimed: datetime, shift_end: datetime) -> None:
        actor, _ = self.reviewers[name]
        item = self._ledger_item(case["item_id"])
        truth = item.truth
        error = self.cfg.appeal_error if case["kind"] == "appeal" else self.cfg.review_error
        ruled = truth
        if self.rng.random() < error:
            ruled = None if truth is not None else (case["threat"] or "harassment")
        ruling = Ruling(threat=ruled, actions=None, clause=f"demo-{ruled or 'none'}", statement="Demo decision.")
        out = decide_case(self.svc, actor, case["case_id"], ruling)
        d = out["decision"]
        self.ledger.reviews.append(
            SeedReview(
                case_id=case["case_id"], ext_id=item.ext_id, kind=case["kind"], reviewer=name, claimed_at=claimed,
                decided_at=self.now, deadline_at=datetime.fromisoformat(case["deadline_at"]),
                outcome=d["outcome"], threat=d["primary_threat"], actions=tuple(d["actions"]),
                notified=out["target_notice"] is not None,
            )
        )
        if case["kind"] == "review":
            if d["outcome"] == "action":
                self._maybe_appeal(item.ext_id, truth is None)
            elif truth is not None and self.rng.random() < 0.5:
                self._appeal_later(item.ext_id, "reporter")
        self.at(self.now + timedelta(minutes=self.rng.uniform(0.5, 3)), lambda: self.work(name, shift_end))

    def _ledger_item(self, sitr_id: str) -> SeedItem:
        if not hasattr(self, "_by_sitr"):
            self._by_sitr: dict[str, SeedItem] = {}
        found = self._by_sitr.get(sitr_id)
        if found is None:
            self._by_sitr = {i.sitr_id: i for i in self.ledger.items.values()}
            found = self._by_sitr[sitr_id]
        return found

    def _maybe_appeal(self, ext: str, wrongly_actioned: bool) -> None:
        if self.rng.random() < (0.6 if wrongly_actioned else 0.06):
            self._appeal_later(ext, "author")

    def _appeal_later(self, ext: str, appellant: str) -> None:
        self.at(self.now + timedelta(hours=self.rng.uniform(2, 48)), lambda: self.appeal(ext, appellant))

    def appeal(self, ext: str, appellant: str) -> None:
        try:
            out = appeal(self.svc, self.platform, ext, appellant=appellant, reason="Fictional demo appeal.")
        except ModerationError:
            self.ledger.skipped_appeals += 1  # still under review, or already appealed: as on a real platform
            return
        self.ledger.appeals.append(SeedAppeal(ext, self.now, out["case_id"], appellant))
        item = self.ledger.items[ext]
        self.open_cases[out["case_id"]] = (item.lang, item.variety)


def seed(svc: Services, config: SeedConfig | None = None, *, planned: bool = True) -> SeedLedger:
    """Fill `svc`'s (migrated, empty) database with demo activity; returns the ledger of what was done.

    With `planned` (the default) sitr's analyzer is replaced by the plan's scores for the run; otherwise the
    services' own analyzer (the real pipeline) scores the fictional texts.
    """
    cfg = config or SeedConfig()
    analyzer = PlannedAnalyzer() if planned else None
    original = (svc.analyzer, svc.batch_analyzer, svc.clock)
    if analyzer is not None:
        svc.analyzer, svc.batch_analyzer = analyzer, None
    try:
        return _Sim(svc, cfg, analyzer).run()
    finally:
        svc.analyzer, svc.batch_analyzer, svc.clock = original
