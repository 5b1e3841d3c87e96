"""Load a policy, check it, and apply it: Assessment -> Decision.

`decide` is pure and deterministic and reads only the scores and the policy, never the language, the variety
or the content: the same scores get the same decision in every language, which is the consistency sitr
promises to the people it moderates. Every Decision records the policy version that produced it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from sitr.policy.notices import decision_facts, notice_lang, notice_text, statement_text
from sitr.policy.schema import ACTIONS, AccountRule, Policy, ThreatRule, policy_problems
from sitr.types import THREATS, Assessment

__all__ = [
    "Decision",
    "PolicyError",
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

MAX_POLICY_BYTES = 1024 * 1024
Outcome = Literal["action", "review", "none"]
Ground = Literal["illegal_content", "incompatible_content"]
_ACCOUNT_STRENGTH = {"warn_account": 1, "restrict_account": 2, "suspend_account": 3}


class PolicyError(ValueError):
    """A policy file that cannot be used; `errors` lists every problem found, one line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("invalid policy:\n" + "\n".join(errors))
        self.errors = errors


# --- loading and checking ------------------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys: YAML would silently keep the last `review_at` of two."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # unhashable key: SafeLoader reports it
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {first})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def default_policy_path() -> Path:
    """The policy in use when none is named: $SITR_POLICY, else the one shipped with sitr."""
    env = os.environ.get("SITR_POLICY", "").strip()
    if env:
        return Path(env)
    return Path(str(resources.files("sitr.policy").joinpath("default.yaml")))


