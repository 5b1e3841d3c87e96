"""Texts people read, rendered from the policy's notices in Arabic, French or English.

Three readers, three texts:
- the author gets a statement of reasons (what was done, why, how it was decided, how to appeal);
- the target gets a discreet notice with protective steps: it never names orientation or identity, because
  the phone it lands on may be seen by family, and it never says who or what was reported;
- the Transparency Database gets `decision_facts`, built only from policy templates.
Nothing here reads the content of an item, so nothing here can leak it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitr.policy.schema import AUTHOR_ACTIONS, LANGS, Policy

if TYPE_CHECKING:
    from sitr.policy.engine import Decision

_SEPARATOR = {"ar": "، ", "fr": ", ", "en": ", "}


def notice_lang(lang: str | None) -> str:
    """The notice language for an item language: Arabic for ar and Arabizi, else fr or en, else English."""
    if lang is None:
        return "en"
    if lang == "ar" or lang.startswith("ar-") or lang == "ar_Latn":
        return "ar"
    base = lang.split("-")[0].lower()
    return base if base in LANGS else "en"


def _text(policy: Policy, key: str, lang: str) -> str:
    texts = policy.notices.get(key, {})
    return texts.get(lang) or texts.get("en") or ""


def _fill(policy: Policy, key: str, lang: str, values: dict[str, str]) -> str:
    return _text(policy, key, lang).format_map(values).strip()


def _values(decision: Decision, policy: Policy, lang: str, actions: tuple[str, ...]) -> dict[str, str]:
    sep = _SEPARATOR.get(lang, ", ")
    threat = decision.primary_threat
    return {
        "threat": _text(policy, f"threat.{threat}", lang) if threat else "",
        "threats": sep.join(_text(policy, f"threat.{t}", lang) for t in decision.threats),
        "actions": sep.join(_text(policy, f"action.{a}", lang) for a in actions),
        "policy_version": decision.policy_version,
        "policy_name": policy.name,
    }


def statement_text(decision: Decision, policy: Policy, lang: str) -> str:
    """The statement of reasons for the author, in the author's language (DSA Art. 17(3) contents)."""
    lang = notice_lang(lang)
    author_actions = tuple(a for a in decision.actions if a in AUTHOR_ACTIONS)
    values = _values(decision, policy, lang, author_actions)
    if decision.outcome == "none" or decision.primary_threat is None:
        parts = [_fill(policy, "statement.none", lang, values)]
    elif decision.outcome == "review":
        parts = [_fill(policy, "statement.review", lang, values)]
        if author_actions:
            parts.append(_fill(policy, "statement.actions", lang, values))
    else:
        parts = [_fill(policy, f"statement.{decision.primary_threat}", lang, values)]
        if author_actions:
            parts.append(_fill(policy, "statement.actions", lang, values))
        how = "statement.automated" if decision.automated else "statement.reviewed"
        parts.append(_fill(policy, how, lang, values))
        parts.append(_fill(policy, "appeal", lang, values))
    parts.append(_fill(policy, "statement.version", lang, values))
    return "\n\n".join(p for p in parts if p)


def notice_text(decision: Decision, policy: Policy, lang: str) -> str:
    """The notice for the person targeted, with protective steps when the policy offers them.

    Whether to send it is the decision's `notify_target`; this only renders it. Raises ValueError for a
    decision about no threat, which has nothing to tell a target.
    """
    if decision.primary_threat is None:
        raise ValueError("a decision about no threat has no target notice")
    lang = notice_lang(lang)
    values = _values(decision, policy, lang, ())
    parts = [_fill(policy, f"target.{decision.primary_threat}", lang, values)]
    if decision.offer_protection:
        parts.append(_fill(policy, f"protect.{decision.primary_threat}", lang, values))
    parts.append(_fill(policy, "target.footer", lang, values))
    return "\n\n".join(p for p in parts if p)


def decision_facts(decision: Decision, policy: Policy, lang: str = "en") -> str:
    """`decision_facts` for the DSA statement: the policy's template filled with policy words only."""
    if decision.primary_threat is None:
        raise ValueError("a decision about no threat has no facts to state")
    lang = notice_lang(lang)
    # Only the measures the author may know of: a statement can be shown to the author.
    author_actions = tuple(a for a in decision.actions if a in AUTHOR_ACTIONS)
    values = _values(decision, policy, lang, author_actions)
    key = "facts.automated" if decision.automated else "facts.reviewed"
    return _fill(policy, key, lang, values)
