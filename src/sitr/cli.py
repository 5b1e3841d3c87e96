"""The `sitr` command: scan, analyze, eval and train here; the service, policy, audit and image-bank commands
are mounted from their own modules so each stays small."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    name="sitr",
    help="sitr: detect, decide, review and report entrapment, extortion, harassment, doxxing and outing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
err = Console(stderr=True)


@app.command()
def scan(
    source: Annotated[str, typer.Argument(help="JSONL file of items, or - for standard input.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write assessments here instead of stdout.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Processes to use.")] = 1,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr (files only).")] = True,
    banks: Annotated[
        bool,
        typer.Option(
            "--banks",
            help='Match items\' "images" (file paths or base64) against the hash banks of the database '
            "(SITR_DATABASE_URL / SITR_HOME, or --db) and fuse the media signal.",
        ),
    ] = False,
    db: Annotated[str | None, typer.Option(help="Database URL for --banks.")] = None,
) -> None:
    """Assess every JSONL item: one JSON assessment (or error record) per line, in input order.

    Bad lines never stop the run; the exit code is 1 at the end if any line failed.
    """
    from sitr.models.threat_model import ModelMissingError
    from sitr.scan import iter_lines, scan_encoded

    if source == "-":
        fh: IO[bytes] = sys.stdin.buffer
        total = None
    else:
        path = Path(source)
        if not path.is_file():
            err.print(f"[red]error:[/] no such file: {source}")
            raise typer.Exit(2)
        fh = path.open("rb")
        total = path.stat().st_size
    media = _media_matcher(db) if banks else None
    out: IO[bytes] = output.open("wb") if output else sys.stdout.buffer
    failed = 0
    count = 0
    try:
        lines = iter_lines(fh)
        results = scan_encoded(lines, workers=workers, media=media)
        if progress and total is not None and sys.stderr.isatty():
            results = _with_progress(results, fh, total)
        for ok, line in results:
            count += 1
            if not ok:
                failed += 1
            out.write(line)
    except ModelMissingError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    finally:
        if output:
            out.close()
        if fh is not sys.stdin.buffer:
            fh.close()
    err.print(f"{count} lines, {count - failed} assessed, {failed} failed")
    if failed:
        raise typer.Exit(1)


def _media_matcher(db: str | None) -> Any:
    """Load the bank index once; return a function from an item's JSON to its media signal."""
    from sitr.media.cli import open_store
    from sitr.media.images import load_item_images
    from sitr.media.signal import media_signal

    index = open_store(db).index()

    def match(data: dict[str, Any]) -> Any:
        return media_signal(load_item_images(data, allow_paths=True), index)

    return match


def _with_progress(results: Any, fh: IO[bytes], total: int) -> Any:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("scanning"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
        console=err, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("scan", total=total)
        for n, record in enumerate(results):
            if n % 64 == 0:
                bar.update(task, completed=fh.tell())
            yield record


@app.command()
def analyze(
    text: Annotated[str | None, typer.Argument(help="The text to assess.")] = None,
    conversation: Annotated[
        Path | None,
        typer.Option(help='JSON file: a list of {"from", "text"} messages, or an item with "messages".'),
    ] = None,
    target: Annotated[str, typer.Option(help="Sender id of the protected user in the conversation.")] = "u",
    as_json: Annotated[bool, typer.Option("--json", help="Print the assessment as JSON.")] = False,
) -> None:
    """Assess one text or conversation and show threats, scores and evidence."""
    from sitr.pipeline import analyze as run
    from sitr.types import Item, ItemError

    try:
        if conversation is not None:
            data = json.loads(conversation.read_text("utf-8"))
            if isinstance(data, list):
                data = {"id": "cli", "messages": data, "target": target}
            data.setdefault("id", "cli")
            item = Item.from_dict(data)
        elif text is not None:
            item = Item.from_dict({"id": "cli", "text": text})
        else:
            err.print("[red]error:[/] give a text or --conversation FILE")
            raise typer.Exit(2)
    except (ItemError, json.JSONDecodeError, OSError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    assessment = run(item)
    if as_json:
        print(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"language [bold]{assessment.lang}[/]  variety [bold]{assessment.variety}[/]")
    table = Table("threat", "score", "level", "detected", "evidence")
    segments = item.segments()
    for signal in assessment.signals:
        ts = assessment.threats[signal.threat]
        evidence = "; ".join(
            f"{s.kind}: {_excerpt(segments[s.message or 0], s.start, s.end)}"
            + (f" (message {s.message})" if s.message is not None else "")
            for s in signal.spans[:6]
        )
        style = "bold red" if ts.detected else ""
        table.add_row(signal.threat, f"{ts.score:.2f}", ts.level, "yes" if ts.detected else "no", evidence, style=style)
    console.print(table)


def _excerpt(text: str, start: int, end: int) -> str:
    piece = text[start:end]
    return piece if len(piece) <= 40 else piece[:37] + "..."


@app.command("eval")
def evaluate(
    source: Annotated[Path, typer.Argument(help="Labelled data: threat JSONL, OSACT TSV, or CSV text,offensive.")],
    part: Annotated[
        str, typer.Option(help="For the threat set: validation, train or all (split by id hash).")
    ] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Precision, recall and F1 per threat, language group and variety; false positives on benign items."""
    from sitr.evaluation.runner import evaluate_file, render

    if not source.is_file():
        err.print(f"[red]error:[/] no such file: {source}")
        raise typer.Exit(2)
    if part not in ("validation", "train", "all"):
        err.print("[red]error:[/] --part must be validation, train or all")
        raise typer.Exit(2)
    report = evaluate_file(source, part)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        render(report, Console())


@app.command()
def train(
    data: Annotated[Path | None, typer.Option(help="The shared data folder (default: ../shared/data).")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the model (default: inside the package).")] = None,
    oof: Annotated[
        Path | None,
        typer.Option(help="Also write out-of-fold probabilities of the training items (JSONL, error analysis)."),
    ] = None,
) -> None:
    """Rebuild the threat model from the data, reproducibly (fixed seeds)."""
    from sitr.models.train import train as run_train

    run_train(data, out, progress=lambda m: err.print(m), oof_file=oof)


def _mount_optional() -> None:
    """Sub-commands that live in their own modules (service, policy, media)."""
    import importlib

    for module, attr, name in (
        ("sitr.policy.cli", "app", "policy"),
        ("sitr.service_cli", None, None),
        ("sitr.media.cli", None, None),
        ("sitr.report_cli", None, None),
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                continue
            raise
        if attr is not None and name is not None:
            app.add_typer(getattr(mod, attr), name=name)
        elif hasattr(mod, "register"):
            mod.register(app)


_mount_optional()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
