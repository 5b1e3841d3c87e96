"""The EU DSA harmonised transparency report (Implementing Regulation (EU) 2024/2835, Annex I) as CSV.

One figure per line in the template's long layout: `Applicability, Service, Reporting period, Section,
Indicator, Scope, Value, Contextual Information`. Sections: notices (Art. 15(1)(b)), own-initiative moderation
(Art. 15(1)(c)), the internal complaints mechanism (Art. 15(1)(d), 24(1)), automated means and their accuracy
(Art. 15(1)(e), 42(2)(c)) and human resources (Art. 42(2)(a)-(b)). The official template spreads notices and
own-initiative moderation over wide sheets; here their column headings are the Indicator and the DSA category
(with sitr's finer threat) is the Scope. Suppressed figures have an empty Value and say why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sitr.report.dsa import STATEMENT_CATEGORIES
from sitr.types import THREATS

COLUMNS: tuple[str, ...] = (
    "Applicability",
    "Service",
    "Reporting period",
    "Section",
    "Indicator",
    "Scope",
    "Value",
    "Contextual Information",
)
APPLY_HOSTING = "Only for providers of hosting services, including online platforms"
APPLY_ALL = "All providers of intermediary services"
APPLY_PLATFORMS = "Only for providers of online platforms"
APPLY_VLOP = "Only for providers of very large online platforms and very large online search engines"

SECTION_NOTICES = "Notices submitted in accordance with Article 16"
SECTION_OWN = "Own-initiative content moderation"
SECTION_COMPLAINTS = "Internal complaints mechanism"
SECTION_AUTOMATED = "Use of automated means for content moderation"
SECTION_HR = "Human resources dedicated to content moderation"

# The default policy's DSA categories (sitr/policy/default.yaml); pass the policy's own to `dsa_csv`.
DEFAULT_CATEGORIES: dict[str, str] = {
    "harassment": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "outing": "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "doxxing": "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "extortion": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "entrapment": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
}
RESTRICTIONS: dict[str, str] = {
    "remove": "Number of measures: removal of content",
    "restrict_visibility": "Number of measures: visibility restricted (demoted)",
    "label": "Number of measures: content labelled",
    "warn_account": "Number of measures: account warned",
    "restrict_account": "Number of measures: account restricted (partial suspension)",
    "suspend_account": "Number of measures: account suspended",
}


def categories_from_policy(policy: Any) -> dict[str, str]:
    return {t: policy.threats[t].dsa_category for t in THREATS if t in policy.threats}


def reporting_period(start: date, end_exclusive: date) -> str:
    """`YYYY-MM-DD/YYYY-MM-DD`, both days included, as the template writes periods."""
    return f"{start.isoformat()}/{(end_exclusive - timedelta(days=1)).isoformat()}"


def _value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def dsa_csv(
    report: dict[str, Any], *, service: str | None = None, categories: Mapping[str, str] | None = None
) -> str:
    cats = dict(categories or DEFAULT_CATEGORIES)
    unknown = sorted(v for v in cats.values() if v not in STATEMENT_CATEGORIES)
    if unknown:
        raise ValueError(f"not DSA statement categories: {', '.join(unknown)}")
    start = datetime.fromisoformat(report["period"]["from"]).date()
    end = datetime.fromisoformat(report["period"]["to"]).date()
    period = reporting_period(start, end)
    svc = service or report["service"]
    threshold = report["privacy"]["threshold"]
    suppressed_note = (
        f"not shown: no cases, fewer than {threshold}, or hidden so that a small count cannot be derived"
    )
    noise = report["privacy"].get("epsilon")
    noise_note = f"; Laplace noise, epsilon {noise} per count" if noise is not None else ""
    rows: list[tuple[str, ...]] = []

    def add(applicability: str, section: str, indicator: str, scope: str, value: Any, context: str = "") -> None:
        note = context
        if value is None:
            note = f"{suppressed_note}; {context}" if context else suppressed_note
        elif noise_note and isinstance(value, int):
            note = (context + noise_note).lstrip("; ")
        rows.append((applicability, svc, period, section, indicator, scope, _value(value), note))

    total = report["totals"]
    by_threat = {r["threat"]: r for r in report["rows"] if r["level"] == "threat"}
    scoped = [(t, f"{cats.get(t, 'STATEMENT_CATEGORY_OTHER')} / {t}") for t in THREATS if t in by_threat]

    def hours(seconds: float | None) -> float | None:
        return round(seconds / 3600, 2) if seconds is not None else None

    # Notices (user flags) and trusted partners' escalations.
    for t, scope in [*scoped, (None, "Total number")]:
        r = total if t is None else by_threat[t]
        c, tm = r["counts"], r["timing"]
        add(APPLY_HOSTING, SECTION_NOTICES, "Number of notices received", scope, c["flags_received"],
            "user flags; a flag's reason names the threat")
        add(APPLY_HOSTING, SECTION_NOTICES, "Number of notices received from Trusted flaggers", scope,
            c["escalations_received"], "escalations by civil-society partners sitr trusts (not necessarily "
            "designated under Article 22)")
        add(APPLY_HOSTING, SECTION_NOTICES, "Median time to take action", scope,
            hours(tm["flag_to_action"]["median_seconds"]), "hours from the first flag to the action")
        add(APPLY_HOSTING, SECTION_NOTICES, "Median time to take action (Trusted Flagger notices)", scope,
            hours(tm["escalation_response"]["median_seconds"]), "hours from escalation to the reviewer's decision")
        add(APPLY_HOSTING, SECTION_NOTICES,
            "Number of actions taken on the basis of the terms and conditions of the service", scope,
            c["actioned_flagged"], "items actioned after a user flag")
        add(APPLY_HOSTING, SECTION_NOTICES,
            "Number of actions taken on the basis of the terms and conditions of the service "
            "(Trusted Flagger notices)", scope, c["actioned_escalated"], "items actioned after an escalation")

    # Own-initiative moderation.
    for t, scope in [*scoped, (None, "Total number")]:
        r = total if t is None else by_threat[t]
        c = r["counts"]
        add(APPLY_ALL, SECTION_OWN, "Number of items actioned at the provider's own initiative", scope,
            c["actioned_proactive"], "detected by sitr before any flag or escalation")
        add(APPLY_ALL, SECTION_OWN, "Number of items actioned by automated means", scope, c["actioned_automated"])
        for action, label in RESTRICTIONS.items():
            add(APPLY_ALL, SECTION_OWN, label, scope, c[f"action_{action}"], "all actioned items, any source")

    # Internal complaints (appeals).
    complaint = "Complaint regarding a decision to remove or disable access to or restrict visibility of information"
    c = total["counts"]
    add(APPLY_PLATFORMS, SECTION_COMPLAINTS, complaint, "Total number", c["appeals_received"],
        "all appeals (authors, reporters and targets), not split by decision type")
    add(APPLY_PLATFORMS, SECTION_COMPLAINTS, complaint, "Decisions upheld", c["appeals_upheld"])
    add(APPLY_PLATFORMS, SECTION_COMPLAINTS, complaint, "Decisions reversed", c["appeals_reversed"])
    add(APPLY_PLATFORMS, SECTION_COMPLAINTS, complaint, "Median time",
        hours(total["timing"]["appeal_decision"]["median_seconds"]), "hours from appeal to decision")

    # Automated means and their accuracy.
    add(APPLY_PLATFORMS, SECTION_AUTOMATED, "Number of measures solely taken by automated means", "Total number",
        c["actioned_automated"])
    add(APPLY_PLATFORMS, SECTION_AUTOMATED, "Number of measures not taken by automated means", "Total number",
        c["actioned_human"])
    for a in report["accuracy"]:
        if a["level"] == "lang_variety":
            continue
        scope = a["lang"] or "Total number"
        for metric, label in (("precision", "Precision"), ("recall", "Recall")):
            ci = a[f"{metric}_ci95"]
            context = (
                f"estimated on cases people reviewed; 95% Wilson interval {ci[0]}-{ci[1]}" if ci else
                "estimated on cases people reviewed"
            )
            add(APPLY_PLATFORMS, SECTION_AUTOMATED, f"Accuracy of the automated means - {label}", scope,
                a[metric], context)

    # Human resources, per language.
    for lg in report["languages"]:
        if lg["level"] == "lang_variety":
            continue
        scope = lg["lang"] or "Total number"
        add(APPLY_VLOP, SECTION_HR, "Number of total moderators with sufficient linguistic expertise", scope,
            lg["reviewers"], "reviewers who decided at least one case in this language in the period")
        add(APPLY_VLOP, SECTION_HR, "Reviewer-hours (sitr indicator)", scope, lg["shift_hours"],
            "shift hours inferred from review events")

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buf.getvalue()
