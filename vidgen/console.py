"""How the command line speaks: one console on stderr, and commands run so that user errors
print cleanly (no traceback), interrupts say what they left, and bugs keep their traceback."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from vidgen.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated, VidgenError, machine_fault

# Markup off: messages quote storyboards, and a name like "[/red]" must print as itself,
# not be read as a style (or crash rich). Our own colours go through `_styled`.
console = Console(stderr=True, highlight=False, markup=False)


def _styled(label: str, style: str, text: str = "") -> None:
    """One line: a coloured label, then text printed exactly as it is."""
    console.print(Text.assemble((label, style), f" {text}" if text else ""), soft_wrap=True)


def _interrupted(interrupt: KeyboardInterrupt) -> int:
    what = "terminated" if isinstance(interrupt, Terminated) else "interrupted"
    _styled(f"{what}:", "yellow", "finished outputs are untouched; the next build resumes from the cache")
    return EXIT_TERMINATED if isinstance(interrupt, Terminated) else EXIT_INTERRUPTED


def exit_guarded(action: Callable[[], Any]) -> None:
    """A command's whole run: run_guarded, leaving with its exit status when that is not 0."""
    code = run_guarded(action)
    if code:
        raise typer.Exit(code)


def run_guarded(action: Callable[[], Any]) -> int:
    """Run a command: user errors print cleanly (no traceback), bugs keep theirs."""
    try:
        action()
        return 0
    except VidgenError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            _styled("error:", "red", line)
        return error.exit_code
    except KeyboardInterrupt as interrupt:
        return _interrupted(interrupt)
    except Exception as error:
        fault = machine_fault(error)
        if fault is not None:
            _styled("error:", "red", str(fault))
            return fault.exit_code
        _styled("vidgen hit a bug", "red", "(please report it with this traceback):")
        console.print(traceback.format_exc())
        return EXIT_BUG
