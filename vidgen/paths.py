"""Where outputs go, kept inside the output folder, and files written atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from vidgen.errors import UsageError

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def output_folder(out_dir: Path, name: str) -> Path:
    """`out_dir/name`, refusing names that could escape `out_dir` (`..`, `/`, absolute).
    The name itself is not resolved: it is the link to the current set (vidgen.outputs)."""
    if not _NAME_RE.match(name) or name in (".", "..") or ".." in name:
        raise UsageError(f"{name!r} cannot name an output folder; use letters, digits, '-', '_' and '.'")
    root = out_dir.resolve()
    folder = root / name
    if folder.parent != root:
        raise UsageError(f"output folder {folder} is not inside {root}")
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_beside(out: Path) -> Path:
    """Where a tool writes `out` before it is renamed into place: beside it, named for this
    process, keeping its suffix (ffmpeg chooses the format by it)."""
    return out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")


def make_temp(path: Path) -> Path:
    """A new empty file beside `path`, with the permissions a plain open() would give."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes files private; outputs should not be
    return Path(temp)


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write through a temporary file in the same folder, then rename over `path`."""
    temp = make_temp(path)
    try:
        with open(temp, "wb") as stream:
            stream.write(data.encode() if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def write_json(path: Path, value: Any) -> Path:
    return write_atomic(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def user_cache() -> Path:
    """vidgen's folder in the user's cache (XDG): what is derived from installed files, not
    from a project (an optimised voice model), and shared by every project."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vidgen"
