"""Reporting commands mounted into `sitr`: `report`, `audit consistency`, `audit agreement`, `demo seed`.

`register(app)` adds them; the `audit` group is shared with the service's `audit verify`, so it is looked up
among the app's groups and created only when absent. Output never contains personal data.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data folder (SITR_HOME).")]
DbOpt = Annotated[str | None, typer.Option("--database-url", help="Database URL (SITR_DATABASE_URL).")]

demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _settings(home: Path | None, database_url: str | None) -> Any:
    from sitr.config import ConfigError, load_settings

    try:
        return load_settings(home=home, database_url=database_url)
    except ConfigError as exc:
        raise _fail(str(exc)) from None


def _database(settings: Any, *, migrate_sqlite: bool) -> Any:
    from sitr.store import migrate
    from sitr.store.db import Database

    db = Database(settings.database_url)
    if not migrate.is_up_to_date(db.engine):
        if settings.is_sqlite and migrate_sqlite:
            migrate.upgrade(db.engine)
        else:
            db.dispose()
            raise _fail("the database schema is not up to date: run `sitr db upgrade`")
    return db


def parse_bound(text: str, *, end: bool) -> datetime:
    """A date (whole day: `--to` includes it) or an ISO date-time (taken as given, UTC if no zone)."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(f"not a date: {text!r} (use YYYY-MM-DD)") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def report(
    date_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD) or ISO date-time.")],
    date_to: Annotated[str, typer.Option("--to", help="Last day, included (YYYY-MM-DD), or ISO date-time.")],
    scope: Annotated[str, typer.Option(help="global | region:MENA | region:EU | country:EG")] = "global",
    fmt: Annotated[str, typer.Option("--format", help="html | csv | json | dsa-csv | santa-clara")] = "html",
    lang: Annotated[str, typer.Option("--lang", help="Language of the HTML report: en | fr | ar.")] = "en",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    threshold: Annotated[int, typer.Option(min=1, help="Smallest count shown.")] = 10,
    epsilon: Annotated[float | None, typer.Option(help="Add Laplace noise with this epsilon per count.")] = None,
    service: Annotated[str, typer.Option(help="Service name printed in the report.")] = "sitr",
    home: HomeOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Transparency report for a period and scope, from the event log, with small counts protected."""
    from sitr.report.build import ReportOptions
    from sitr.report.dsa_report import categories_from_policy
    from sitr.report.metrics import Period
    from sitr.report.render import FORMATS, render, report_from_db
    from sitr.report.scope import ScopeError, parse_scope

    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}")
    if lang not in ("en", "fr", "ar"):
        raise _fail("--lang must be en, fr or ar")
    if epsilon is not None and epsilon <= 0:
        raise _fail("--epsilon must be positive")
    try:
        where = parse_scope(scope)
        period = Period(parse_bound(date_from, end=False), parse_bound(date_to, end=True))
    except (ScopeError, ValueError) as exc:
        raise _fail(str(exc)) from None
    settings = _settings(home, database_url)
    db = _database(settings, migrate_sqlite=False)
    try:
        built = report_from_db(db, period, where, ReportOptions(threshold=threshold, epsilon=epsilon, service=service))
    finally:
        db.dispose()
    categories = None
    if fmt == "dsa-csv":
        from sitr.policy import load_policy

        categories = categories_from_policy(load_policy(settings.policy_path))
    text = render(built, fmt, lang=lang, categories=categories)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"report written to {output}", err=True)


def audit_consistency(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL in the threat-set format.")],
    bound: Annotated[float, typer.Option(help="Flag a disparity ratio above this.")] = 1.25,
    min_n: Annotated[int, typer.Option("--min-n", min=1, help="Smallest group compared for disparity.")] = 10,
    enforcement: Annotated[str, typer.Option(help="What counts as intervening: action+review | action.")] = (
        "action+review"
    ),
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples (seed fixed).")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """False-positive and false-negative rates per language and variety, disparity, and own-speech removals."""
    from sitr.audit.consistency import audit_consistency as run
    from sitr.audit.consistency import read_labelled

    if not data.is_file():
        raise _fail(f"no such file: {data}")
    if enforcement not in ("action+review", "action"):
        raise _fail("--enforcement must be action+review or action")
    try:
        items = read_labelled(data)
    except (ValueError, json.JSONDecodeError) as exc:
        raise _fail(str(exc)) from None
    positive = ("action", "review") if enforcement == "action+review" else ("action",)
    result = run(items, positive=positive, bound=bound, min_n=min_n, resamples=resamples)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_consistency(result)


def _pct(value: float | None, ci: list[float] | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value * 100:.1f}%"
    return text + (f" [{ci[0] * 100:.1f}-{ci[1] * 100:.1f}]" if ci else "")


def _print_consistency(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 130))
    table = Table("group", "n", "FPR [95% CI]", "FNR [95% CI]", "action", "review", "none",
                  title=f"consistency over {result['items']} items (intervening = {'+'.join(result['enforcement'])})")
    for section in ("languages", "varieties"):
        for name, g in result[section].items():
            table.add_row(name, str(g["n"]), _pct(g["fpr"], g["fpr_ci95"]), _pct(g["fnr"], g["fnr_ci95"]),
                          _pct(g["rate_action"]), _pct(g["rate_review"]), _pct(g["rate_none"]))
        table.add_section()
    g = result["overall"]
    table.add_row("all", str(g["n"]), _pct(g["fpr"], g["fpr_ci95"]), _pct(g["fnr"], g["fnr_ci95"]),
                  _pct(g["rate_action"]), _pct(g["rate_review"]), _pct(g["rate_none"]))
    console.print(table)
    for metric, d in result["disparity"].items():
        if d["ratio"] is None:
            console.print(f"{metric.upper()} disparity: not enough groups with n >= {result['min_n']}")
            continue
        mark = "[bold red]FLAG[/]" if d["flag"] else "ok"
        console.print(
            f"{metric.upper()} disparity {d['ratio']:.2f}x (bound {result['bound']}): worst {d['worst']['group']} "
            f"{_pct(d['worst']['rate'])}, best {d['best']['group']} {_pct(d['best']['rate'])}  {mark}"
        )
    own = result["own_speech"]
    console.print(
        f"over-enforcement of LGBT people's own speech (self-disclosure, reclaimed terms, advocacy): "
        f"{_pct(own['over_enforcement_rate'], own['ci95'])} of {own['n']} items"
    )


def audit_agreement(
    home: HomeOpt = None,
    database_url: DbOpt = None,
    min_units: Annotated[int, typer.Option(min=2, help="Smallest number of items to compute alpha on.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Inter-reviewer agreement (Krippendorff's alpha, nominal) per language, from items two reviewers ruled on."""
    from sitr.audit.agreement import agreement, units_from_records
    from sitr.report.records import stream_records

    db = _database(_settings(home, database_url), migrate_sqlite=False)
    try:
        with db.read() as session:
            units = units_from_records(stream_records(session))
    finally:
        db.dispose()
    result = agreement(units, min_units=min_units)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for name, g in [("all", result["overall"]), *result["languages"].items()]:
        alpha = "-" if g["alpha"] is None else f"{g['alpha']:.3f}"
        ci = f" [{g['ci95'][0]:.3f}, {g['ci95'][1]:.3f}]" if g["ci95"] else ""
        typer.echo(f"{name:10} units {g['units']:6}  alpha {alpha}{ci}")


