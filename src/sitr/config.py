"""Service configuration: one scheme everywhere (CLI options > environment > defaults).

`SITR_HOME` (data folder, default ./sitr-data), `SITR_DATABASE_URL` (default sqlite:///$SITR_HOME/sitr.db),
`SITR_SECRET_KEY` or `SITR_SECRET_KEY_FILE` (AES-256 key of encrypted fields), `SITR_POLICY` (policy file),
`SITR_ENV=production` (refuse to start without a key the operator provides).

The embedded default creates `$SITR_HOME/secret.key` (mode 0600) on first run so that a single-user install
works out of the box; production never invents a key, because a key nobody backed up loses every record.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

KEY_BYTES = 32
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024  # a batch of 1,000 items of a few KiB each


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set (never prints a key)."""


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    secret_key: bytes = field(repr=False)
    policy_path: Path | None = None
    production: bool = False
    key_source: str = (
        "file"  # "env" | "file" | "generated": where the key came from, for `sitr serve` banners
    )
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def parse_key(text: str) -> bytes:
    """A 32-byte key written as 64 hex characters or as (URL-safe) base64."""
    raw = text.strip()
    if len(raw) == 2 * KEY_BYTES:
        try:
            return bytes.fromhex(raw)
        except ValueError:
            pass
    try:
        key = base64.b64decode(raw.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError("secret key is neither 64 hex characters nor base64") from None
    if len(key) != KEY_BYTES:
        raise ConfigError(f"secret key must be {KEY_BYTES} bytes (AES-256), got {len(key)}")
    return key


def generate_key_file(path: Path) -> bytes:
    """Create a new random key file readable by its owner only; never overwrite an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(base64.urlsafe_b64encode(key).decode("ascii") + "\n")
    os.chmod(path, 0o600)
    return key


def read_key_file(path: Path, *, production: bool) -> bytes:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"secret key file {path} does not exist") from None
    if production and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"secret key file {path} is readable by others; chmod 600 it")
    return parse_key(path.read_text(encoding="ascii"))


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    home: str | Path | None = None,
    database_url: str | None = None,
    policy: str | Path | None = None,
) -> Settings:
    """Resolve the settings; keyword arguments are CLI options and win over the environment."""
    env = os.environ if env is None else env
    home_path = Path(home or env.get("SITR_HOME") or "./sitr-data").expanduser()
    production = env.get("SITR_ENV", "").strip().lower() in {"production", "prod"}
    url = database_url or env.get("SITR_DATABASE_URL") or f"sqlite:///{home_path / 'sitr.db'}"
    policy_raw = policy or env.get("SITR_POLICY")
    max_body = int(env.get("SITR_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))

    key_text = env.get("SITR_SECRET_KEY")
    key_file = env.get("SITR_SECRET_KEY_FILE")
    if key_text:
        key, source = parse_key(key_text), "env"
    elif key_file:
        key, source = read_key_file(Path(key_file).expanduser(), production=production), "file"
    elif production:
        raise ConfigError(
            "SITR_ENV=production needs an operator key: set SITR_SECRET_KEY or SITR_SECRET_KEY_FILE"
        )
    else:
        default_file = home_path / "secret.key"
        if default_file.exists():
            key, source = read_key_file(default_file, production=False), "file"
        else:
            key, source = generate_key_file(default_file), "generated"
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return Settings(
        home=home_path,
        database_url=url,
        secret_key=key,
        policy_path=Path(policy_raw) if policy_raw else None,
        production=production,
        key_source=source,
        max_body_bytes=max_body,
    )