def _line_of(root: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the YAML node at `path`, or of its deepest ancestor that exists."""
    node = root
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    child = value_node
                    line = key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _format(where: str, line: int | None, path: Sequence[str | int], message: str) -> str:
    place = f"{where}:{line}" if line is not None else where
    dotted = ".".join(str(p) for p in path)
    return f"{place}: {dotted}: {message}" if dotted else f"{place}: {message}"


def _parse(text: str, where: str) -> tuple[Policy | None, list[str]]:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no arbitrary objects
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        return None, [_format(where, line, (), message)]
    if not isinstance(data, dict):
        return None, [_format(where, 1, (), "a policy must be a YAML mapping")]
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            errors.append(_format(where, _line_of(root, loc), loc, message))
        return None, errors
    problems = [_format(where, _line_of(root, path), path, msg) for path, msg in policy_problems(policy)]
    return (None, problems) if problems else (policy, [])


def _read(path: Path) -> tuple[str | None, str | None]:
    try:
        if path.stat().st_size > MAX_POLICY_BYTES:
            return None, f"{path}: larger than {MAX_POLICY_BYTES // 1024} KiB"
        return path.read_text(encoding="utf-8"), None
    except UnicodeDecodeError:
        return None, f"{path}: not UTF-8 text"
    except OSError as exc:
        return None, f"{path}: cannot read ({exc.strerror or exc.__class__.__name__})"


def policy_check(path: str | Path) -> list[str]:
    """Every problem of the policy file at `path`, one human-readable line each; [] when it is valid."""
    path = Path(path)
    text, error = _read(path)
    if text is None:
        return [error or f"{path}: cannot read"]
    return _parse(text, str(path))[1]


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int, size: int) -> Policy:
    text, error = _read(Path(path))
    if text is None:
        raise PolicyError([error or f"{path}: cannot read"])
    policy, errors = _parse(text, path)
    if policy is None:
        raise PolicyError(errors)
    return policy


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy at `path` (None: $SITR_POLICY or the shipped default). Raises PolicyError if invalid.

    Parsed policies are cached by path, modification time and size, so calling this per request is cheap
    and an edited file is picked up.
    """
    p = Path(path) if path is not None else default_policy_path()
    try:
        st = p.stat()
    except OSError as exc:
        raise PolicyError([f"{p}: cannot read ({exc.strerror or exc.__class__.__name__})"]) from None
    return _load_cached(str(p.resolve()), st.st_mtime_ns, st.st_size)


def check_command(path: str | Path) -> int:
    """`sitr policy check FILE`: print each problem, or a one-line summary; exit code 0 valid, 1 not."""
    errors = policy_check(path)
    if errors:
        for line in errors:
            print(line)
        print(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found")
        return 1
    policy = load_policy(path)
    print(f"{path}: policy '{policy.name}' version {policy.version} is valid")
    return 0


# --- deciding ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """The policy applied to an assessment (or a reviewer's ruling): what to do, why, under which version."""

    policy_version: str
    outcome: Outcome
    primary_threat: str | None
    threats: tuple[str, ...]  # threats at or above review_at, most severe first
    actions: tuple[str, ...]  # in the canonical order of sitr.policy.schema.ACTIONS
    severity: int  # 0 when no threat
    review_deadline_minutes: int | None
    automated: bool
    ground: Ground
    dsa_category: str | None
    dsa_keywords: tuple[str, ...]
    category_specification: str | None
    notify_target: bool
    offer_protection: bool = False
    dsa_category_addition: tuple[str, ...] = ()
    ground_reference: str | None = None
    ground_explanation: str | None = None
    ground_reference_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key, value in d.items():
            if isinstance(value, tuple):
                d[key] = list(value)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """Rebuild a Decision stored with `to_dict` (e.g. from the event log)."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown decision fields: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        if values.get("outcome") not in ("action", "review", "none"):
            raise ValueError("outcome must be action, review or none")
        if values.get("ground") not in ("illegal_content", "incompatible_content"):
            raise ValueError("ground must be illegal_content or incompatible_content")
        return cls(**values)


def _score(assessment: Assessment, threat: str) -> float:
    ts = assessment.threats.get(threat)
    if ts is None or not isinstance(ts.score, (int, float)) or math.isnan(ts.score):
        return 0.0
    return float(ts.score)


def _canonical(actions: Iterable[str]) -> tuple[str, ...]:
    chosen = set(actions)
    return tuple(a for a in ACTIONS if a in chosen)


def _auto_actions(rule: ThreatRule) -> list[str]:
    actions: list[str] = list(rule.actions_auto)
    if rule.notify_target:
        actions.append("notify_target")
    if rule.offer_protection:
        actions.append("offer_protection")
    return actions


def _nothing(policy: Policy, automated: bool) -> Decision:
    return Decision(
        policy_version=policy.version,
        outcome="none",
        primary_threat=None,
        threats=(),
        actions=(),
        severity=0,
        review_deadline_minutes=None,
        automated=automated,
        ground="incompatible_content",
        dsa_category=None,
        dsa_keywords=(),
        category_specification=None,
        notify_target=False,
    )


def _build(
    policy: Policy,
    outcome: Outcome,
    primary: str,
    ordered: Sequence[str],
    per_threat: Mapping[str, Sequence[str]],
    grounds: Sequence[str],
    automated: bool,
) -> Decision:
    rule = policy.threats[primary]
    actions = _canonical(a for acts in per_threat.values() for a in acts)
    deadlines = [policy.threats[t].review_deadline_minutes for t, acts in per_threat.items() if "queue_review" in acts]
    additions = []
    for t in grounds:
        category = policy.threats[t].dsa_category
        if category != rule.dsa_category and category not in additions:
            additions.append(category)
    return Decision(
        policy_version=policy.version,
        outcome=outcome,
        primary_threat=primary,
        threats=tuple(ordered),
        actions=actions,
        severity=max(policy.threats[t].severity for t in ordered),
        review_deadline_minutes=min(deadlines) if deadlines else None,
        automated=automated,
        ground=rule.ground,
        dsa_category=rule.dsa_category,
        dsa_keywords=tuple(rule.dsa_keywords),
        category_specification=rule.dsa_category_specification,
        notify_target="notify_target" in actions,
        offer_protection="offer_protection" in actions,
        dsa_category_addition=tuple(additions),
        ground_reference=rule.ground_reference,
        ground_explanation=rule.ground_explanation,
        ground_reference_url=policy.terms_url,
    )


def decide(assessment: Assessment, policy: Policy) -> Decision:
    """Apply `policy` to the fused scores of `assessment`.

    A threat at or above its `auto_action_at` is acted on automatically (its `actions_auto`, plus target
    notification and protection when the rule says so); one at or above `review_at` gets its
    `actions_review`. The primary threat is the most severe one acted on (then the higher score, then the
    order of THREATS), and it gives the DSA category and ground. Missing or NaN scores count as 0.
    """
    scores = {t: _score(assessment, t) for t in THREATS}
    rules = policy.threats

    def rank(t: str) -> tuple[int, float, int]:
        return (-rules[t].severity, -scores[t], THREATS.index(t))

    ordered = sorted((t for t in THREATS if scores[t] >= rules[t].review_at), key=rank)
    if not ordered:
        return _nothing(policy, automated=True)
    auto = [t for t in ordered if scores[t] >= rules[t].auto_action_at]
    per_threat = {t: _auto_actions(rules[t]) if t in auto else list(rules[t].actions_review) for t in ordered}
    if auto:
        return _build(policy, "action", auto[0], ordered, per_threat, auto, automated=True)
    return _build(policy, "review", ordered[0], ordered, per_threat, (), automated=True)


def ruling(policy: Policy, threat: str | None, actions: Sequence[str] | None = None) -> Decision:
    """A reviewer's decision: `threat` confirmed (None: no violation), with the rule's automatic actions
    unless `actions` names others. Not automated, so its DSA statement says a human decided."""
    if threat is None:
        return _nothing(policy, automated=False)
    if threat not in policy.threats:
        raise ValueError(f"unknown threat; expected one of {', '.join(THREATS)}")
    rule = policy.threats[threat]
    if actions is None:
        chosen = [a for a in _auto_actions(rule) if a != "queue_review"]
    else:
        unknown = [a for a in actions if a not in ACTIONS]
        if unknown:
            raise ValueError(f"unknown actions: {', '.join(unknown)}")
        chosen = list(actions)
    if not chosen:
        # Violation confirmed, nothing done (e.g. newsworthy): recorded, but no restriction to explain.
        return replace(
            _nothing(policy, automated=False),
            primary_threat=threat,
            threats=(threat,),
            severity=rule.severity,
        )
    return _build(policy, "action", threat, [threat], {threat: chosen}, [threat], automated=False)


def account_action(policy: Policy, actioned_at: Sequence[datetime], now: datetime) -> AccountRule | None:
    """The strongest repeat-offender step an author has reached, given when their items were actioned."""
    best: AccountRule | None = None
    for step in policy.account_actions:
        since = now - timedelta(days=step.within_days)
        count = sum(1 for t in actioned_at if since <= t <= now)
        if count < step.after:
            continue
        if best is None or (_ACCOUNT_STRENGTH[step.action], step.after) > (
            _ACCOUNT_STRENGTH[best.action],
            best.after,
        ):
            best = step
    return best