@demo_app.command("seed")
def demo_seed(
    days: Annotated[int, typer.Option(min=1, max=730, help="Days of activity.")] = 120,
    items_per_day: Annotated[int, typer.Option("--items-per-day", min=1, max=5000)] = 40,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 7,
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD).")] = "2025-09-01",
    analyzer: Annotated[str, typer.Option(help="planned (scores from the demo plan) | pipeline (real sitr).")] = (
        "planned"
    ),
    home: HomeOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Fill an empty database with months of fictional activity through the moderation services."""
    from sqlalchemy import func, select

    from sitr.demo.seed import SeedConfig
    from sitr.demo.seed import seed as run_seed
    from sitr.moderation.context import Services
    from sitr.store.models import Event

    if analyzer not in ("planned", "pipeline"):
        raise _fail("--analyzer must be planned or pipeline")
    settings = _settings(home, database_url)
    db = _database(settings, migrate_sqlite=True)
    try:
        with db.read() as session:
            if (session.scalar(select(func.count()).select_from(Event)) or 0) > 0:
                raise _fail("the database already has events; demo data goes into an empty one")
        svc = Services.from_settings(settings, db=db)
        config = SeedConfig(start=parse_bound(start, end=False), days=days, items_per_day=items_per_day, seed=seed)
        ledger = run_seed(svc, config, planned=analyzer == "planned")
    finally:
        db.dispose()
    typer.echo(json.dumps(ledger.summary(), indent=2))


def _audit_group(app: typer.Typer) -> typer.Typer:
    for info in app.registered_groups:
        if info.name == "audit" and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help="Audit the moderation log and sitr's consistency.", no_args_is_help=True)
    app.add_typer(group, name="audit")
    return group


def register(app: typer.Typer) -> None:
    """Mount `report`, `audit consistency|agreement` and `demo seed` into the `sitr` app."""
    app.command("report")(report)
    audit = _audit_group(app)
    audit.command("consistency")(audit_consistency)
    audit.command("agreement")(audit_agreement)
    app.add_typer(demo_app, name="demo")
