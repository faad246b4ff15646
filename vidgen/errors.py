"""The few exception types vidgen raises on purpose.

User mistakes (a bad storyboard, a bad option) exit with code 2 and print
`file:line:col: message` without a traceback; build failures (an engine that cannot
speak, an encoder that dies) exit with 1 and a one-paragraph reason. Anything else is a
bug and keeps its traceback (exit 3), following pre-commit's convention.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_BUILD_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs."""


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a source file, as editors show it."""

    file: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return str(self.file)
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One thing wrong with the input: where, what, what was expected, and a hint."""

    message: str
    location: Location | None = None
    expected: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        text = self.message
        if self.expected:
            text += f"; expected {self.expected}"
        if self.hint:
            text += f" ({self.hint})"
        text = _printable(text)
        return f"{self.location}: {text}" if self.location else text


def _printable(text: str) -> str:
    """Control characters from an untrusted file shown as escapes: they must neither
    break the one-line-per-problem form nor drive the user's terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class VidgenError(Exception):
    """Base of the errors vidgen reports to the user without a traceback."""

    exit_code = EXIT_BUILD_FAILED


@dataclass
class StoryboardError(VidgenError):
    """The input is invalid: every problem found is listed, each with its position."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    exit_code = EXIT_USER_ERROR

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)

    @classmethod
    def single(
        cls,
        message: str,
        location: Location | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> StoryboardError:
        return cls([Diagnostic(message, location, expected, hint)])


class UsageError(VidgenError):
    """A command-line option or argument that cannot be honoured."""

    exit_code = EXIT_USER_ERROR


class BuildError(VidgenError):
    """A stage failed on valid input: the reason names the stage and the cause."""


class SpeechError(BuildError):
    """No engine in the voice's chain could speak a beat."""


class RenderError(BuildError):
    """Manim failed to render a scene."""


class MediaError(BuildError):
    """ffmpeg or PyAV failed while reading or writing media."""


class Interrupted(VidgenError):
    """A build stopped because the whole run was interrupted (another thread saw Ctrl-C)."""

    exit_code = EXIT_INTERRUPTED


_MACHINE_FAULTS = {
    errno.ENOSPC: "the disk is full: free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied: check the folder's permissions",
    errno.EPERM: "permission denied: check the folder's permissions",
    errno.EIO: "the disk reported an input/output error",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n)",
}


def machine_fault(error: BaseException) -> BuildError | None:
    """An OSError caused by the machine (a full disk, a read-only folder), as a build
    failure with advice; None for anything else, which is a bug."""
    if not isinstance(error, OSError) or error.errno not in _MACHINE_FAULTS:
        return None
    where = f" ({error.filename})" if error.filename else ""
    return BuildError(f"{_MACHINE_FAULTS[error.errno]}{where}")
