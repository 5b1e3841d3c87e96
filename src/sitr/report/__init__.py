"""sitr.report: figures and exports computed from decisions and the event log.

`sitr.report.dsa` turns decisions into EU DSA statements of reasons (Transparency Database API v2).
`build_report` turns the event log into a transparency report with small counts protected; `render` writes it
as HTML, CSV, JSON, the DSA harmonised CSV or the Santa Clara numbers. Those are loaded on first use, so that
importing the policy (which needs `sitr.report.dsa`) does not pull in the database layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from sitr.report.dsa import RESTRICTING_ACTIONS, StatementError, restricts, statement_of_reasons, validate_statement

_LAZY: dict[str, str] = {
    "FORMATS": "sitr.report.render",
    "EventRecord": "sitr.report.records",
    "Figures": "sitr.report.metrics",
    "Period": "sitr.report.metrics",
    "ReportOptions": "sitr.report.build",
    "Scope": "sitr.report.scope",
    "build_report": "sitr.report.build",
    "compute": "sitr.report.metrics",
    "parse_scope": "sitr.report.scope",
    "render": "sitr.report.render",
    "report_from_db": "sitr.report.render",
    "report_from_figures": "sitr.report.build",
    "stream_records": "sitr.report.records",
}

__all__ = [
    "FORMATS",
    "RESTRICTING_ACTIONS",
    "EventRecord",
    "Figures",
    "Period",
    "ReportOptions",
    "Scope",
    "StatementError",
    "build_report",
    "compute",
    "parse_scope",
    "render",
    "report_from_db",
    "report_from_figures",
    "restricts",
    "statement_of_reasons",
    "stream_records",
    "validate_statement",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sitr.report' has no attribute {name!r}")
    return getattr(import_module(module), name)
