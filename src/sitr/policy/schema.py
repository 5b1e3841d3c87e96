"""The moderation policy as data: Pydantic models that refuse anything they do not know.

A policy is a reviewed, versioned document, so the models are strict (`extra="forbid"`, frozen) and every
rule that can be checked before run time is checked here: thresholds, actions, DSA vocabulary, and that every
text a person will read exists in Arabic, French and English with only the placeholders sitr can fill.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sitr.report.dsa import KEYWORDS, STATEMENT_CATEGORIES, personal_data_kinds
from sitr.types import THREATS

LANGS: tuple[str, ...] = ("ar", "fr", "en")
"""Every user-facing text must exist in these languages."""

Action = Literal[
    "remove",
    "restrict_visibility",
    "label",
    "suspend_account",
    "restrict_account",
    "warn_account",
    "queue_review",
    "notify_target",
    "offer_protection",
]
ACTIONS: tuple[str, ...] = (
    "remove",
    "restrict_visibility",
    "label",
    "suspend_account",
    "restrict_account",
    "warn_account",
    "queue_review",
    "notify_target",
    "offer_protection",
)
"""Canonical order: a Decision lists its actions in this order, whatever order the policy wrote them in."""

AUTHOR_ACTIONS: tuple[str, ...] = (
    "remove",
    "restrict_visibility",
    "label",
    "suspend_account",
    "restrict_account",
    "warn_account",
    "queue_review",
)
"""Actions an author is told about; telling them the target was notified could invite retaliation."""

AccountAction = Literal["warn_account", "restrict_account", "suspend_account"]
Ground = Literal["illegal_content", "incompatible_content"]

PLACEHOLDERS: frozenset[str] = frozenset({"threat", "threats", "actions", "policy_version", "policy_name"})
"""What a notice may contain in braces. All are filled from the policy and decision, never from content."""

# Notice keys: fixed ones, and one per threat or per action.
NOTICE_KEYS_FIXED: tuple[str, ...] = (
    "statement.review",
    "statement.none",
    "statement.actions",
    "statement.automated",
    "statement.reviewed",
    "statement.version",
    "appeal",
    "target.footer",
    "facts.automated",
    "facts.reviewed",
)
NOTICE_PREFIXES_THREAT: tuple[str, ...] = ("threat", "statement", "target", "protect")
NOTICE_PREFIX_ACTION = "action"
# Keys whose text goes into DSA statements or logs: no personal-data-like strings allowed in them.
NOTICE_KEYS_PUBLIC: tuple[str, ...] = ("facts.automated", "facts.reviewed")

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThreatRule(_Strict):
    """What the policy does about one threat."""

    auto_action_at: Probability
    review_at: Probability
    actions_auto: list[Action] = Field(min_length=1)
    actions_review: list[Action] = Field(min_length=1)
    severity: int = Field(ge=1, le=5)
    review_deadline_minutes: int = Field(gt=0, le=60 * 24 * 30)
    dsa_category: str
    dsa_keywords: list[str] = Field(default_factory=list)
    dsa_category_specification: str = Field(min_length=1, max_length=500, pattern=r"^[a-z0-9_\-]+$")
    notify_target: bool
    offer_protection: bool
    ground: Ground = "incompatible_content"
    ground_reference: str = Field(min_length=1, max_length=500)
    ground_explanation: str = Field(min_length=1, max_length=2000)

    @field_validator("dsa_category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in STATEMENT_CATEGORIES:
            raise ValueError("not a DSA Transparency Database category (STATEMENT_CATEGORY_...)")
        return value

    @field_validator("dsa_keywords")
    @classmethod
    def _known_keywords(cls, value: list[str]) -> list[str]:
        unknown = [k for k in value if k not in KEYWORDS]
        if unknown:
            raise ValueError(f"not DSA keywords: {', '.join(unknown)}")
        if len(set(value)) != len(value):
            raise ValueError("keywords repeat")
        return value

    @field_validator("ground_reference", "ground_explanation")
    @classmethod
    def _no_personal_data(cls, value: str) -> str:
        kinds = personal_data_kinds(value)
        if kinds:
            raise ValueError(f"goes into public DSA statements but looks like it contains {', '.join(kinds)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ThreatRule:
        if self.review_at <= 0.0:
            raise ValueError("review_at must be above 0, or every item would be queued for review")
        if self.auto_action_at < self.review_at:
            raise ValueError(
                f"auto_action_at ({self.auto_action_at}) is below review_at ({self.review_at}): "
                "content would be actioned automatically at scores too weak to even review"
            )
        if "queue_review" not in self.actions_review:
            raise ValueError("actions_review must include queue_review, or flagged content is never reviewed")
        for flag in ("notify_target", "offer_protection"):
            if flag in self.actions_auto and not getattr(self, flag):
                raise ValueError(f"actions_auto lists {flag} but {flag} is false")
        return self


class AccountRule(_Strict):
    """One step of the repeat-offender ladder: `action` once an author has `after` actioned items in a window."""

    after: int = Field(ge=1)
    within_days: int = Field(ge=1, le=3650)
    action: AccountAction
    duration_days: int | None = Field(default=None, ge=1)


class Policy(_Strict):
    """A complete, versioned moderation policy."""

    version: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
    name: str = Field(min_length=1, max_length=200)
    effective_from: date
    terms_url: str | None = Field(default=None, pattern=r"^https://\S+$")
    threats: dict[str, ThreatRule]
    notices: dict[str, dict[str, str]]
    account_actions: list[AccountRule] = Field(default_factory=list)
    small_count_threshold: int = Field(default=10, ge=1)

    @field_validator("threats")
    @classmethod
    def _all_threats(cls, value: dict[str, ThreatRule]) -> dict[str, ThreatRule]:
        missing = [t for t in THREATS if t not in value]
        unknown = [t for t in value if t not in THREATS]
        problems = []
        if missing:
            problems.append(f"missing threats: {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown threats: {', '.join(unknown)} (expected {', '.join(THREATS)})")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("account_actions")
    @classmethod
    def _ladder(cls, value: list[AccountRule]) -> list[AccountRule]:
        steps = [(r.after, r.within_days) for r in value]
        if len(set(steps)) != len(steps):
            raise ValueError("two steps share the same count and window")
        return value

    def rule(self, threat: str) -> ThreatRule:
        return self.threats[threat]


def required_notice_keys(policy: Policy) -> list[str]:
    """Every notice key the engine may look up for this policy."""
    keys = list(NOTICE_KEYS_FIXED)
    keys += [f"{prefix}.{t}" for prefix in NOTICE_PREFIXES_THREAT for t in THREATS]
    used: set[str] = set()
    for rule in policy.threats.values():
        used.update(rule.actions_auto, rule.actions_review)
        if rule.notify_target:
            used.add("notify_target")
        if rule.offer_protection:
            used.add("offer_protection")
    used.update(step.action for step in policy.account_actions)
    keys += [f"{NOTICE_PREFIX_ACTION}.{a}" for a in ACTIONS if a in used]
    return keys


def _known_notice_key(key: str) -> bool:
    if key in NOTICE_KEYS_FIXED:
        return True
    prefix, _, rest = key.partition(".")
    if prefix in NOTICE_PREFIXES_THREAT and rest in THREATS:
        return True
    return prefix == NOTICE_PREFIX_ACTION and rest in ACTIONS


def placeholders(template: str) -> list[str]:
    """The `{names}` a template uses; raises ValueError on unbalanced braces."""
    names = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is not None:
            if spec or conversion:
                raise ValueError("format specs and conversions are not allowed")
            names.append(field)
    return names


def policy_problems(policy: Policy) -> list[tuple[tuple[str, ...], str]]:
    """Cross-field problems the models cannot see alone, each with the path of the offending value."""
    problems: list[tuple[tuple[str, ...], str]] = []
    for key in required_notice_keys(policy):
        texts = policy.notices.get(key)
        if texts is None:
            problems.append((("notices",), f"missing notice '{key}' (needs {', '.join(LANGS)})"))
            continue
        for lang in LANGS:
            if not texts.get(lang, "").strip():
                problems.append((("notices", key), f"missing '{lang}' translation"))
    for key, texts in policy.notices.items():
        if not _known_notice_key(key):
            problems.append((("notices", key), "unknown notice key (typo?)"))
            continue
        for lang, text in texts.items():
            path = ("notices", key, lang)
            try:
                names = placeholders(text)
            except ValueError as exc:
                problems.append((path, f"bad template: {exc}"))
                continue
            unknown = sorted(set(names) - PLACEHOLDERS)
            if unknown:
                problems.append((path, f"unknown placeholders {unknown}; allowed: {sorted(PLACEHOLDERS)}"))
            if key in NOTICE_KEYS_PUBLIC:
                for kind in personal_data_kinds(text):
                    problems.append((path, f"goes into public DSA statements but looks like it contains {kind}"))
    return problems
