"""EU DSA statements of reasons (Art. 17, Art. 24(5)) in the Transparency Database API v2 schema.

A statement is built from a `Decision` and a few facts the service knows (ids, dates, source). Nothing in it
comes from the content itself: the free-text fields are policy text, and they are scanned for anything that
looks like personal data before the statement is returned, because Art. 24(5) forbids personal data in it.

Vocabulary: the DSA Transparency Database API v2 documentation and its source
(github.com/digital-services-act/transparency-database, resources/markdown/api-documentation-two.md and
app/Models/Statement.php); see docs/policy.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitr.policy.engine import Decision

# --- Transparency Database vocabulary (API v2, in force since 1 July 2025) ---------------------------------

DECISION_VISIBILITIES: tuple[str, ...] = (
    "DECISION_VISIBILITY_CONTENT_REMOVED",
    "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER",
)
DECISION_ACCOUNTS: tuple[str, ...] = ("DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED")
DECISION_PROVISIONS: tuple[str, ...] = (
    "DECISION_PROVISION_PARTIAL_SUSPENSION",
    "DECISION_PROVISION_TOTAL_SUSPENSION",
    "DECISION_PROVISION_PARTIAL_TERMINATION",
    "DECISION_PROVISION_TOTAL_TERMINATION",
)
DECISION_GROUNDS: tuple[str, ...] = ("DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT")
CONTENT_TYPES: tuple[str, ...] = (
    "CONTENT_TYPE_APP",
    "CONTENT_TYPE_AUDIO",
    "CONTENT_TYPE_IMAGE",
    "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA",
    "CONTENT_TYPE_TEXT",
    "CONTENT_TYPE_VIDEO",
    "CONTENT_TYPE_OTHER",
)
SOURCE_TYPES: tuple[str, ...] = (
    "SOURCE_ARTICLE_16",
    "SOURCE_TRUSTED_FLAGGER",
    "SOURCE_TYPE_OTHER_NOTIFICATION",
    "SOURCE_VOLUNTARY",
)
AUTOMATED_DECISIONS: tuple[str, ...] = (
    "AUTOMATED_DECISION_FULLY",
    "AUTOMATED_DECISION_PARTIALLY",
    "AUTOMATED_DECISION_NOT_AUTOMATED",
)
STATEMENT_CATEGORIES: tuple[str, ...] = (
    "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
    "STATEMENT_CATEGORY_VIOLENCE",
)
KEYWORDS: tuple[str, ...] = (
    "KEYWORD_ANIMAL_HARM",
    "KEYWORD_ADULT_SEXUAL_MATERIAL",
    "KEYWORD_AGE_SPECIFIC_RESTRICTIONS",
    "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS",
    "KEYWORD_BIOMETRIC_DATA_BREACH",
    "KEYWORD_BULLYING_AGAINST_GIRLS",
    "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
    "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE",
    "KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS",
    "KEYWORD_COORDINATED_HARM",
    "KEYWORD_COPYRIGHT_INFRINGEMENT",
    "KEYWORD_CYBER_BULLYING_INTIMIDATION",
    "KEYWORD_CYBER_HARASSMENT",
    "KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN",
    "KEYWORD_CYBER_INCITEMENT",
    "KEYWORD_CYBER_STALKING",
    "KEYWORD_CYBER_STALKING_AGAINST_WOMEN",
    "KEYWORD_DATA_FALSIFICATION",
    "KEYWORD_DEFAMATION",
    "KEYWORD_DESIGN_INFRINGEMENT",
    "KEYWORD_DISCRIMINATION",
    "KEYWORD_MISINFORMATION_DISINFORMATION",
    "KEYWORD_FEMALE_GENDERED_DISINFORMATION",
    "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
    "KEYWORD_GEOGRAPHICAL_REQUIREMENTS",
    "KEYWORD_GOODS_SERVICES_NOT_PERMITTED",
    "KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS",
    "KEYWORD_HATE_SPEECH",
    "KEYWORD_HIDDEN_ADVERTISEMENT",
    "KEYWORD_HUMAN_EXPLOITATION",
    "KEYWORD_HUMAN_TRAFFICKING",
    "KEYWORD_ILLEGAL_ORGANIZATIONS",
    "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING",
    "KEYWORD_INAUTHENTIC_ACCOUNTS",
    "KEYWORD_INAUTHENTIC_LISTINGS",
    "KEYWORD_INAUTHENTIC_USER_REVIEWS",
    "KEYWORD_INCITEMENT_AGAINST_WOMEN",
    "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
    "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS",
    "KEYWORD_LANGUAGE_REQUIREMENTS",
    "KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS",
    "KEYWORD_MISLEADING_INFO_GOODS_SERVICES",
    "KEYWORD_MISSING_PROCESSING_GROUND",
    "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING",
    "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
    "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE",
    "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN",
    "KEYWORD_NONCOMPLIANCE_PRICING",
    "KEYWORD_NUDITY",
    "KEYWORD_PATENT_INFRINGEMENT",
    "KEYWORD_PHISHING",
    "KEYWORD_PROHIBITED_PRODUCTS",
    "KEYWORD_PYRAMID_SCHEMES",
    "KEYWORD_RIGHT_TO_BE_FORGOTTEN",
    "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE",
    "KEYWORD_RISK_PUBLIC_HEALTH",
    "KEYWORD_SELF_MUTILATION",
    "KEYWORD_STALKING",
    "KEYWORD_SUICIDE",
    "KEYWORD_TERRORIST_CONTENT",
    "KEYWORD_TRADE_SECRET_INFRINGEMENT",
    "KEYWORD_TRADEMARK_INFRINGEMENT",
    "KEYWORD_TRAFFICKING_WOMEN_GIRLS",
    "KEYWORD_UNLAWFUL_SALE_ANIMALS",
    "KEYWORD_UNSAFE_CHALLENGES",
    "KEYWORD_UNSAFE_PRODUCTS",
    "KEYWORD_VIOLATION_EU_LAW",
    "KEYWORD_VIOLATION_NATIONAL_LAW",
    "KEYWORD_OTHER",
)
EU_COUNTRIES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip
EEA_COUNTRIES: tuple[str, ...] = (*EU_COUNTRIES, "IS", "LI", "NO")

# Limits of the free-text fields (characters), from the API documentation.
MAX_PUID = 500
MAX_DECISION_FACTS = 5000
MAX_GROUND = 500
MAX_EXPLANATION = 2000
MAX_SPECIFICATION_OTHER = 500
MIN_APPLICATION_DATE = date(2020, 1, 1)
MIN_CONTENT_DATE = date(2000, 1, 1)

# --- sitr words -> Transparency Database words ----------------------------------------------------------------

VISIBILITY_OF_ACTION: Mapping[str, str] = {
    "remove": "DECISION_VISIBILITY_CONTENT_REMOVED",
    "restrict_visibility": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "label": "DECISION_VISIBILITY_CONTENT_LABELLED",
}
ACCOUNT_OF_ACTION: Mapping[str, str] = {"suspend_account": "DECISION_ACCOUNT_SUSPENDED"}
# Restricting some features of an account is a partial suspension of the service to that recipient.
PROVISION_OF_ACTION: Mapping[str, str] = {"restrict_account": "DECISION_PROVISION_PARTIAL_SUSPENSION"}

RESTRICTING_ACTIONS: frozenset[str] = frozenset({*VISIBILITY_OF_ACTION, *ACCOUNT_OF_ACTION, *PROVISION_OF_ACTION})
"""Actions that are restrictions under DSA Art. 17(1). A warning is not one, so it needs no statement."""

CONTENT_TYPE_ALIASES: Mapping[str, str] = {
    "text": "CONTENT_TYPE_TEXT",
    "image": "CONTENT_TYPE_IMAGE",
    "video": "CONTENT_TYPE_VIDEO",
    "audio": "CONTENT_TYPE_AUDIO",
    "synthetic_media": "CONTENT_TYPE_SYNTHETIC_MEDIA",
    "other": "CONTENT_TYPE_OTHER",
}
SOURCE_TYPE_ALIASES: Mapping[str, str] = {
    "voluntary": "SOURCE_VOLUNTARY",
    "article_16": "SOURCE_ARTICLE_16",
    "notice": "SOURCE_ARTICLE_16",
    "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
    "other_notification": "SOURCE_TYPE_OTHER_NOTIFICATION",
}
# sitr language codes (sitr.text.langid) -> ISO 639-1. "mixed" has no single code and is left out.
LANGUAGE_OF_SITR: Mapping[str, str] = {"ar": "AR", "ar-Latn": "AR", "fr": "FR", "en": "EN"}

_PUID_RE = re.compile(r"^[A-Za-z0-9_-]{1,500}$")
_ISO_DATE_RE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
_DIGIT = r"[0-9\u0660-\u0669\u06F0-\u06F9]"
# What personal data in a free-text field usually looks like: a phone or ID number (6+ digits, any script,
# maybe split by spaces, dots or dashes), an e-mail address, a link, an @handle.
_PERSONAL_DATA_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a phone or ID number", re.compile(rf"\+?{_DIGIT}(?:[\s.\-/()]{{0,2}}{_DIGIT}){{5,}}")),
    ("an e-mail address", re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")),
    ("a link", re.compile(r"(?i)\b(?:https?://|www\.)\S+")),
    ("a user handle", re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,}")),
)


class StatementError(ValueError):
    """A statement of reasons that cannot be built; the message names the field, never its content."""


def personal_data_kinds(text: str, known: Sequence[str] = ()) -> list[str]:
    """The kinds of personal-data-like strings found in `text` (empty when it looks clean).

    ISO dates and the `known` non-personal strings (a policy version such as 2025.07.1) are not phone
    numbers, so they are blanked first.
    """
    for value in known:
        if value:
            text = text.replace(value, " ")
    text = _ISO_DATE_RE.sub(" ", text)
    return [kind for kind, pattern in _PERSONAL_DATA_PATTERNS if pattern.search(text)]


def restricts(decision: Decision) -> bool:
    """Whether a statement of reasons is due for `decision` (it restricts content or an account)."""
    return any(a in RESTRICTING_ACTIONS for a in decision.actions)


def automated_decision_value(automated: bool, automated_detection: bool) -> str:
    """Fully automated when no human decided; partially when a human decided on machine-found evidence."""
    if automated:
        return "AUTOMATED_DECISION_FULLY"
    return "AUTOMATED_DECISION_PARTIALLY" if automated_detection else "AUTOMATED_DECISION_NOT_AUTOMATED"


def statement_of_reasons(
    decision: Decision,
    *,
    puid: str,
    content_type: str | Sequence[str],
    content_language: str | None,
    territorial_scope: list[str] | None,
    application_date: datetime,
    content_date: datetime | None,
    source_type: str,
    automated_detection: bool,
    decision_facts: str,
) -> dict[str, Any]:
    """One statement of reasons, ready to POST to the Transparency Database (`/api/v2/statement`).

    `territorial_scope` None means the whole EEA (a worldwide restriction). `content_date` None leaves the
    field out (the database requires it: `validate_statement` reports it). `decision_facts` must come from
    the policy's template (`sitr.policy.decision_facts`); it is refused if it looks like it carries personal
    data. Raises StatementError when the decision restricts nothing or an input is outside the schema.
    """
    if not restricts(decision):
        raise StatementError("the decision imposes no restriction, so no statement of reasons is due")
    visibility = [VISIBILITY_OF_ACTION[a] for a in decision.actions if a in VISIBILITY_OF_ACTION]
    account = [ACCOUNT_OF_ACTION[a] for a in decision.actions if a in ACCOUNT_OF_ACTION]
    provision = [PROVISION_OF_ACTION[a] for a in decision.actions if a in PROVISION_OF_ACTION]
    if decision.dsa_category is None:
        raise StatementError("the decision has no DSA category")

    statement: dict[str, Any] = {}
    if visibility:
        statement["decision_visibility"] = visibility
    if account:
        statement["decision_account"] = account[0]
    if provision:
        statement["decision_provision"] = provision[0]

    reference = _checked_text(decision.ground_reference or "", "ground reference", MAX_GROUND)
    explanation = _checked_text(decision.ground_explanation or "", "ground explanation", MAX_EXPLANATION)
    if decision.ground == "illegal_content":
        statement["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"
        statement["illegal_content_legal_ground"] = reference
        statement["illegal_content_explanation"] = explanation
    else:
        statement["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        statement["incompatible_content_ground"] = reference
        statement["incompatible_content_explanation"] = explanation
    if decision.ground_reference_url:
        statement["decision_ground_reference_url"] = decision.ground_reference_url

    statement["category"] = decision.dsa_category
    additions = [c for c in decision.dsa_category_addition if c != decision.dsa_category]
    if additions:
        statement["category_addition"] = additions
    if decision.dsa_keywords:
        statement["category_specification"] = list(decision.dsa_keywords)
        if "KEYWORD_OTHER" in decision.dsa_keywords and decision.category_specification:
            statement["category_specification_other"] = _checked_text(
                decision.category_specification, "category specification", MAX_SPECIFICATION_OTHER
            )

    statement["content_type"] = _content_types(content_type)
    language = _language(content_language)
    if language is not None:
        statement["content_language"] = language
    statement["territorial_scope"] = _territorial_scope(territorial_scope)
    if content_date is not None:
        statement["content_date"] = _day(content_date, MIN_CONTENT_DATE, "content_date")
    statement["application_date"] = _day(application_date, MIN_APPLICATION_DATE, "application_date")
    statement["decision_facts"] = _checked_text(
        decision_facts, "decision_facts", MAX_DECISION_FACTS, known=(decision.policy_version,)
    )
    statement["source_type"] = _source_type(source_type)
    statement["automated_detection"] = "Yes" if automated_detection else "No"
    statement["automated_decision"] = automated_decision_value(decision.automated, automated_detection)
    if not isinstance(puid, str) or not _PUID_RE.match(puid):
        raise StatementError("puid must be 1-500 characters of a-z, A-Z, 0-9, '-' and '_'")
    statement["puid"] = puid
    return statement


def validate_statement(statement: Mapping[str, Any], known: Sequence[str] = ()) -> list[str]:
    """Problems that would make the Transparency Database refuse `statement` ([] when it would accept it),
    and free text that looks like personal data; `known` lists non-personal strings (the policy version)."""
    problems: list[str] = []
    if not any(
        k in statement for k in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")
    ):
        problems.append("no restriction: one of decision_visibility/monetary/provision/account is required")
    for key in (
        "decision_ground",
        "category",
        "content_type",
        "territorial_scope",
        "content_date",
        "application_date",
        "decision_facts",
        "source_type",
        "automated_detection",
        "automated_decision",
        "puid",
    ):
        if statement.get(key) in (None, "", []):
            problems.append(f"{key} is required")
    enums: dict[str, tuple[str, ...]] = {
        "decision_account": DECISION_ACCOUNTS,
        "decision_provision": DECISION_PROVISIONS,
        "decision_ground": DECISION_GROUNDS,
        "category": STATEMENT_CATEGORIES,
        "source_type": SOURCE_TYPES,
        "automated_decision": AUTOMATED_DECISIONS,
    }
    for key, allowed in enums.items():
        if key in statement and statement[key] not in allowed:
            problems.append(f"{key} is not an allowed value")
    lists: dict[str, tuple[str, ...]] = {
        "decision_visibility": DECISION_VISIBILITIES,
        "content_type": CONTENT_TYPES,
        "category_addition": STATEMENT_CATEGORIES,
        "category_specification": KEYWORDS,
        "territorial_scope": EEA_COUNTRIES,
    }
    for key, allowed in lists.items():
        value = statement.get(key)
        if value is not None and (not isinstance(value, list) or any(v not in allowed for v in value)):
            problems.append(f"{key} must be a list of allowed values")
    if statement.get("automated_detection") not in (None, "Yes", "No"):
        problems.append("automated_detection must be Yes or No")
    ground = statement.get("decision_ground")
    needed = (
        ("illegal_content_legal_ground", "illegal_content_explanation")
        if ground == "DECISION_GROUND_ILLEGAL_CONTENT"
        else ("incompatible_content_ground", "incompatible_content_explanation")
    )
    for key in needed:
        if not statement.get(key):
            problems.append(f"{key} is required for this decision_ground")
    limits = {
        "decision_facts": MAX_DECISION_FACTS,
        "illegal_content_legal_ground": MAX_GROUND,
        "incompatible_content_ground": MAX_GROUND,
        "illegal_content_explanation": MAX_EXPLANATION,
        "incompatible_content_explanation": MAX_EXPLANATION,
        "category_specification_other": MAX_SPECIFICATION_OTHER,
    }
    for key, limit in limits.items():
        text = statement.get(key)
        if isinstance(text, str):
            if len(text) > limit:
                problems.append(f"{key} is longer than {limit} characters")
            for kind in personal_data_kinds(text, known):
                problems.append(f"{key} looks like it contains {kind}")
    puid = statement.get("puid")
    if puid is not None and not (isinstance(puid, str) and _PUID_RE.match(puid)):
        problems.append("puid must be 1-500 characters of a-z, A-Z, 0-9, '-' and '_'")
    return problems


def _checked_text(text: str, what: str, limit: int, known: Sequence[str] = ()) -> str:
    text = text.strip()
    if not text:
        raise StatementError(f"{what} is empty")
    if len(text) > limit:
        raise StatementError(f"{what} is longer than {limit} characters")
    kinds = personal_data_kinds(text, known)
    if kinds:
        raise StatementError(f"{what} looks like it contains {', '.join(kinds)}; statements must not")
    return text


def _content_types(value: str | Sequence[str]) -> list[str]:
    values = [value] if isinstance(value, str) else list(value)
    if not values:
        raise StatementError("content_type is empty")
    out: list[str] = []
    for v in values:
        code = CONTENT_TYPE_ALIASES.get(v, v)
        if code not in CONTENT_TYPES:
            raise StatementError(f"unknown content_type; expected one of {', '.join(CONTENT_TYPE_ALIASES)}")
        if code not in out:
            out.append(code)
    return out


def _language(value: str | None) -> str | None:
    if value is None or value == "mixed":
        return None
    if value in LANGUAGE_OF_SITR:
        return LANGUAGE_OF_SITR[value]
    if len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    raise StatementError("content_language must be a sitr language or an ISO 639-1 code")


def _territorial_scope(value: list[str] | None) -> list[str]:
    if value is None:
        return list(EEA_COUNTRIES)
    codes: list[str] = []
    for code in value:
        up = code.upper() if isinstance(code, str) else ""
        if up not in EEA_COUNTRIES:
            raise StatementError("territorial_scope may only hold EU/EEA ISO 3166-1 alpha-2 codes")
        if up not in codes:
            codes.append(up)
    if not codes:
        raise StatementError("territorial_scope is empty")
    return codes


def _day(value: datetime | date, minimum: date, what: str) -> str:
    day = value.date() if isinstance(value, datetime) else value
    if day < minimum:
        raise StatementError(f"{what} must be on or after {minimum.isoformat()}")
    return day.isoformat()


def _source_type(value: str) -> str:
    code = SOURCE_TYPE_ALIASES.get(value, value)
    if code not in SOURCE_TYPES:
        raise StatementError(f"unknown source_type; expected one of {', '.join(SOURCE_TYPE_ALIASES)}")
    return code
