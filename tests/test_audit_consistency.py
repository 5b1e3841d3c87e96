"""The consistency audit: error rates per variety, disparity flags, and own speech on its own line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitr.audit.consistency import Labelled, audit_consistency, read_labelled
from sitr.types import THREATS, Assessment, Item, Span, ThreatScore


def _item(i: int, labels: tuple[str, ...], lang: str, variety: str, note: str = "") -> Labelled:
    return Labelled(Item(id=f"t{i}", text="fictional text"), frozenset(labels), lang, variety, note)


class Scripted:
    """Scores by item id: 0.97 (auto action), 0.7 (review) or 0.0 on harassment; optional findings."""

    def __init__(self) -> None:
        self.scores: dict[str, float] = {}
        self.findings: dict[str, tuple[Span, ...]] = {}

    def __call__(self, items: list[Item]) -> list[Assessment]:
        out = []
        for item in items:
            s = self.scores.get(item.id, 0.0)
            threats = {t: ThreatScore(s if t == "harassment" else 0.0, "none", False) for t in THREATS}
            out.append(Assessment(item.id, "ar", "egy", threats, (), self.findings.get(item.id, ())))
        return out


def test_rates_disparity_and_own_speech() -> None:
    analyzer = Scripted()
    items: list[Labelled] = []
    n = 0
    # Egyptian: 20 benign, 1 wrongly queued; 20 harmful, 2 missed.
    for k in range(20):
        items.append(_item(n, (), "ar", "egy"))
        analyzer.scores[f"t{n}"] = 0.7 if k == 0 else 0.0
        n += 1
    for k in range(20):
        items.append(_item(n, ("harassment",), "ar", "egy"))
        analyzer.scores[f"t{n}"] = 0.0 if k < 2 else 0.97
        n += 1
    # Maghrebi: 20 benign self-disclosures, 6 acted on automatically; 20 harmful, none missed.
    for k in range(20):
        items.append(_item(n, (), "ar", "mag", note="self-disclosure of the writer's own orientation"))
        analyzer.scores[f"t{n}"] = 0.97 if k < 6 else 0.0
        n += 1
    for _ in range(20):
        items.append(_item(n, ("harassment",), "ar", "mag"))
        analyzer.scores[f"t{n}"] = 0.97
        n += 1
    # A handful of French items: below min_n, shown but not compared.
    for _ in range(3):
        items.append(_item(n, (), "fr", "fr"))
        analyzer.findings[f"t{n}"] = (Span(0, 4, "lex:advocacy_support"),)
        n += 1
    result = audit_consistency(items, analyze_batch=analyzer, resamples=300)
    egy, mag = result["varieties"]["ar/egy"], result["varieties"]["ar/mag"]
    assert (egy["fpr"], egy["fnr"]) == (0.05, 0.1)
    assert (mag["fpr"], mag["fnr"]) == (0.3, 0.0)
    assert mag["rate_action"] == 0.65 and egy["rate_review"] == 0.025
    assert egy["fpr_ci95"][0] <= 0.05 <= egy["fpr_ci95"][1]
    fpr = result["disparity"]["fpr"]
    assert fpr["flag"] and fpr["worst"]["group"] == "ar/mag" and fpr["best"]["group"] == "ar/egy"
    assert "fr/fr" not in fpr["compared"]
    assert result["disparity"]["fnr"]["worst"]["group"] == "ar/egy"
    own = result["own_speech"]
    assert own["n"] == 23 and own["over_enforcement_rate"] == round(6 / 23, 4)
    assert own["by_language"]["fr"] == {"n": 3, "rate": 0.0}
    only_action = audit_consistency(items, analyze_batch=analyzer, positive=("action",), resamples=100)
    assert only_action["varieties"]["ar/egy"]["fpr"] == 0.0


def test_no_flag_when_varieties_are_served_alike() -> None:
    analyzer = Scripted()
    items = []
    for n in range(60):
        variety = "egy" if n % 2 else "lev"
        items.append(_item(n, ("harassment",) if n % 3 == 0 else (), "ar", variety))
        analyzer.scores[f"t{n}"] = 0.97 if n % 3 == 0 else 0.0
    result = audit_consistency(items, analyze_batch=analyzer, resamples=100)
    assert result["disparity"]["fpr"]["ratio"] == 1.0 and not result["disparity"]["fpr"]["flag"]


def test_read_labelled_keeps_the_labelled_language(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [
        {"id": "a", "kind": "message", "context": "public_post", "lang": "ar", "variety": "lev", "text": "x",
         "labels": ["outing"], "note": "n"},
        {"id": "b", "kind": "conversation", "context": "dating_chat", "lang": "en", "variety": "en",
         "messages": [{"from": "x", "text": "hi"}, {"from": "u", "text": "hey"}], "labels": []},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    got = read_labelled(path)
    assert [(x.lang, x.variety, sorted(x.labels)) for x in got] == [("ar", "lev", ["outing"]), ("en", "en", [])]
    path.write_text(json.dumps({"id": "c", "text": "x", "labels": ["spam"]}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="labels"):
        read_labelled(path)


def _shared_data() -> Path:
    env = os.environ.get("SITR_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.mark.data
def test_audit_runs_the_real_pipeline_on_training_items(tmp_path: Path) -> None:
    """Training items only (never validation): the audit must run end to end on real data."""
    from sitr.evaluation.split import is_validation

    source = _shared_data() / "threats" / "dev.jsonl"
    if not source.is_file():
        pytest.skip(f"shared data not found at {source} (set SITR_SHARED_DATA)")
    from sitr.models.threat_model import ModelMissingError, shipped_model

    try:
        shipped_model()
    except ModelMissingError as exc:
        pytest.skip(f"the shipped threat model is not usable yet: {exc}")
    lines = [ln for ln in source.read_text(encoding="utf-8").splitlines() if ln.strip()]
    train = [ln for ln in lines if not is_validation(str(json.loads(ln)["id"]))][:200]
    subset = tmp_path / "train.jsonl"
    subset.write_text("\n".join(train) + "\n", encoding="utf-8")
    result = audit_consistency(read_labelled(subset), resamples=200)
    assert result["items"] == len(train)
    assert set(result["languages"]) >= {"ar", "en", "fr"}
    assert 0.0 <= result["overall"]["fpr"] <= 1.0 and 0.0 <= result["overall"]["fnr"] <= 1.0
    assert result["own_speech"]["n"] > 0


def test_no_errors_anywhere_is_no_disparity() -> None:
    analyzer = Scripted()
    items = []
    for n in range(80):
        variety = "egy" if n < 20 else "lev"  # different sizes: smoothing alone would differ
        harmful = n % 2 == 0
        items.append(_item(n, ("harassment",) if harmful else (), "ar", variety))
        analyzer.scores[f"t{n}"] = 0.97 if harmful else 0.0
    result = audit_consistency(items, analyze_batch=analyzer, resamples=100)
    for metric in ("fpr", "fnr"):
        assert result["disparity"][metric]["ratio"] == 1.0 and not result["disparity"][metric]["flag"]
