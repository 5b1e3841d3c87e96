"""`sitr policy ...`: check a policy file before it goes live, and show what a policy will do."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sitr.policy.engine import PolicyError, check_command, default_policy_path, load_policy
from sitr.types import THREATS

app = typer.Typer(help="Check and inspect moderation policies.", no_args_is_help=True)


@app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The policy YAML file to check.")],
) -> None:
    """Report YAML errors, schema errors, bad thresholds and missing ar/fr/en texts, with line numbers."""
    raise typer.Exit(check_command(file))


@app.command("show")
def show(
    file: Annotated[Path | None, typer.Argument(help="Policy file (default: $SITR_POLICY or the shipped one).")] = None,
) -> None:
    """Print the thresholds, actions, deadlines and DSA mapping of a policy."""
    try:
        policy = load_policy(file)
    except PolicyError as exc:
        for line in exc.errors:
            typer.echo(line, err=True)
        raise typer.Exit(1) from None
    console = Console()
    console.print(f"[bold]{policy.name}[/] version {policy.version}, effective {policy.effective_from}")
    console.print(f"file: {file or default_policy_path()}")
    table = Table("threat", "review at", "auto at", "severity", "deadline", "auto actions", "DSA category")
    for t in THREATS:
        r = policy.threats[t]
        auto = list(r.actions_auto)
        auto += [f for f in ("notify_target", "offer_protection") if getattr(r, f) and f not in auto]
        category = r.dsa_category.removeprefix("STATEMENT_CATEGORY_").lower()
        table.add_row(
            t,
            f"{r.review_at:g}",
            f"{r.auto_action_at:g}",
            str(r.severity),
            f"{r.review_deadline_minutes} min",
            ", ".join(auto),
            f"{category} / {r.dsa_category_specification}",
        )
    console.print(table)
