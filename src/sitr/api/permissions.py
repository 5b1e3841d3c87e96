"""Who may call what: one table, read by every route, walked by the role-by-endpoint test.

Least privilege: integrations (a platform's key) submit and query their own items; reviewers work cases;
partners escalate and follow their own escalations; auditors read aggregates only; admins manage accounts,
statements and the audit, but do not review content.
"""

from __future__ import annotations

from typing import Final

ROUTE_ROLES: Final[dict[str, frozenset[str]]] = {
    "items.create": frozenset({"integration"}),
    "items.read": frozenset({"integration"}),
    "flags.create": frozenset({"integration"}),
    "appeals.create": frozenset({"integration"}),
    "statements.read": frozenset({"integration", "admin"}),
    "statements.export": frozenset({"integration", "admin"}),
    "queue.read": frozenset({"reviewer"}),
    "queue.next": frozenset({"reviewer"}),
    "cases.read": frozenset({"reviewer"}),
    "cases.claim": frozenset({"reviewer"}),
    "cases.reveal": frozenset({"reviewer"}),
    "cases.decide": frozenset({"reviewer"}),
    "escalations.create": frozenset({"partner"}),
    "escalations.read": frozenset({"partner", "admin"}),
    "stats.read": frozenset({"auditor", "admin"}),
    "audit.verify": frozenset({"auditor", "admin"}),
    "admin.users": frozenset({"admin"}),
    "admin.keys": frozenset({"admin"}),
    "whoami": frozenset({"admin", "reviewer", "partner", "auditor", "integration"}),
}
