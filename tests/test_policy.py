"""The policy: loading, checking, deciding, and the texts people read."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.policy import (
    ACTIONS,
    Decision,
    Policy,
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
from sitr.policy.schema import LANGS, required_notice_keys
from sitr.types import THREATS, Assessment, Signal, Span, ThreatScore

POLICY = load_policy()
DEFAULT_TEXT = default_policy_path().read_text(encoding="utf-8")
OUTCOME_RANK = {"none": 0, "review": 1, "action": 2}


def assess(
    given_scores: dict[str, float] | None = None, /, lang: str = "en", item_id: str = "i1", **more: float
) -> Assessment:
    scores = {**(given_scores or {}), **more}
    threats = {t: ThreatScore(scores.get(t, 0.0), "none", scores.get(t, 0.0) >= 0.5) for t in THREATS}
    return Assessment(id=item_id, lang=lang, variety="", threats=threats, signals=())


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_data(tmp_path: Path, data: dict[str, Any]) -> Path:
    return write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def default_data() -> dict[str, Any]:
    data = yaml.safe_load(DEFAULT_TEXT)
    assert isinstance(data, dict)
    return data


def line_of(text: str, needle: str, start: str | None = None) -> int:
    """1-based line of the first `needle` after the first `start`."""
    offset = text.index(start) if start else 0
    return text[: text.index(needle, offset)].count("\n") + 1


# --- the shipped policy -----------------------------------------------------------------------------------------


def test_shipped_policy_is_valid_and_complete() -> None:
    assert policy_check(default_policy_path()) == []
    assert set(POLICY.threats) == set(THREATS)
    for key in required_notice_keys(POLICY):
        for lang in LANGS:
            assert POLICY.notices[key][lang].strip(), (key, lang)


def test_shipped_defaults_follow_the_brief() -> None:
    deadlines = {t: POLICY.threats[t].review_deadline_minutes for t in THREATS}
    assert deadlines == {"extortion": 60, "doxxing": 60, "outing": 60, "entrapment": 240, "harassment": 1440}
    top = {POLICY.threats[t].severity for t in ("extortion", "doxxing", "outing")}
    assert min(top) > POLICY.threats["entrapment"].severity > POLICY.threats["harassment"].severity
    for t in ("outing", "doxxing", "extortion", "entrapment"):
        rule = POLICY.threats[t]
        assert rule.dsa_keywords == ["KEYWORD_OTHER"]
        assert rule.dsa_category_specification == t


def test_env_var_selects_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, DEFAULT_TEXT.replace('version: "2025.07.1"', 'version: "local-7"'))
    monkeypatch.setenv("SITR_POLICY", str(path))
    assert load_policy().version == "local-7"
    monkeypatch.delenv("SITR_POLICY")
    assert load_policy().version == POLICY.version


def test_load_policy_sees_edits(tmp_path: Path) -> None:
    path = write(tmp_path, DEFAULT_TEXT)
    assert load_policy(path).version == POLICY.version
    path.write_text(DEFAULT_TEXT.replace('version: "2025.07.1"', 'version: "2025.07.2-edited"'), "utf-8")
    assert load_policy(path).version == "2025.07.2-edited"


def test_load_policy_raises_with_every_error(tmp_path: Path) -> None:
    data = default_data()
    data["threats"]["outing"]["review_at"] = 1.5
    data["threats"]["doxxing"]["severity"] = 9
    with pytest.raises(PolicyError) as info:
        load_policy(write_data(tmp_path, data))
    assert len(info.value.errors) == 2
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "absent.yaml")


# --- policy check --------------------------------------------------------------------------------------------------


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    text = DEFAULT_TEXT.replace("    severity: 4\n", "    severity: [4\n", 1)
    errors = policy_check(write(tmp_path, text))
    assert len(errors) == 1
    assert "YAML syntax error" in errors[0]
    match = re.search(r"policy\.yaml:(\d+):", errors[0])
    assert match is not None
    assert abs(int(match.group(1)) - line_of(text, "severity: [4")) <= 2


def test_duplicate_keys_are_refused_with_their_line(tmp_path: Path) -> None:
    text = DEFAULT_TEXT.replace("    review_at: 0.6\n", "    review_at: 0.6\n    review_at: 0.01\n", 1)
    errors = policy_check(write(tmp_path, text))
    assert len(errors) == 1
    assert "duplicate key 'review_at'" in errors[0]
    assert f"policy.yaml:{line_of(text, 'review_at: 0.01')}:" in errors[0]


def test_schema_errors_name_path_and_line(tmp_path: Path) -> None:
    text = DEFAULT_TEXT.replace("    review_at: 0.5\n", "    review_at: 1.7\n", 1)  # outing, the first 0.5
    errors = policy_check(write(tmp_path, text))
    assert len(errors) == 1
    assert "threats.outing.review_at" in errors[0]
    assert f"policy.yaml:{line_of(text, 'review_at: 1.7')}:" in errors[0]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["threats"]["doxxing"].update(auto_action_at=-0.1), "threats.doxxing.auto_action_at"),
        (lambda d: d["threats"]["doxxing"].update(review_at=0.95), "below review_at"),
        (lambda d: d["threats"]["doxxing"].update(review_at=0.0), "review_at must be above 0"),
        (lambda d: d["threats"].pop("entrapment"), "missing threats: entrapment"),
        (lambda d: d["threats"].update(spam=d["threats"]["harassment"]), "unknown threats: spam"),
        (lambda d: d["threats"]["outing"].update(actions_auto=["delete"]), "threats.outing.actions_auto.0"),
        (lambda d: d["threats"]["outing"].update(actions_review=["remove"]), "must include queue_review"),
        (lambda d: d["threats"]["outing"].update(dsa_category="OUTING"), "threats.outing.dsa_category"),
        (lambda d: d["threats"]["outing"].update(dsa_keywords=["KEYWORD_OUTING"]), "KEYWORD_OUTING"),
        (lambda d: d["threats"]["outing"].update(colour="red"), "threats.outing.colour"),
        (lambda d: d["threats"]["harassment"].update(actions_auto=["remove", "notify_target"]), "is false"),
        (
            lambda d: d["threats"]["outing"].update(ground_explanation="Call +33 6 12 34 56 78"),
            "phone or ID number",
        ),
        (lambda d: d.update(version=""), "version"),
        (lambda d: d["account_actions"].append({"after": 2, "within_days": 9, "action": "ban"}), "account_actions"),
    ],
)
def test_schema_problems_are_reported(tmp_path: Path, mutate: Any, expected: str) -> None:
    data = default_data()
    mutate(data)
    errors = policy_check(write_data(tmp_path, data))
    assert errors
    assert any(expected in e for e in errors), errors


def test_missing_translation_is_reported(tmp_path: Path) -> None:
    data = default_data()
    del data["notices"]["protect.extortion"]["fr"]
    data["notices"]["target.outing"]["ar"] = "  "
    del data["notices"]["appeal"]
    errors = policy_check(write_data(tmp_path, data))
    assert any("notices.protect.extortion" in e and "'fr'" in e for e in errors)
    assert any("notices.target.outing" in e and "'ar'" in e for e in errors)
    assert any("missing notice 'appeal'" in e for e in errors)
    assert len(errors) == 3


def test_action_texts_are_required_for_actions_in_use(tmp_path: Path) -> None:
    data = default_data()
    data["threats"]["harassment"]["actions_auto"] = ["label"]
    del data["notices"]["action.label"]
    errors = policy_check(write_data(tmp_path, data))
    assert errors == [e for e in errors if "action.label" in e]
    assert len(errors) == 1


def test_bad_templates_and_unknown_keys_are_reported(tmp_path: Path) -> None:
    data = default_data()
    data["notices"]["statement.review"]["en"] = "Reviewing {threat} for {author}."
    data["notices"]["statement.none"]["fr"] = "Rien {"
    data["notices"]["statment.outing"] = {lang: "x" for lang in LANGS}
    data["notices"]["facts.reviewed"]["en"] = "A reviewer (reach at mod@example.org) decided on {threat}."
    errors = policy_check(write_data(tmp_path, data))
    assert any("statement.review.en" in e and "author" in e for e in errors)
    assert any("statement.none.fr" in e and "bad template" in e for e in errors)
    assert any("statment.outing" in e and "unknown notice key" in e for e in errors)
    assert any("facts.reviewed.en" in e and "e-mail" in e for e in errors)


def test_check_command_output_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_command(default_policy_path()) == 0
    assert "is valid" in capsys.readouterr().out
    bad = write(tmp_path, DEFAULT_TEXT.replace("severity: 3", "severity: 0"))
    assert check_command(bad) == 1
    out = capsys.readouterr().out
    assert "threats.harassment.severity" in out
    assert "1 problem found" in out
    assert check_command(write(tmp_path, "- a\n- b\n", "list.yaml")) == 1
    assert "must be a YAML mapping" in capsys.readouterr().out


def test_cli_check_and_show(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitr.policy.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(default_policy_path())])
    assert ok.exit_code == 0 and "is valid" in ok.output
    bad = runner.invoke(
        app, ["check", str(write(tmp_path, DEFAULT_TEXT.replace("auto_action_at: 0.95", "auto_action_at: 2")))]
    )
    assert bad.exit_code == 1 and "threats.harassment.auto_action_at" in bad.output
    shown = runner.invoke(app, ["show", str(default_policy_path())], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and POLICY.version in shown.output and "entrapment" in shown.output


# --- decide ----------------------------------------------------------------------------------------------------------


def test_nothing_below_review() -> None:
    d = decide(assess(harassment=0.59, outing=0.49, extortion=0.39), POLICY)
    assert d.outcome == "none"
    assert d.actions == ()
    assert d.primary_threat is None
    assert d.severity == 0
    assert d.policy_version == POLICY.version


def test_thresholds_are_inclusive() -> None:
    rule = POLICY.threats["doxxing"]
    at_review = decide(assess(doxxing=rule.review_at), POLICY)
    assert at_review.outcome == "review"
    assert at_review.actions == ("restrict_visibility", "queue_review")
    assert at_review.review_deadline_minutes == 60
    assert not at_review.notify_target
    at_auto = decide(assess(doxxing=rule.auto_action_at), POLICY)
    assert at_auto.outcome == "action"
    assert at_auto.actions == ("remove", "notify_target", "offer_protection")
    assert at_auto.notify_target and at_auto.offer_protection
    assert at_auto.review_deadline_minutes is None
    assert at_auto.category_specification == "doxxing"
    assert at_auto.dsa_category == "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"


def test_deadlines_by_threat() -> None:
    for threat, minutes in {"harassment": 1440, "entrapment": 240, "extortion": 60}.items():
        d = decide(assess({threat: POLICY.threats[threat].review_at}), POLICY)
        assert d.review_deadline_minutes == minutes, threat


def test_most_severe_threat_leads_and_deadlines_take_the_soonest() -> None:
    d = decide(assess(harassment=0.99, entrapment=0.7, outing=0.6), POLICY)
    assert d.outcome == "action"
    assert d.primary_threat == "harassment"  # the only threat acted on automatically
    assert d.threats == ("outing", "entrapment", "harassment")
    assert d.severity == 5
    assert d.review_deadline_minutes == 60  # outing's review
    assert d.actions == ("remove", "restrict_visibility", "queue_review")
    d2 = decide(assess(harassment=0.99, outing=0.97, doxxing=0.93), POLICY)
    assert d2.primary_threat == "outing"  # severity 5 ties with doxxing; the higher score wins
    assert d2.threats == ("outing", "doxxing", "harassment")
    assert d2.dsa_category_addition == ("STATEMENT_CATEGORY_CYBER_VIOLENCE",)


def test_missing_and_nan_scores_count_as_zero() -> None:
    a = Assessment(
        id="x",
        lang="ar",
        variety="",
        threats={"outing": ThreatScore(math.nan, "none", False), "doxxing": ThreatScore(0.95, "high", True)},
        signals=(),
    )
    d = decide(a, POLICY)
    assert d.primary_threat == "doxxing"
    assert d.threats == ("doxxing",)


def test_ruling_is_not_automated() -> None:
    d = ruling(POLICY, "extortion")
    assert not d.automated
    assert d.outcome == "action"
    assert "queue_review" not in d.actions
    assert d.actions == ("restrict_visibility", "restrict_account", "notify_target", "offer_protection")
    custom = ruling(POLICY, "harassment", ["warn_account"])
    assert custom.actions == ("warn_account",)
    cleared = ruling(POLICY, None)
    assert cleared.outcome == "none" and not cleared.automated
    kept = ruling(POLICY, "outing", [])
    assert kept.outcome == "none" and kept.primary_threat == "outing"
    with pytest.raises(ValueError):
        ruling(POLICY, "spam")
    with pytest.raises(ValueError):
        ruling(POLICY, "outing", ["delete"])


def test_decision_round_trips_through_dict() -> None:
    d = decide(assess(extortion=0.93, harassment=0.7), POLICY)
    data = d.to_dict()
    assert data["actions"] == list(d.actions)
    assert Decision.from_dict(data) == d
    with pytest.raises(ValueError):
        Decision.from_dict({**data, "extra": 1})
    with pytest.raises(ValueError):
        Decision.from_dict({**data, "outcome": "maybe"})


scores_st = st.fixed_dictionaries({t: st.floats(0.0, 1.0, allow_nan=False) for t in THREATS})
langs_st = st.sampled_from(["ar", "ar-Latn", "fr", "en", "mixed"])


@settings(max_examples=200, deadline=None)
@given(scores=scores_st, lang_a=langs_st, lang_b=langs_st, variety=st.text(max_size=12), item=st.text(max_size=8))
def test_same_scores_same_decision_in_every_language(
    scores: dict[str, float], lang_a: str, lang_b: str, variety: str, item: str
) -> None:
    a = assess(scores, lang=lang_a, item_id="a")
    signal = Signal("outing", 0.3, "lexicon", "1", (Span(0, 3, "lex:identity"),))
    b = Assessment(id=item, lang=lang_b, variety=variety, threats=dict(a.threats), signals=(signal,))
    assert decide(a, POLICY) == decide(b, POLICY)


@settings(max_examples=200, deadline=None)
@given(scores=scores_st, threat=st.sampled_from(THREATS), bump=st.floats(0.0, 1.0, allow_nan=False))
def test_raising_a_score_never_softens_the_decision(scores: dict[str, float], threat: str, bump: float) -> None:
    before = decide(assess(scores), POLICY)
    higher = dict(scores)
    higher[threat] = min(1.0, scores[threat] + bump)
    after = decide(assess(higher), POLICY)
    assert OUTCOME_RANK[after.outcome] >= OUTCOME_RANK[before.outcome]
    assert after.severity >= before.severity
    assert set(after.threats) >= set(before.threats)


@settings(max_examples=200, deadline=None)
@given(scores=scores_st)
def test_decision_invariants(scores: dict[str, float]) -> None:
    d = decide(assess(scores), POLICY)
    assert d.policy_version == POLICY.version
    assert d.automated
    assert list(d.actions) == [a for a in ACTIONS if a in d.actions]
    flagged = {t for t in THREATS if scores[t] >= POLICY.threats[t].review_at}
    assert set(d.threats) == flagged
    assert (d.outcome == "none") == (not flagged)
    severities = [POLICY.threats[t].severity for t in d.threats]
    assert severities == sorted(severities, reverse=True)
    if d.outcome == "review":
        assert "queue_review" in d.actions and d.review_deadline_minutes is not None
    if d.outcome == "action":
        assert d.primary_threat is not None
        assert scores[d.primary_threat] >= POLICY.threats[d.primary_threat].auto_action_at
    assert Decision.from_dict(d.to_dict()) == d


# --- texts -------------------------------------------------------------------------------------------------------


def test_notice_language_fallback() -> None:
    assert notice_lang("ar") == notice_lang("ar-Latn") == "ar"
    assert notice_lang("fr") == "fr"
    assert notice_lang("en") == notice_lang("mixed") == notice_lang("de") == notice_lang(None) == "en"


@settings(max_examples=60, deadline=None)
@given(scores=scores_st, lang=langs_st)
def test_texts_render_fully(scores: dict[str, float], lang: str) -> None:
    d = decide(assess(scores), POLICY)
    text = statement_text(d, POLICY, lang)
    assert text and "{" not in text and "}" not in text
    assert POLICY.version in text
    if d.primary_threat is not None:
        notice = notice_text(d, POLICY, lang)
        assert notice and "{" not in notice
        facts = decision_facts(d, POLICY)
        assert "{" not in facts and POLICY.version in facts


def test_statement_is_in_the_reader_language() -> None:
    d = decide(assess(outing=0.95), POLICY)
    ar, fr, en = (statement_text(d, POLICY, lang) for lang in ("ar", "fr", "en"))
    assert re.search(r"[\u0600-\u06FF]", ar)
    assert not re.search(r"[\u0600-\u06FF]", fr + en)
    assert statement_text(d, POLICY, "ar-Latn") == ar
    assert statement_text(d, POLICY, "mixed") == en
    assert POLICY.notices["appeal"]["fr"] in fr
    assert POLICY.notices["statement.automated"]["en"] in en
    reviewed = statement_text(ruling(POLICY, "outing"), POLICY, "en")
    assert POLICY.notices["statement.reviewed"]["en"] in reviewed


def test_author_is_not_told_the_target_was_notified() -> None:
    d = decide(assess(extortion=0.95), POLICY)
    assert d.notify_target
    for lang in LANGS:
        text = statement_text(d, POLICY, lang)
        assert POLICY.notices["action.notify_target"][lang] not in text
        assert POLICY.notices["action.offer_protection"][lang] not in text
        assert POLICY.notices["action.notify_target"][lang] not in decision_facts(d, POLICY, lang)


OUTING_WORDS = {
    "en": r"(?i)\b(gay|lesbian|lgbt|queer|orientation|gender identity|sexual|homosexual|trans)\b",
    "fr": r"(?i)(gay|lesbienne|lgbt|queer|orientation|identité de genre|sexuel|homosexu|trans\b)",
    "ar": r"(مثلي|ميول|جنس|الميم|الجندرية|شاذ|لوطي)",
}


@pytest.mark.parametrize("threat", THREATS)
@pytest.mark.parametrize("lang", LANGS)
def test_target_notices_are_discreet(threat: str, lang: str) -> None:
    d = ruling(POLICY, threat)
    text = notice_text(d, POLICY, lang)
    assert not re.search(OUTING_WORDS[lang], text), text
    if POLICY.threats[threat].offer_protection:
        assert POLICY.notices[f"protect.{threat}"][lang] in text


def test_notice_needs_a_threat() -> None:
    with pytest.raises(ValueError):
        notice_text(decide(assess(), POLICY), POLICY, "en")


# --- repeat offenders --------------------------------------------------------------------------------------------


def test_account_ladder() -> None:
    now = datetime(2025, 9, 1, 12, 0)
    assert account_action(POLICY, [], now) is None
    one = account_action(POLICY, [now - timedelta(days=2)], now)
    assert one is not None and one.action == "warn_account"
    three = [now - timedelta(days=d) for d in (1, 20, 80)]
    step = account_action(POLICY, three, now)
    assert step is not None and step.action == "restrict_account" and step.duration_days == 30
    old = [now - timedelta(days=d) for d in (100, 120, 150, 170)]
    step = account_action(POLICY, [*old, now], now)
    assert step is not None and step.action == "suspend_account"
    assert account_action(POLICY, [now - timedelta(days=200)], now) is None


def test_policy_models_are_frozen() -> None:
    with pytest.raises(ValueError):
        POLICY.threats["outing"].review_at = 0.1
    assert isinstance(POLICY, Policy)
