"""A self-contained HTML transparency report: inline CSS and SVG charts, no scripts, no external assets.

It prints well (A4, charts kept whole, no dark backgrounds) and is laid out right-to-left when written in
Arabic. Every figure comes from the protected report dict; a suppressed figure prints as an em dash.
"""

from __future__ import annotations

from html import escape
from typing import Any

from sitr.report.i18n import RTL, t

CSS = """
:root { --ink:#1b1b1b; --muted:#5b5b5b; --line:#d0d0d0; --bar:#2f6f8f; --bar2:#9cc3d5; --warn:#b3261e; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
       border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
.meta { color: var(--muted); margin: 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .6rem; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; }
.tile .v { font-size: 1.35rem; font-weight: 700; } .tile .k { color: var(--muted); font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .4rem; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
.flag { color: var(--warn); font-weight: 700; }
.note { color: var(--muted); font-size: .85rem; }
figure { margin: .5rem 0; } svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
  figure, table, .tile { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
@page { size: A4; margin: 15mm; }
"""
DASH = "—"


def _n(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _pct(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def _hours(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return DASH
    return f"{seconds / 3600:,.1f} {t('hours', lang)}"


def hbar_chart(rows: list[tuple[str, float | None, bool]], *, width: int = 640, ref: float | None = None) -> str:
    """Horizontal bars with labels; None draws an empty row marked with a dash; `ref` draws a reference line."""
    bar_h, gap, label_w = 18, 6, 190
    height = len(rows) * (bar_h + gap) + gap
    top = max([v for _, v, _ in rows if v is not None] + [ref or 0, 1e-9])
    scale = (width - label_w - 60) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" direction="ltr">'
    ]
    for i, (label, value, warn) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + bar_h - 5}" font-size="12" fill="#5b5b5b">{DASH}</text>')
            continue
        w = max(1.0, value * scale)
        fill = "#b3261e" if warn else "#2f6f8f"
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}"/>')
        shown = f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else f"{value:,.0f}"
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 5}" font-size="12">{shown}</text>')
    if ref is not None:
        x = label_w + ref * scale
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#1b1b1b" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return "".join(parts)


def interval_chart(rows: list[tuple[str, float | None, list[float] | None]], *, width: int = 640) -> str:
    """A point and its 95% interval on a 0..1 axis, one row per language."""
    row_h, label_w = 24, 190
    height = len(rows) * row_h + 24
    span = width - label_w - 20

    def x(v: float) -> float:
        return label_w + v * span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" direction="ltr">'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{x(tick):.1f}" y1="0" x2="{x(tick):.1f}" y2="{height - 18}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 4}" font-size="11" text-anchor="middle">{tick:.2f}</text>')
    for i, (label, value, ci) in enumerate(rows):
        y = 14 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 4}" text-anchor="end" font-size="12">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 4}" font-size="12" fill="#5b5b5b">{DASH}</text>')
            continue
        if ci:
            parts.append(f'<line x1="{x(ci[0]):.1f}" y1="{y}" x2="{x(ci[1]):.1f}" y2="{y}" stroke="#2f6f8f" '
                         'stroke-width="2"/>')
        parts.append(f'<circle cx="{x(value):.1f}" cy="{y}" r="4" fill="#2f6f8f"/>')
    parts.append("</svg>")
    return "".join(parts)


def _label(row: dict[str, Any], lang: str) -> str:
    if row.get("lang") is None:
        return t("total", lang)
    return str(row["lang"]) + (f" / {row['variety']}" if row.get("variety") else "")


def _tiles(report: dict[str, Any], lang: str) -> str:
    c, r, tm = report["totals"]["counts"], report["totals"]["rates"], report["totals"]["timing"]
    tiles = [
        ("items_assessed", _n(c["items_assessed"])),
        ("items_actioned", _n(c["items_actioned"])),
        ("proactive_rate", _pct(r["proactive_rate"])),
        ("automated_share", _pct(r["automated_share"])),
        ("human_share", _pct(r["human_share"])),
        ("median_tta", _hours(tm["time_to_action"]["median_seconds"], lang)),
        ("p90_tta", _hours(tm["time_to_action"]["p90_seconds"], lang)),
        ("flags_received", _n(c["flags_received"])),
        ("flag_uphold_rate", _pct(r["flag_uphold_rate"])),
        ("escalations_received", _n(c["escalations_received"])),
        ("escalation_response", _hours(tm["escalation_response"]["median_seconds"], lang)),
        ("appeals_received", _n(c["appeals_received"])),
        ("overturn_rate", _pct(r["overturn_rate"])),
        ("targets_notified", _n(c["targets_notified"])),
    ]
    cells = "".join(
        f'<div class="tile"><div class="v">{escape(v)}</div><div class="k">{escape(t(k, lang))}</div></div>'
        for k, v in tiles
    )
    return f'<div class="tiles">{cells}</div>'


