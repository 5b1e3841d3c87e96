"""Service commands mounted into `sitr`: serve, db upgrade, audit verify, retention apply, users add, keys create.

Each command resolves the configuration the same way (options > environment > defaults, see sitr.config) and
prints no personal data; `keys create` prints the new key once, because only its hash is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sitr.config import ConfigError, Settings, load_settings
from sitr.store.db import Database
from sitr.types import Assessment, Item

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data folder (SITR_HOME).")]
DbOpt = Annotated[str | None, typer.Option("--database-url", help="Database URL (SITR_DATABASE_URL).")]

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit the moderation log.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention of content and personal data.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)


def _settings(home: Path | None, database_url: str | None, policy: Path | None = None) -> Settings:
    try:
        return load_settings(home=home, database_url=database_url, policy=policy)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _database(settings: Settings, *, migrate_sqlite: bool = True) -> Database:
    from sitr.store import migrate

    db = Database(settings.database_url)
    if not migrate.is_up_to_date(db.engine):
        if settings.is_sqlite and migrate_sqlite:
            migrate.upgrade(db.engine)
        else:
            typer.echo("error: the database schema is not up to date: run `sitr db upgrade`", err=True)
            raise typer.Exit(2)
    return db


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    home: HomeOpt = None,
    database_url: DbOpt = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy file (SITR_POLICY).")] = None,
    access_log: Annotated[bool, typer.Option(help="Log one line per request (paths only, no bodies).")] = True,
) -> None:
    """Run the API (embedded SQLite by default, created on first run; PostgreSQL by URL)."""
    import os

    settings = _settings(home, database_url, policy)
    # Workers are separate processes: hand them the resolved configuration through the environment.
    os.environ["SITR_HOME"] = str(settings.home)
    os.environ["SITR_DATABASE_URL"] = settings.database_url
    if settings.policy_path is not None:
        os.environ["SITR_POLICY"] = str(settings.policy_path)
    db = _database(settings)
    db.dispose()
    typer.echo(f"sitr serving on http://{host}:{port} (database: {db.dialect}, key: {settings.key_source})", err=True)
    from sitr.api.server import run_uvicorn

    run_uvicorn("sitr.api.app:create_app_from_env", host=host, port=port, workers=workers, access_log=access_log)


@db_app.command("upgrade")
def db_upgrade(
    home: HomeOpt = None,
    database_url: DbOpt = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create or migrate the schema (Alembic migrations shipped in the package)."""
    from sitr.store import migrate
    from sitr.store.db import Database

    settings = _settings(home, database_url)
    db = Database(settings.database_url)
    before = migrate.current_revision(db.engine)
    after = migrate.upgrade(db.engine, revision)
    db.dispose()
    typer.echo(f"database at revision {after} (was {before or 'empty'})")


@audit_app.command("verify")
def audit_verify(
    home: HomeOpt = None,
    database_url: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Recompute the event log's hash chain and replay cases from it; exit code 1 on any discrepancy."""
    from sitr.moderation.projection import check_cases
    from sitr.store.events import verify_chain

    db = _database(_settings(home, database_url), migrate_sqlite=False)
    with db.read() as session:
        report = verify_chain(session)
        cases = check_cases(session)
    db.dispose()
    ok = report.ok and cases.ok
    if as_json:
        typer.echo(json.dumps(report.to_dict() | {"cases": cases.to_dict()}, indent=2))
    else:
        for p in report.problems:
            typer.echo(f"event {p.seq}: {p.kind}: {p.detail}")
        for case_id, from_log, in_table in cases.mismatches:
            typer.echo(f"case {case_id}: table says {in_table}, the log says {from_log}")
        if ok:
            typer.echo(
                f"ok: {report.events} events, chain intact, head {report.last_hash[:16]}; "
                f"{cases.cases} cases match the log"
            )
        else:
            typer.echo(
                f"FAILED: {len(report.problems)} chain problem(s) in {report.events} events, "
                f"{len(cases.mismatches)} case mismatch(es)"
            )
    raise typer.Exit(0 if ok else 1)


@retention_app.command("apply")
def retention_apply(
    days: Annotated[int, typer.Option("--days", min=1, help="Erase content older than this many days.")],
    home: HomeOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Erase content and personal data past N days; counts, decisions and the chain are kept."""
    from sitr.moderation.context import SYSTEM, Services
    from sitr.moderation.retention import apply_retention

    settings = _settings(home, database_url)
    db = _database(settings, migrate_sqlite=False)
    svc = Services.from_settings(settings, db=db, analyzer=_no_analysis)
    report = apply_retention(svc, SYSTEM, days)
    db.dispose()
    typer.echo(json.dumps(report.to_dict()))


def _no_analysis(_item: Item) -> Assessment:
    raise RuntimeError("retention never analyses items")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ -).")],
    role: Annotated[str, typer.Option(help="admin | reviewer | partner | auditor | integration")],
    language: Annotated[list[str] | None, typer.Option("--language", "-l", help="Reviewer language.")] = None,
    variety: Annotated[list[str] | None, typer.Option("--variety", help="Reviewer variety.")] = None,
    organisation: Annotated[str | None, typer.Option("--org", help="Partner organisation.")] = None,
    password: Annotated[bool, typer.Option("--password", help="Prompt for a password.")] = False,
    home: HomeOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Add a user (reviewers declare languages and varieties)."""
    from sitr.moderation.accounts import add_user
    from sitr.moderation.errors import ModerationError

    secret = typer.prompt("password", hide_input=True, confirmation_prompt=True) if password else None
    db = _database(_settings(home, database_url))
    try:
        actor = add_user(
            db,
            name,
            role,
            languages=language or [],
            varieties=variety or [],
            organisation=organisation,
            password=secret,
        )
    except ModerationError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    typer.echo(f"user {actor.name} ({actor.role}) created with id {actor.id}")


@keys_app.command("create")
def keys_create(
    user: Annotated[str, typer.Option("--user", "-u", help="The user the key acts as.")],
    label: Annotated[str | None, typer.Option(help="A note to tell keys apart.")] = None,
    home: HomeOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Create an API key; it is printed once and only its hash is stored."""
    from sitr.moderation.accounts import create_key
    from sitr.moderation.errors import ModerationError

    db = _database(_settings(home, database_url))
    try:
        key = create_key(db, user, label)
    except ModerationError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    typer.echo(key.key)
    typer.echo(f"key {key.prefix}... for {key.user} ({key.role}); store it now, it is not shown again", err=True)


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's 12-character prefix.")],
    home: HomeOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Revoke every active key with this prefix."""
    from sitr.moderation.accounts import revoke_key

    db = _database(_settings(home, database_url))
    count = revoke_key(db, prefix)
    db.dispose()
    typer.echo(f"{count} key(s) revoked")
    raise typer.Exit(0 if count else 1)


def register(app: typer.Typer) -> None:
    """Mount the service commands into the `sitr` Typer app."""
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
    app.add_typer(audit_app, name="audit")
    app.add_typer(retention_app, name="retention")
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
