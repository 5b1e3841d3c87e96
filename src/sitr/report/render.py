"""One entry point from the database to any published format."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sitr.report.build import ReportOptions, build_report
from sitr.report.dsa_report import dsa_csv
from sitr.report.exports import to_csv, to_json
from sitr.report.html import render_html
from sitr.report.metrics import Period
from sitr.report.records import stream_records
from sitr.report.scope import Scope
from sitr.store.db import Database

FORMATS: tuple[str, ...] = ("html", "csv", "json", "dsa-csv", "santa-clara")


def report_from_db(db: Database, period: Period, scope: Scope, opts: ReportOptions | None = None) -> dict[str, Any]:
    """Stream the event log (one read transaction, chunked) into a protected report."""
    with db.read() as session:
        return build_report(stream_records(session, end=period.end), period, scope, opts)


def render(
    report: dict[str, Any], fmt: str, *, lang: str = "en", categories: Mapping[str, str] | None = None
) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "dsa-csv":
        return dsa_csv(report, categories=categories)
    if fmt == "santa-clara":
        body = {k: report[k] for k in ("service", "period", "scope", "privacy")} | {"numbers": report["santa_clara"]}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return render_html(report, lang)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")
