"""`sitr hash`, `sitr match` and `sitr bank ...`: the media commands, as Typer pieces the main CLI mounts.

Mount with `register(app)` (adds `hash`, `match` and the `bank` group to the `sitr` Typer app), or run `app`
here on its own. Configuration follows sitr's scheme: `--db` overrides `SITR_DATABASE_URL`, which overrides
`sqlite:///$SITR_HOME/sitr.db` (SITR_HOME defaults to ./sitr-data).
Bad input never produces a traceback: each image or hash that cannot be used is reported with its reason and the
command exits with status 1 (2 for usage errors); images are read, hashed and forgotten, never stored.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import sessionmaker

from sitr.media.banks import PURPOSES, BankError, BankStore
from sitr.media.hma_csv import CsvFormatError
from sitr.media.images import ImageError, read_image_file
from sitr.media.index import DEFAULT_MAX_DISTANCE
from sitr.media.pdq import DIHEDRAL_NAMES, MIN_QUALITY, PdqHash, hash_image, is_hex_hash, normalize_hex

app = typer.Typer(help="Known-image matching with PDQ hash banks.", no_args_is_help=True)
bank_app = typer.Typer(help="Create, fill, empty and export hash banks.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: $SITR_DATABASE_URL or $SITR_HOME/sitr.db).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def database_url(override: str | None = None) -> str:
    if override:
        return override
    env = os.environ.get("SITR_DATABASE_URL")
    if env:
        return env
    home = Path(os.environ.get("SITR_HOME", "sitr-data"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'sitr.db'}"


def open_store(db: str | None) -> BankStore:
    """The bank store on sitr's own database, with the schema brought up to date by the same Alembic migrations
    `sitr db upgrade` and `sitr serve` use (so the bank tables and the service's tables never disagree)."""
    from sitr.config import load_settings
    from sitr.store import migrate
    from sitr.store.db import Database

    settings = load_settings(database_url=database_url(db))
    database = Database(settings.database_url)
    if not migrate.is_up_to_date(database.engine):
        if not settings.is_sqlite:
            raise _fail("the database schema is not up to date: run `sitr db upgrade` first")
        migrate.upgrade(database.engine)
    return BankStore(sessionmaker(database.engine, expire_on_commit=False))


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _hash_file(path: str, *, dihedral: bool = True) -> PdqHash:
    """Hash an image file; `dihedral` also hashes its rotations and flips (needed to query, not to bank)."""
    return hash_image(read_image_file(path), dihedral=dihedral)


@app.command("hash")
def hash_cmd(
    images: Annotated[list[str], typer.Argument(help="Image files to hash.")],
    dihedral: Annotated[bool, typer.Option(help="Also print the hashes of the 8 rotations and flips.")] = True,
    as_json: JsonOption = False,
) -> None:
    """PDQ hash (64 hex characters) and quality of each image, with its rotations and flips."""
    failed = False
    for path in images:
        try:
            h = _hash_file(path, dihedral=dihedral)
        except ImageError as exc:
            failed = True
            if as_json:
                typer.echo(json.dumps({"file": path, "error": exc.reason, "message": str(exc)}))
            else:
                typer.echo(f"{path}\terror: {exc}", err=True)
            continue
        if as_json:
            typer.echo(json.dumps({"file": path, **h.to_dict()}))
        else:
            note = "" if h.reliable else f"\t(low quality, below {MIN_QUALITY})"
            typer.echo(f"{path}\t{h.hash}\tquality={h.quality}{note}")
            for name, value in zip(DIHEDRAL_NAMES[1:], h.dihedral[1:], strict=False):
                typer.echo(f"  {name:<12}{value}")
    if failed:
        raise typer.Exit(1)


def _hashes_from_targets(
    targets: list[str], *, allow_low_quality: bool, dihedral: bool = True
) -> tuple[list[tuple[str, PdqHash]], list[str]]:
    """Each target is a 64-hex hash or an image file; returns (target, hash) pairs and one error per failure."""
    out: list[tuple[str, PdqHash]] = []
    errors: list[str] = []
    for t in targets:
        if is_hex_hash(t):
            out.append((t, PdqHash(normalize_hex(t), quality=100)))
            continue
        try:
            h = _hash_file(t, dihedral=dihedral)
        except ImageError as exc:
            errors.append(f"{t}: {exc}")
            continue
        if not h.reliable and not allow_low_quality:
            errors.append(f"{t}: hash quality {h.quality} is below {MIN_QUALITY} (use --allow-low-quality)")
            continue
        out.append((t, h))
    return out, errors


@app.command("match")
def match_cmd(
    targets: Annotated[list[str], typer.Argument(help="Images or 64-hex PDQ hashes to look up.")],
    distance: Annotated[int, typer.Option(help="Maximum Hamming distance.", min=0, max=256)] = DEFAULT_MAX_DISTANCE,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Look images or hashes up in every enabled bank; images are matched through all 8 rotations and flips."""
    hashes, errors = _hashes_from_targets(targets, allow_low_quality=True)
    for e in errors:
        typer.echo(f"error: {e}", err=True)
    index = open_store(db).index()
    any_match = False
    for target, h in hashes:
        found = index.match_image(h, distance)
        any_match = any_match or bool(found)
        if as_json:
            typer.echo(json.dumps({"target": target, "pdq": h.hash, "matches": [m.to_dict() for m in found]}))
        elif not found:
            typer.echo(f"{target}\tno match")
        else:
            for m in found:
                typer.echo(f"{target}\t{m.bank}\t{m.purpose}\tdistance={m.distance}\t{m.pdq}")
    if errors:
        raise typer.Exit(1)


@bank_app.command("create")
def bank_create(
    name: str,
    purpose: Annotated[str, typer.Option(help=f"One of: {', '.join(PURPOSES)}.")],
    threat: Annotated[str | None, typer.Option(help="Threat a match is evidence of (default by purpose).")] = None,
    description: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
) -> None:
    """Create an empty bank."""
    try:
        info = open_store(db).create_bank(name, purpose, threat=threat, description=description)
    except BankError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"created bank {info.name} ({info.purpose}, threat {info.threat})")


@bank_app.command("add")
def bank_add(
    name: str,
    targets: Annotated[list[str], typer.Argument(help="64-hex PDQ hashes or image files.")],
    allow_low_quality: Annotated[bool, typer.Option(help="Accept images whose hash quality is below 50.")] = False,
    db: DbOption = None,
) -> None:
    """Add hashes, or images (hashed here; the image itself is never stored)."""
    # A bank keeps the image's own hash; rotated and mirrored copies are caught on the query side.
    hashes, errors = _hashes_from_targets(targets, allow_low_quality=allow_low_quality, dihedral=False)
    for e in errors:
        typer.echo(f"error: {e}", err=True)
    if hashes:
        try:
            res = open_store(db).add_hashes(name, [h for _, h in hashes], added_by="cli")
        except BankError as exc:
            raise _fail(str(exc)) from None
        typer.echo(f"added {res.added}, already present {res.duplicates}")
    if errors:
        raise typer.Exit(1)


@bank_app.command("remove")
def bank_remove(name: str, hashes: list[str], db: DbOption = None) -> None:
    """Remove hashes from a bank."""
    bad = [h for h in hashes if not is_hex_hash(h)]
    if bad:
        raise _fail(f"{len(bad)} argument(s) are not 64-hex PDQ hashes", 2)
    try:
        n = open_store(db).remove_hashes(name, hashes)
    except BankError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"removed {n}")


@bank_app.command("import")
def bank_import(
    name: str,
    csv_file: Annotated[Path, typer.Argument(help="Hash list in HMA's CSV (hash,id,timestamp,tags).")],
    db: DbOption = None,
) -> None:
    """Import an HMA hash-list CSV into a bank (all-or-nothing: a bad row rejects the file)."""
    try:
        with csv_file.open(encoding="utf-8", newline="") as f:
            res = open_store(db).import_csv(name, f, added_by="cli")
    except (CsvFormatError, BankError) as exc:
        raise _fail(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read {csv_file}: {type(exc).__name__}") from None
    typer.echo(f"imported {res.added}, already present {res.duplicates}")


@bank_app.command("export")
def bank_export(
    name: str,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Export a bank as an HMA hash-list CSV."""
    store = open_store(db)
    try:
        store.get_bank(name)
        if output is None:
            store.export_csv(name, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as f:
                n = store.export_csv(name, f)
            typer.echo(f"exported {n} hashes to {output}", err=True)
    except BankError as exc:
        raise _fail(str(exc)) from None


@bank_app.command("clear")
def bank_clear(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Remove every hash from a bank (the bank stays)."""
    if not yes and not typer.confirm(f"Remove every hash from bank {name}?"):
        raise typer.Exit(1)
    try:
        n = open_store(db).clear(name)
    except BankError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"removed {n}")


@bank_app.command("delete")
def bank_delete(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete a bank and all its hashes."""
    if not yes and not typer.confirm(f"Delete bank {name} and its hashes?"):
        raise typer.Exit(1)
    try:
        n = open_store(db).delete_bank(name)
    except BankError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"deleted bank {name} ({n} hashes)")


@bank_app.command("list")
def bank_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List banks with their purpose and size."""
    banks = open_store(db).list_banks()
    if as_json:
        typer.echo(json.dumps([b.to_dict() for b in banks]))
        return
    for b in banks:
        state = "" if b.enabled else "\t(disabled)"
        typer.echo(f"{b.name}\t{b.purpose}\t{b.threat}\t{b.size} hashes{state}")


@bank_app.command("enable")
def bank_enable(name: str, db: DbOption = None) -> None:
    """Use a bank for matching again."""
    try:
        open_store(db).set_enabled(name, True)
    except BankError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"enabled {name}")


@bank_app.command("disable")
def bank_disable(name: str, db: DbOption = None) -> None:
    """Stop matching against a bank without deleting it."""
    try:
        open_store(db).set_enabled(name, False)
    except BankError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"disabled {name}")


def register(parent: typer.Typer) -> None:
    """Mount `hash`, `match` and the `bank` group on the main `sitr` app."""
    parent.command("hash")(hash_cmd)
    parent.command("match")(match_cmd)
    parent.add_typer(bank_app, name="bank")


def main() -> None:
    app()
