"""`sitr analyze` and `sitr eval` from the command line, on self-made fixtures."""

import json
from pathlib import Path

from typer.testing import CliRunner

from sitr.cli import app

runner = CliRunner()


def test_analyze_text_shows_every_threat() -> None:
    result = runner.invoke(app, ["analyze", "Pay me 500 dollars tonight or I send your photos to your family"])
    assert result.exit_code == 0
    for threat in ("harassment", "outing", "doxxing", "extortion", "entrapment"):
        assert threat in result.stdout


def test_analyze_conversation_json(tmp_path: Path) -> None:
    chat = tmp_path / "chat.json"
    chat.write_text(
        json.dumps(
            [
                {"from": "x", "text": "hey handsome"},
                {"from": "u", "text": "hi"},
                {"from": "x", "text": "send me a face pic and your location, let's meet tonight, how much?"},
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", "--conversation", str(chat), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["threats"]["entrapment"]["score"] > data["threats"]["doxxing"]["score"]


def test_analyze_without_input_is_a_usage_error() -> None:
    assert runner.invoke(app, ["analyze"]).exit_code == 2


def test_eval_reports_per_threat_and_group(tmp_path: Path) -> None:
    rows = [
        {"id": "e1", "lang": "en", "variety": "en", "text": "Pay 300 dollars by tomorrow or I post your nudes",
         "labels": ["extortion"]},
        {"id": "e2", "lang": "en", "variety": "en", "text": "Good morning, the concert starts at eight", "labels": []},
        {"id": "e3", "lang": "ar", "variety": "egy", "text": "ادفع 300 دولار قبل بكرة وإلا هبعت صورك لأهلك",
         "labels": ["extortion"]},
    ]  # fmt: skip
    src = tmp_path / "labelled.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(src), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["items"] == 3 and report["benign_items"] == 1
    assert report["threats"]["extortion"]["support"] == 2
    assert set(report["groups"]) == {"english", "arabic_script"}


def test_eval_binary_csv(tmp_path: Path) -> None:
    src = tmp_path / "set.csv"
    src.write_text("text,offensive\n\"you are a disgusting pig\",1\nhave a nice day,0\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(src), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["items"] == 2
