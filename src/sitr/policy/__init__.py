"""sitr.policy: the versioned moderation policy and the decisions it produces.

policy = load_policy()                 # $SITR_POLICY or the shipped default.yaml
decision = decide(assessment, policy)  # pure: same scores, same decision, in every language
statement_text(decision, policy, "ar") # the author's statement of reasons
notice_text(decision, policy, "fr")    # the target's notice with protective steps
"""

from sitr.policy.engine import (
    Decision,
    PolicyError,
    account_action,
    check_command,
    decide,
    decision_facts,
    default_policy_path,
    load_policy,
    notice_lang,
    notice_text,
    policy_check,
    ruling,
    statement_text,
)
from sitr.policy.schema import ACTIONS, LANGS, AccountRule, Policy, ThreatRule

__all__ = [
    "ACTIONS",
    "LANGS",
    "AccountRule",
    "Decision",
    "Policy",
    "PolicyError",
    "ThreatRule",
    "account_action",
    "check_command",
    "decide",
    "decision_facts",
    "default_policy_path",
    "load_policy",
    "notice_lang",
    "notice_text",
    "policy_check",
    "ruling",
    "statement_text",
]
