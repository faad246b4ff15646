"""`vidgen cache info|prune|clear`: the content-addressed build cache, seen and tended."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from vidgen.console import console, exit_guarded

cache_app = typer.Typer(help="The build cache: speech, clips, scenes' sound, layout checks and compositions, by content.", no_args_is_help=True)
CacheOption = Annotated[Path, typer.Option("--cache", help="The cache folder.")]


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


@cache_app.command("info")
def cache_info(
    cache: CacheOption = Path("output/.cache"),
    entry: Annotated[Path | None, typer.Option("--entry", help="Show what this entry (a file in the cache) was made with.")] = None,
    recent: Annotated[int, typer.Option("--recent", min=0, help="Also list the entries made or used last, with what made them.")] = 0,
) -> None:
    """How much the cache holds, by kind; what an entry was made with."""
    from vidgen.cache import describe_entry, made_with, recent_entries, usage

    def run() -> None:
        if entry is not None:
            console.print("\n".join(describe_entry(entry)), soft_wrap=True)
            return
        table = Table(title=str(cache), show_edge=False)
        for column in ("kind", "entries", "size"):
            table.add_column(column)
        rows = usage(cache)
        for row in rows:
            table.add_row(row.kind, str(row.entries), _size(row.bytes))
        table.add_row("total", str(sum(r.entries for r in rows)), _size(sum(r.bytes for r in rows)))
        console.print(table)
        if recent:
            listing = Table(title="recent entries", show_edge=False)
            for column in ("entry", "size", "made with"):
                listing.add_column(column)
            for found in recent_entries(cache, recent):
                listing.add_row(f"{found.kind}/{found.path.name}", _size(found.bytes), made_with(found.path))
            console.print(listing)

    exit_guarded(run)


@cache_app.command("prune")
def cache_prune(
    cache: CacheOption = Path("output/.cache"),
    older_than: Annotated[float | None, typer.Option("--older-than", help="Also remove entries unused for this many days.")] = None,
) -> None:
    """Remove what killed builds left behind (and, optionally, entries unused for a while)."""
    from vidgen.cache import prune

    removed, freed = prune(cache, older_than)
    console.print(f"removed {removed} files, freed {_size(freed)}")


@cache_app.command("clear")
def cache_clear(cache: CacheOption = Path("output/.cache")) -> None:
    """Empty the cache: the next build speaks and renders everything again."""
    from vidgen.cache import clear

    console.print(f"freed {_size(clear(cache))}")
