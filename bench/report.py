"""Benchmark: a transparency report over 1,000,000 events (target: under 60 s on 2 cores).

The events are synthetic and written straight into SQLite with SQLAlchemy Core bulk inserts. THIS BYPASSES
THE HASH CHAIN (hash columns hold placeholders) because appending a million events one transaction at a time
would measure the writer, not the report; `sitr audit verify` would rightly reject this database. Items and
cases carry only the non-personal columns the report joins on.

Prints the event count, the time to stream the log alone (the baseline, same process), the time for the full
protected report, and their ratio.

    .venv/bin/python bench/report.py [--events 1000000] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from sitr.report.build import ReportOptions
from sitr.report.metrics import Period
from sitr.report.records import stream_records
from sitr.report.render import report_from_db
from sitr.report.scope import parse_scope
from sitr.store.db import Database
from sitr.store.migrate import upgrade
from sitr.store.models import Case, Event
from sitr.store.models import Item as ItemRow

START = datetime(2025, 1, 1, tzinfo=UTC)
DAYS = 180
LANGS = [("ar", "egy", "EG"), ("ar", "lev", "LB"), ("ar", "glf", "SA"), ("ar", "mag", "MA"), ("ar", "msa", "JO"),
         ("ar-Latn", "lev", "LB"), ("ar-Latn", "mag", "TN"), ("fr", "fr", "FR"), ("en", "en", "US"), ("en", "en", "GB")]
THREATS = ["harassment", "outing", "doxxing", "extortion", "entrapment"]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _assessment(lang: str, variety: str, threat: str | None, rng: random.Random) -> dict[str, Any]:
    scores = {t: round(rng.random() * (0.99 if t == threat else 0.3), 4) for t in THREATS}
    return {"lang": lang, "variety": variety,
            "threats": {t: {"score": s, "level": "high" if s > 0.85 else "none", "detected": s > 0.5}
                        for t, s in scores.items()},
            "signals": [{"threat": t, "score": s, "detector": "bench", "spans": []} for t, s in scores.items()]}


def generate(db: Database, target: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    seq = 0
    case_id = 0
    written = 0
    n = 0

    def ev(etype: str, at: datetime, item: str, payload: dict[str, Any], *, case: int | None = None,
           actor: str = "system") -> None:
        nonlocal seq
        seq += 1
        events.append({"seq": seq, "type": etype, "item_id": item, "case_id": case, "actor": actor,
                       "payload": json.dumps(payload, separators=(",", ":")), "payload_enc": None,
                       "enc_digest": None, "created_at": _iso(at), "prev_hash": "0" * 64, "hash": f"{seq:064x}"})

    def flush(force: bool = False) -> None:
        nonlocal written
        if len(events) < 50_000 and not force:
            return
        with db.engine.begin() as conn:
            if items:
                conn.execute(insert(ItemRow), items)
            if cases:
                conn.execute(insert(Case), cases)
            conn.execute(insert(Event), events)
        written += len(events)
        events.clear()
        items.clear()
        cases.clear()

    span = DAYS * 24 * 3600
    while written + len(events) < target:
        n += 1
        item = f"b{n:08x}"
        lang, variety, country = rng.choice(LANGS)
        at = START + timedelta(seconds=span * (written + len(events)) / target + rng.random())
        threat = rng.choice(THREATS) if rng.random() < 0.35 else None
        r = rng.random()
        outcome = "none" if threat is None else ("action" if r < 0.45 else "review" if r < 0.85 else "none")
        decision = {"outcome": outcome, "primary_threat": threat if outcome != "none" else None,
                    "actions": ["remove"] if outcome == "action" else []}
        items.append({"id": item, "platform": "bench", "external_id": item, "surface": "post", "content_type": "text",
                      "lang": lang, "variety": variety, "country": country, "received_at": at,
                      "source_type": "SOURCE_VOLUNTARY", "content_digest": item, "assessment": {}, "auto_decision": {},
                      "decision": {}, "policy_version": "bench", "outcome": outcome, "severity": 0,
                      "automated": True, "has_target": False})
        ev("item_received", at, item, {"platform": "bench", "external_id": item, "source_type": "SOURCE_VOLUNTARY"})
        ev("assessed", at, item, {"assessment": _assessment(lang, variety, threat, rng), "decision": decision})
        if outcome == "action":
            ev("auto_actioned", at, item, {"actions": ["remove"], "threat": threat})
            if rng.random() < 0.3:
                ev("target_notified", at, item, {"threat": threat, "lang": "ar", "steps": []})
        flagged = (threat is not None and outcome == "none") or rng.random() < 0.05
        if outcome == "review" or flagged:
            case_id += 1
            opened = at + timedelta(minutes=rng.randint(0, 600) if flagged else 0)
            deadline = opened + timedelta(minutes=60 if threat in ("outing", "doxxing", "extortion") else 1440)
            if flagged:
                ev("flagged", opened, item, {"flag_id": n, "reason": threat or "harassment", "weight": 0.5})
            if rng.random() < 0.05:
                ev("escalated", opened, item, {"escalation_id": n, "reason": threat or "outing", "urgent": True},
                   case=case_id, actor="partner:3")
            ev("queued", opened, item, {"origin": "flags" if flagged else "policy", "threat": threat}, case=case_id)
            reviewer = f"reviewer:{rng.randint(1, 40)}"
            claimed = opened + timedelta(minutes=rng.randint(1, 900))
            decided = claimed + timedelta(minutes=rng.randint(2, 25))
            ruled = threat if rng.random() < 0.8 else None
            cases.append({"id": case_id, "item_id": item, "kind": "review", "origin": "policy", "status": "decided",
                          "threat": threat, "lang": lang, "variety": variety, "country": country, "severity": 3,
                          "opened_at": opened, "deadline_at": deadline, "decided_at": decided})
            ev("claimed", claimed, item, {"kind": "review"}, case=case_id, actor=reviewer)
            ev("decided", decided, item, {"outcome": "action" if ruled else "none", "threat": ruled,
                                          "actions": ["remove"] if ruled else [], "flags_resolved": int(flagged)},
               case=case_id, actor=reviewer)
            if rng.random() < 0.06:
                case_id += 1
                appealed = decided + timedelta(hours=rng.randint(1, 72))
                other = f"reviewer:{rng.randint(41, 60)}"
                cases.append({"id": case_id, "item_id": item, "kind": "appeal", "origin": "appeal",
                              "status": "decided", "threat": threat, "lang": lang, "variety": variety,
                              "country": country, "severity": 3, "opened_at": appealed,
                              "deadline_at": appealed + timedelta(days=1),
                              "decided_at": appealed + timedelta(hours=2, minutes=9)})
                ev("appealed", appealed, item, {"appellant": "author"}, case=case_id, actor="integration:1")
                ev("claimed", appealed + timedelta(hours=2), item, {"kind": "appeal"}, case=case_id, actor=other)
                ev("appeal_decided", appealed + timedelta(hours=2, minutes=9), item,
                   {"outcome": "none", "threat": None, "actions": [], "reversed": rng.random() < 0.3,
                    "flags_resolved": 0}, case=case_id, actor=other)
        flush()
    flush(force=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file to create (default: a temp dir).")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="sitr-bench-report-")) / "bench.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    t0 = time.perf_counter()
    count = generate(db, args.events)
    t_gen = time.perf_counter() - t0
    period = Period(START, START + timedelta(days=DAYS + 5))

    t0 = time.perf_counter()
    with db.read() as session:
        streamed = sum(1 for _ in stream_records(session, end=period.end))
    t_stream = time.perf_counter() - t0

    t0 = time.perf_counter()
    report = report_from_db(db, period, parse_scope("global"), ReportOptions())
    t_report = time.perf_counter() - t0
    t0 = time.perf_counter()
    mena = report_from_db(db, period, parse_scope("region:MENA"), ReportOptions())
    t_mena = time.perf_counter() - t0
    db.dispose()
    print(f"events written (chain bypassed): {count:,} in {t_gen:.1f} s")
    print(f"baseline, stream the log only:   {streamed:,} events in {t_stream:.1f} s "
          f"({streamed / t_stream:,.0f} events/s)")
    print(f"full protected report, global:   {t_report:.1f} s ({count / t_report:,.0f} events/s), "
          f"{report['privacy']['suppressed_primary']} + {report['privacy']['suppressed_complementary']} cells hidden")
    print(f"full protected report, MENA:     {t_mena:.1f} s ({mena['totals']['counts']['items_assessed']:,} items)")
    print(f"ratio report / stream baseline:  {t_report / t_stream:.2f}x")
    print(f"target < 60 s: {'met' if t_report < 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