def _breakdown(report: dict[str, Any], level: str, dim: str, lang: str) -> str:
    rows = [r for r in report["rows"] if r["level"] == level]
    if not rows:
        return ""
    head = "".join(
        f"<th>{escape(t(h, lang))}</th>"
        for h in (dim, "items_assessed", "items_actioned", "proactive_rate", "automated_share", "median_tta",
                  "flags_received", "appeals_received", "overturn_rate")
    )
    body = []
    for r in rows:
        name = r[dim] if dim != "threat" else t(r[dim], lang)
        if dim == "lang" and r.get("variety"):
            name = f"{r['lang']} / {r['variety']}"
        c, rt, tm = r["counts"], r["rates"], r["timing"]
        body.append(
            f"<tr><td>{escape(str(name))}</td><td class=n>{_n(c['items_assessed'])}</td>"
            f"<td class=n>{_n(c['items_actioned'])}</td><td class=n>{_pct(rt['proactive_rate'])}</td>"
            f"<td class=n>{_pct(rt['automated_share'])}</td>"
            f"<td class=n>{_hours(tm['time_to_action']['median_seconds'], lang)}</td>"
            f"<td class=n>{_n(c['flags_received'])}</td><td class=n>{_n(c['appeals_received'])}</td>"
            f"<td class=n>{_pct(rt['overturn_rate'])}</td></tr>"
        )
    chart = hbar_chart([(str(r[dim] if dim != "threat" else t(r[dim], lang)) if dim != "lang" else _label(r, lang),
                         r["counts"]["items_actioned"], False) for r in rows])
    return f"<figure>{chart}</figure><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _investment(report: dict[str, Any], lang: str) -> str:
    rows = [r for r in report["languages"] if r["level"] in ("lang_variety", "total")]
    chart = hbar_chart(
        [(_label(r, lang), r["capacity_index"], r["underserved"]) for r in rows if r["level"] == "lang_variety"],
        ref=1.0,
    )
    head = "".join(
        f"<th>{escape(t(h, lang))}</th>"
        for h in ("lang", "decisions", "shift_hours", "decisions_per_hour", "backlog", "deadline_misses",
                  "harm_items", "capacity_index")
    )
    body = []
    for r in rows:
        flag = f' <span class="flag">{escape(t("underserved", lang))}</span>' if r["underserved"] else ""
        body.append(
            f"<tr><td>{escape(_label(r, lang))}</td><td class=n>{_n(r['decisions'])}</td>"
            f"<td class=n>{_n(r['shift_hours'])}</td><td class=n>{_n(r['decisions_per_reviewer_hour'])}</td>"
            f"<td class=n>{_n(r['backlog'])}</td><td class=n>{_n(r['deadline_misses'])}</td>"
            f"<td class=n>{_n(r['harm_items'])}</td><td class=n>{_n(r['capacity_index'])}{flag}</td></tr>"
        )
    return (
        f"<p class=note>{escape(t('investment_note', lang))}</p><figure>{chart}</figure>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _accuracy(report: dict[str, Any], lang: str) -> str:
    rows = [r for r in report["accuracy"] if r["level"] in ("lang", "total")]
    if not rows:
        return f"<p class=note>{DASH}</p>"
    parts = [f"<p class=note>{escape(t('accuracy_note', lang))}</p>"]
    for metric in ("precision", "recall"):
        parts.append(f"<h3>{escape(t(metric, lang))}</h3>")
        parts.append("<figure>" + interval_chart(
            [(_label(r, lang), r[metric], r[f"{metric}_ci95"]) for r in rows]) + "</figure>")
    return "".join(parts)


def _santa_clara(report: dict[str, Any], lang: str) -> str:
    sc = report["santa_clara"]
    items: list[tuple[str, Any]] = [("content_actioned", sc["content_actioned"])]
    for group in ("detection_source", "decision_method", "accounts_actioned", "flags", "appeals"):
        for k, v in sc[group].items():
            items.append((f"{group}.{k}", _pct(v) if k.endswith("rate") else v))
    body = "".join(f"<tr><td>{escape(k)}</td><td class=n>{escape(_n(v) if not isinstance(v, str) else v)}</td></tr>"
                   for k, v in items)
    return f"<table><tbody>{body}</tbody></table>"


def render_html(report: dict[str, Any], lang: str = "en") -> str:
    lang = lang if lang in ("en", "fr", "ar") else "en"
    direction = "rtl" if lang in RTL else "ltr"
    p = report["privacy"]
    privacy_text = t("privacy_note", lang, threshold=p["threshold"])
    if p.get("epsilon") is not None:
        privacy_text += " " + t("noise_note", lang, epsilon=p["epsilon"])
    period = f"{report['period']['from'][:10]} – {report['period']['to'][:10]}"
    sections = [
        (t("key_figures", lang), _tiles(report, lang)),
        (t("by_threat", lang), _breakdown(report, "threat", "threat", lang)),
        (t("by_country", lang), _breakdown(report, "country", "country", lang)),
        (t("by_language", lang), _breakdown(report, "lang_variety", "lang", lang)),
        (t("investment", lang), _investment(report, lang)),
        (t("accuracy", lang), _accuracy(report, lang)),
        (t("santa_clara", lang), _santa_clara(report, lang)),
        (t("privacy", lang), f"<p>{escape(privacy_text)}</p>"),
    ]
    body = "".join(f"<section><h2>{escape(h)}</h2>{content}</section>" for h, content in sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(t('title', lang))} · {escape(report['service'])}</title><style>{CSS}</style></head>"
        f"<body><header><h1>{escape(t('title', lang))} · {escape(report['service'])}</h1>"
        f"<p class=meta>{escape(t('period', lang))}: <bdi>{escape(period)}</bdi> · {escape(t('scope', lang))}: "
        f"<bdi>{escape(report['scope'])}</bdi> · {escape(t('generated', lang))}: "
        f"<bdi>{escape(report['generated_at'])}</bdi></p></header>{body}</body></html>\n"
    )
