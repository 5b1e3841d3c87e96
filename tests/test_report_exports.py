"""Every export renders the same protected figures: DSA harmonised CSV, HTML, CSV, JSON, Santa Clara."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from sitr.report.build import ReportOptions, build_report
from sitr.report.dsa_report import COLUMNS, dsa_csv, reporting_period
from sitr.report.html import render_html
from sitr.report.metrics import Period
from sitr.report.records import EventRecord
from sitr.report.render import FORMATS, render
from sitr.report.scope import ScopeError, parse_scope

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PERIOD = Period(T0, T0 + timedelta(days=31))


def _add(out: list[EventRecord], etype: str, when: datetime, dims: dict[str, str], actor: str = "system",
         case_id: int | None = None, **payload: object) -> None:
    out.append(EventRecord(seq=len(out) + 1, type=etype, at=when, actor=actor, case_id=case_id, payload=payload,
                           item_id=dims["item"], lang=dims["lang"], variety=dims["variety"], country=dims["country"]))


def _records() -> list[EventRecord]:
    out: list[EventRecord] = []
    langs = [("ar", "egy", "EG"), ("ar-Latn", "mag", "MA"), ("fr", "fr", "FR"), ("en", "en", "US")]
    case = 0
    for i in range(400):
        lang, variety, country = langs[i % 4]
        threat = ("harassment", "outing", "doxxing", "extortion", None)[i % 5]
        at = T0 + timedelta(hours=i)
        d = {"item": f"item-{i}", "lang": lang, "variety": variety, "country": country}
        _add(out, "item_received", at, d, source_type="SOURCE_VOLUNTARY")
        outcome = "none" if threat is None else ("action" if i % 2 else "review")
        _add(out, "assessed", at, d, decision={"outcome": outcome, "primary_threat": threat, "actions": []})
        if outcome == "action":
            _add(out, "auto_actioned", at, d, actions=["remove"], threat=threat)
        elif outcome == "review":
            case += 1
            _add(out, "queued", at, d, case_id=case, origin="policy", threat=threat, deadline_minutes=60)
            _add(out, "claimed", at + timedelta(minutes=20), d, actor="reviewer:1", case_id=case)
            ruled = threat if i % 7 else None
            _add(out, "decided", at + timedelta(minutes=30), d, actor="reviewer:1", case_id=case,
                 outcome="action" if ruled else "none", threat=ruled, actions=["remove"] if ruled else [],
                 flags_resolved=0)
            if i % 3 == 0:
                case += 1
                _add(out, "appealed", at + timedelta(hours=2), d, actor="integration:1", case_id=case,
                     appellant="author")
                _add(out, "claimed", at + timedelta(hours=3), d, actor="reviewer:2", case_id=case)
                _add(out, "appeal_decided", at + timedelta(hours=3, minutes=10), d, actor="reviewer:2", case_id=case,
                     outcome="none", threat=None, actions=[], reversed=bool(i % 2), flags_resolved=0)
    return out


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    return build_report(_records(), PERIOD, parse_scope("global"), ReportOptions(threshold=10, service="demo"))


def test_dsa_csv_has_the_template_columns_and_sections(report: dict[str, object]) -> None:
    text = dsa_csv(report)  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    sections = {r["Section"] for r in body}
    assert sections == {
        "Notices submitted in accordance with Article 16",
        "Own-initiative content moderation",
        "Internal complaints mechanism",
        "Use of automated means for content moderation",
        "Human resources dedicated to content moderation",
    }
    assert {r["Reporting period"] for r in body} == {"2026-01-01/2026-01-31"}
    assert {r["Service"] for r in body} == {"demo"}
    complaints = {r["Scope"]: r["Value"] for r in body if r["Section"] == "Internal complaints mechanism"}
    assert set(complaints) == {"Total number", "Decisions upheld", "Decisions reversed", "Median time"}
    precision = [r for r in body if r["Indicator"] == "Accuracy of the automated means - Precision"]
    assert precision and all(r["Value"] == "" or 0 <= float(r["Value"]) <= 1 for r in precision)
    for r in body:  # a hidden figure says why, a shown one is a number
        hidden = r["Value"] == "" and "not shown" in r["Contextual Information"]
        assert hidden or re.fullmatch(r"[0-9.]+", r["Value"])
    assert any(r["Scope"] == "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS / outing" for r in body)
    with pytest.raises(ValueError, match="not DSA statement categories"):
        dsa_csv(report, categories={"outing": "STATEMENT_CATEGORY_MADE_UP"})  # type: ignore[arg-type]
    assert reporting_period(T0.date(), (T0 + timedelta(days=1)).date()) == "2026-01-01/2026-01-01"


def test_html_is_self_contained_printable_and_rtl_in_arabic(report: dict[str, object]) -> None:
    ar = render_html(report, "ar")  # type: ignore[arg-type]
    assert '<html lang="ar" dir="rtl">' in ar and "تقرير الشفافية" in ar
    assert "<svg" in ar and "@media print" in ar
    for page in (ar, render_html(report, "fr"), render_html(report, "en")):  # type: ignore[arg-type]
        assert "<script" not in page
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert "url(" not in page and "@import" not in page
    assert "Rapport de transparence" in render_html(report, "fr")  # type: ignore[arg-type]
    assert 'dir="ltr"' in render_html(report, "en")  # type: ignore[arg-type]


def test_every_format_renders_and_json_round_trips(report: dict[str, object]) -> None:
    for fmt in FORMATS:
        assert render(report, fmt)  # type: ignore[arg-type]
    data = json.loads(render(report, "json"))  # type: ignore[arg-type]
    assert data["schema"] == "sitr.report/1" and data["privacy"]["threshold"] == 10
    sc = json.loads(render(report, "santa-clara"))  # type: ignore[arg-type]
    assert sc["numbers"]["content_actioned"] == data["totals"]["counts"]["items_actioned"]
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))  # type: ignore[arg-type]
    total = [r for r in rows if r["level"] == "total" and r["metric"] == "items_assessed" and r["section"] == "counts"]
    assert total[0]["value"] == "400"
    with pytest.raises(ValueError):
        render(report, "pdf")  # type: ignore[arg-type]


def test_noise_is_recorded_in_every_format() -> None:
    noisy = build_report(_records(), PERIOD, parse_scope("global"), ReportOptions(epsilon=1.0, noise_seed=5))
    assert noisy["privacy"]["epsilon"] == 1.0 and "epsilon" in noisy["privacy"]["epsilon_note"]
    assert "epsilon 1.0" in dsa_csv(noisy)
    assert "1.0" in render_html(noisy, "en")
    assert abs(noisy["totals"]["counts"]["items_assessed"] - 400) < 30


def test_scopes() -> None:
    assert parse_scope("global").countries is None
    assert "EG" in (parse_scope("region:mena").countries or ())
    assert parse_scope("country:eg").label == "country:EG"
    for bad in ("region:Atlantis", "country:EGY", "planet:earth"):
        with pytest.raises(ScopeError):
            parse_scope(bad)
