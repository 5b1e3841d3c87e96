"""The one place the service touches the policy engine: decisions in and out of storage, reviewer rulings.

A stored decision is the engine's `Decision.to_dict()`; `Decision.from_dict` turns it back, so statements of
reasons and notices are always rendered by the policy code, never re-implemented here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitr.policy.engine import Decision, decide, ruling
from sitr.policy.engine import load_policy as _load_policy
from sitr.policy.notices import decision_facts, notice_lang, notice_text, statement_text
from sitr.policy.schema import ACTIONS

__all__ = [
    "ACTIONS",
    "RESTRICTING_ACTIONS",
    "Decision",
    "decide",
    "decision_dict",
    "decision_facts",
    "decision_from_dict",
    "load_policy",
    "notice_lang",
    "notice_text",
    "restricts",
    "reviewer_decision",
    "statement_text",
]

RESTRICTING_ACTIONS: frozenset[str] = frozenset(
    {"remove", "restrict_visibility", "label", "suspend_account", "restrict_account", "warn_account"}
)


def load_policy(path: str | Path | None = None) -> Any:
    return _load_policy(path)


_DECISION_FIELDS: tuple[str, ...] = tuple(Decision.__dataclass_fields__)


def decision_dict(decision: Decision) -> dict[str, Any]:
    """`Decision.to_dict()` without `asdict`'s deep copies (it runs once per ingested item)."""
    out: dict[str, Any] = {}
    for name in _DECISION_FIELDS:
        value = getattr(decision, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def decision_from_dict(data: dict[str, Any]) -> Decision:
    return Decision.from_dict(data)


def restricts(decision: Decision) -> bool:
    """Whether the decision restricts something, i.e. whether a DSA statement of reasons is due."""
    return any(a in RESTRICTING_ACTIONS for a in decision.actions)


def reviewer_decision(policy: Any, *, threat: str | None, actions: tuple[str, ...] | None) -> Decision:
    """A reviewer's ruling: `threat` confirmed (None: no violation) with `actions` (None: the rule's)."""
    return ruling(policy, threat, actions)
