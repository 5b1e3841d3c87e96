"""sitr.report: figures and exports computed from decisions and the event log.

`sitr.report.dsa` turns decisions into EU DSA statements of reasons (Transparency Database API v2).
"""

from sitr.report.dsa import RESTRICTING_ACTIONS, StatementError, restricts, statement_of_reasons, validate_statement

__all__ = ["RESTRICTING_ACTIONS", "StatementError", "restricts", "statement_of_reasons", "validate_statement"]
