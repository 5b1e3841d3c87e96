"""Plain exports of a built report: JSON, and a long-format CSV with one figure per line.

Both render the protected report dict as it is: a suppressed figure is an empty CSV value or JSON null.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

CSV_COLUMNS: tuple[str, ...] = ("section", "level", "threat", "country", "lang", "variety", "metric", "value")


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ";".join(_cell(v) for v in value) + "]"
    return str(value)


def rows_of(report: dict[str, Any]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for row in [report["totals"], *report["rows"]]:
        base = {k: _cell(row.get(k)) for k in ("level", "threat", "country", "lang", "variety")}
        for metric, value in row["counts"].items():
            out.append({"section": "counts", **base, "metric": metric, "value": _cell(value)})
        for metric, value in row["rates"].items():
            out.append({"section": "rates", **base, "metric": metric, "value": _cell(value)})
        for metric, t in row["timing"].items():
            for stat, value in t.items():
                out.append({"section": "timing", **base, "metric": f"{metric}_{stat}", "value": _cell(value)})
    for section in ("languages", "accuracy"):
        for row in report[section]:
            base = {"level": row["level"], "threat": "", "country": "", "lang": _cell(row["lang"]),
                    "variety": _cell(row["variety"])}
            for metric, value in row.items():
                if metric in ("level", "lang", "variety"):
                    continue
                out.append({"section": section, **base, "metric": metric, "value": _cell(value)})
    return out


def to_csv(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows_of(report))
    return buf.getvalue()
