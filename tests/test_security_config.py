"""Keys and configuration: the embedded default makes a 0600 key file; production refuses to invent one."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from sitr.config import ConfigError, load_settings, parse_key


def test_embedded_default_creates_a_private_key_file_once(tmp_path: Path) -> None:
    env = {"SITR_HOME": str(tmp_path / "home")}
    first = load_settings(env)
    key_file = tmp_path / "home" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.key_source == "generated" and len(first.secret_key) == 32
    assert first.database_url == f"sqlite:///{tmp_path / 'home' / 'sitr.db'}"
    second = load_settings(env)
    assert second.secret_key == first.secret_key and second.key_source == "file"


def test_production_refuses_to_start_without_an_operator_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SITR_SECRET_KEY"):
        load_settings({"SITR_HOME": str(tmp_path), "SITR_ENV": "production"})
    assert not (tmp_path / "secret.key").exists()


def test_production_accepts_env_key_or_private_key_file(tmp_path: Path) -> None:
    key = os.urandom(32)
    s = load_settings({"SITR_HOME": str(tmp_path), "SITR_ENV": "production", "SITR_SECRET_KEY": key.hex()})
    assert s.secret_key == key and s.production
    f = tmp_path / "k"
    f.write_text(base64.b64encode(key).decode())
    f.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_settings({"SITR_HOME": str(tmp_path), "SITR_ENV": "production", "SITR_SECRET_KEY_FILE": str(f)})
    f.chmod(0o600)
    s = load_settings({"SITR_HOME": str(tmp_path), "SITR_ENV": "production", "SITR_SECRET_KEY_FILE": str(f)})
    assert s.secret_key == key


def test_cli_style_overrides_win_over_environment(tmp_path: Path) -> None:
    env = {"SITR_HOME": str(tmp_path), "SITR_DATABASE_URL": "sqlite:///env.db", "SITR_SECRET_KEY": "00" * 32}
    s = load_settings(env, database_url="postgresql+psycopg://x@h/db", policy="p.yaml")
    assert s.database_url == "postgresql+psycopg://x@h/db" and str(s.policy_path) == "p.yaml"


@pytest.mark.parametrize("bad", ["", "short", "zz" * 32, base64.b64encode(b"x" * 16).decode()])
def test_bad_keys_are_refused_without_echo(bad: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_key(bad)
    if bad:
        assert bad not in str(info.value)


def test_key_formats() -> None:
    key = os.urandom(32)
    assert parse_key(key.hex()) == key
    assert parse_key(base64.b64encode(key).decode()) == key
    assert parse_key(base64.urlsafe_b64encode(key).decode() + "\n") == key
