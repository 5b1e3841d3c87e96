"""The service commands: db upgrade, users add, keys create, audit verify, retention apply."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from sitr.service_cli import register
from sitr.store.db import Database


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_service_commands_end_to_end(cli: typer.Typer, db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SITR_HOME": str(tmp_path / "home"), "SITR_DATABASE_URL": db_url, "SITR_SECRET_KEY": "11" * 32}
    r = runner.invoke(cli, ["db", "upgrade"], env=env)
    assert r.exit_code == 0, r.output
    assert "revision 000" in r.output
    r = runner.invoke(cli, ["users", "add", "rev1", "--role", "reviewer", "-l", "ar", "-l", "fr"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "add", "rev1", "--role", "reviewer"], env=env)
    assert r.exit_code == 1 and "exists" in r.output
    r = runner.invoke(cli, ["users", "add", "x", "--role", "wizard"], env=env)
    assert r.exit_code == 1
    r = runner.invoke(cli, ["keys", "create", "--user", "rev1"], env=env)
    assert r.exit_code == 0 and r.stdout.startswith("sitr_")
    key = r.stdout.strip().splitlines()[0]
    r = runner.invoke(cli, ["audit", "verify"], env=env)
    assert r.exit_code == 0 and "chain intact" in r.output
    r = runner.invoke(cli, ["retention", "apply", "--days", "30"], env=env)
    assert r.exit_code == 0 and '"items": 0' in r.output
    r = runner.invoke(cli, ["audit", "verify", "--json"], env=env)
    assert r.exit_code == 0 and '"events": 1' in r.output
    r = runner.invoke(cli, ["keys", "revoke", key[:12]], env=env)
    assert r.exit_code == 0 and "1 key" in r.output


def test_audit_verify_fails_on_tampering(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'x.db'}"
    env = {"SITR_HOME": str(tmp_path), "SITR_DATABASE_URL": url, "SITR_SECRET_KEY": "11" * 32}
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(cli, ["retention", "apply", "--days", "5"], env=env).exit_code == 0
    assert runner.invoke(cli, ["retention", "apply", "--days", "6"], env=env).exit_code == 0
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER events_no_update"))
        conn.execute(text("UPDATE events SET actor = 'admin:9' WHERE seq = 1"))
    db.dispose()
    r = runner.invoke(cli, ["audit", "verify"], env=env)
    assert r.exit_code == 1 and "event 1: edited" in r.output


def test_production_without_key_refuses(cli: typer.Typer, tmp_path: Path) -> None:
    env = {"SITR_HOME": str(tmp_path), "SITR_ENV": "production", "SITR_SECRET_KEY": "", "SITR_SECRET_KEY_FILE": ""}
    r = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert r.exit_code == 2 and "SITR_SECRET_KEY" in r.output
