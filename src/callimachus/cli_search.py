"""``callimachus search``: rebuild the search index from the database, and check it."""

from __future__ import annotations

import sys
from typing import Any

import click


@click.group()
def search() -> None:
    """Maintain the search index (CALLIMACHUS_SEARCH_URL)."""


@search.command("reindex")
@click.option("--clear", is_flag=True, help="Empty the index first (searches find nothing until it is done).")
@click.option("--batch-size", type=int, default=1000, show_default=True, help="Concepts per index write.")
@click.pass_obj
def reindex_command(state: Any, clear: bool, batch_size: int) -> None:
    """Rebuild the index from the database; searches keep working while it runs."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from callimachus.services.search import reindex

    ctx = state.ctx
    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("concepts"), TimeRemainingColumn())
    with Progress(*columns, transient=not sys.stderr.isatty()) as bar:
        task = bar.add_task("indexing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = reindex(ctx, clear=clear, batch_size=batch_size, progress=progress)
    click.echo(
        f"Indexed {report.documents} documents of {report.concepts} concepts"
        + (f"; removed {report.removed_concepts} concepts no longer in the database" if report.removed_concepts else "")
        + "."
    )


@search.command("check")
@click.option("--fix", is_flag=True, help="Re-index the concepts that differ.")
@click.option("--limit", type=int, default=20, show_default=True, help="Differences listed per kind.")
@click.pass_obj
def check_command(state: Any, fix: bool, limit: int) -> None:
    """Report differences between the database and the index (exit status 1 if any)."""
    from callimachus.services.search import check

    report = check(state.ctx, fix=fix)
    if report.ok:
        click.echo(f"The index matches the database ({report.documents} documents).")
        return
    for label, found in (("missing from the index", report.missing), ("in the index only", report.extra), ("outdated in the index", report.stale)):
        if found:
            shown = ", ".join(f"{'draft' if draft else 'record'} {recid}" for recid, draft in found[:limit])
            more = f" and {len(found) - limit} more" if len(found) > limit else ""
            click.echo(f"{len(found)} {label}: {shown}{more}")
    if fix:
        click.echo(f"Re-indexed {len(report.parents)} concepts.")
        return
    click.echo("Run `callimachus search check --fix` (or `callimachus search reindex`) to repair.")
    sys.exit(1)
