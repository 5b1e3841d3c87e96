"""`sitr report`, `sitr audit consistency|agreement` and `sitr demo seed` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sitr import report_cli


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    application = typer.Typer()
    try:
        from sitr import service_cli
    except ModuleNotFoundError:  # the service commands are optional
        service_cli = None  # type: ignore[assignment]
    if service_cli is not None:
        service_cli.register(application)
    report_cli.register(application)
    return application


@pytest.fixture(scope="module")
def home(app: typer.Typer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("home")
    result = CliRunner().invoke(
        app, ["demo", "seed", "--home", str(where), "--days", "6", "--items-per-day", "25", "--start", "2026-02-01"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["items"] > 50 and summary["reviewers"] == 8
    return where


def test_seed_refuses_a_database_that_has_events(app: typer.Typer, home: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "seed", "--home", str(home), "--days", "1"])
    assert result.exit_code == 2 and "already has events" in result.output


def test_report_formats(app: typer.Typer, home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["report", "--home", str(home), "--from", "2026-02-01", "--to", "2026-02-06"]
    result = runner.invoke(app, [*base, "--format", "json", "--threshold", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["period"] == {"from": "2026-02-01T00:00:00+00:00", "to": "2026-02-07T00:00:00+00:00"}
    assert data["totals"]["counts"]["items_assessed"] > 50 and data["privacy"]["threshold"] == 1
    out = tmp_path / "r.html"
    result = runner.invoke(app, [*base, "--format", "html", "--lang", "ar", "-o", str(out), "--scope", "region:MENA"])
    assert result.exit_code == 0, result.output
    assert 'dir="rtl"' in out.read_text(encoding="utf-8")
    result = runner.invoke(app, [*base, "--format", "dsa-csv", "--epsilon", "2"])
    assert result.exit_code == 0 and result.stdout.startswith("Applicability,Service,Reporting period,Section")
    for bad in (["--format", "pdf"], ["--scope", "region:Atlantis"], ["--lang", "de"], ["--epsilon", "0"]):
        assert runner.invoke(app, [*base, *bad]).exit_code == 2


def test_audit_group_is_shared_with_the_service(app: typer.Typer, home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "agreement", "--home", str(home), "--json", "--min-units", "2"])
    assert result.exit_code == 0, result.output
    assert "Krippendorff" in json.loads(result.stdout)["method"]
    names = [g.name for g in app.registered_groups]
    assert names.count("audit") == 1
    help_text = runner.invoke(app, ["audit", "--help"]).output
    assert "consistency" in help_text and "agreement" in help_text


def test_audit_consistency_command(app: typer.Typer, tmp_path: Path) -> None:
    from sitr.models.threat_model import ModelMissingError, shipped_model

    try:
        shipped_model()
    except ModelMissingError as exc:
        pytest.skip(f"the shipped threat model is not usable yet: {exc}")
    data = tmp_path / "set.jsonl"
    rows = [
        {"id": "f1", "lang": "en", "variety": "en", "text": "I'm gay and proud of it", "labels": [],
         "note": "self-disclosure"},
        {"id": "f2", "lang": "en", "variety": "en", "text": "Pay 500 or I send your photos to your family",
         "labels": ["extortion"]},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", "consistency", str(data), "--json", "--resamples", "100"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["items"] == 2 and out["own_speech"]["n"] >= 1
    text = CliRunner().invoke(app, ["audit", "consistency", str(data), "--resamples", "100"]).output
    assert "own speech" in text
    assert CliRunner().invoke(app, ["audit", "consistency", str(tmp_path / "missing.jsonl")]).exit_code == 2
