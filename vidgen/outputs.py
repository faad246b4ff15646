"""A build's outputs change together or not at all.

Each build writes its files (video, subtitles, chapters, contact sheet, build.json) into a
folder of its own, `OUT/.builds/NAME/ID/`, and switches it in with one rename(2): a new
symbolic link `OUT/NAME -> .builds/NAME/ID` renamed over the old one. rename(2) replaces
its target atomically, so anyone opening `OUT/NAME/NAME.mp4` finds the previous set or the
new one, never a mix, even if the build is killed (or the machine loses power) at any
moment. Older sets are removed after the switch.

A set is locked (flock on its folder) by the build writing it until it is switched in, so
the clean-up after a switch tells a killed build's leftovers from another build's work in
progress (the kernel drops a dead process's locks). An output folder from before sets existed (a real folder) is swapped for the
link once, with renameat2(RENAME_EXCHANGE) where the file system has it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vidgen.errors import BuildError

SETS = ".builds"
LINK = ".link"


def sets_folder(link: Path) -> Path:
    """Where the sets of `OUT/NAME` live: `OUT/.builds/NAME/`."""
    return link.parent / SETS / link.name


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One switch-and-clean at a time per output name (two builds of one storyboard)."""
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names at once (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first))


def current_set(link: Path) -> Path | None:
    """The set `OUT/NAME` points at now, or None."""
    if not link.is_symlink():
        return None
    return (link.parent / os.readlink(link)).resolve()


class OutputSet:
    """A new set of outputs for `OUT/NAME`: write into `folder`, then `publish()`."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.home = sets_folder(link)
        self.home.mkdir(parents=True, exist_ok=True)
        self.id = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}"
        self.folder = self.home / self.id
        self.folder.mkdir()
        # Held until the set is switched in or this process ends: while it is held, no
        # clean-up takes the set for a killed build's leftovers.
        self._lock = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without flock: the set is simply never taken for a leftover

    def publish(self) -> Path:
        """Switch the set in with one rename; remove older sets. Returns `OUT/NAME`."""
        for path in self.folder.rglob("*"):
            if path.is_file():
                _fsync(path)  # the files reach the disk before the link that names them
        _fsync(self.folder, directory=True)
        staged_link = self.home / (self.id + LINK)
        with _locked(self.home):  # (a link made outside it could be cleaned away by another build)
            try:
                os.symlink(os.path.relpath(self.folder, self.link.parent), staged_link)
            except OSError as error:
                if error.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise BuildError(f"the file system of {self.link.parent} cannot hold symbolic links, which vidgen switches finished outputs in with; choose another --out") from None
                raise
            if self.link.is_dir() and not self.link.is_symlink():
                self._replace_real_folder(staged_link)
            else:
                os.rename(staged_link, self.link)  # the switch
            _fsync(self.link.parent, directory=True)
            self._release()
            clean_sets(self.link)
        return self.link

    def _replace_real_folder(self, staged_link: Path) -> None:
        """`OUT/NAME` is a folder from before sets existed: swap the link in for it."""
        if _exchange(staged_link, self.link):
            retired = staged_link  # the old folder now has the link's name
        else:  # one moment without OUT/NAME, once per output folder
            retired = self.home / f"{self.id}-retired"
            os.rename(self.link, retired)
            os.rename(staged_link, self.link)
        shutil.rmtree(retired, ignore_errors=True)

    def _release(self) -> None:
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1

    def discard(self) -> None:
        """Remove the set unless it was switched in (the build failed or was interrupted).
        Asked of the link itself: an interrupt may land just after the switch."""
        self._release()
        if current_set(self.link) == self.folder.resolve():
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.home / (self.id + LINK)).unlink(missing_ok=True)


def _abandoned(folder: Path) -> bool:
    """Whether no live build is writing this set."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def clean_sets(link: Path) -> None:
    """Remove every set of `OUT/NAME` but the current one and those still being written,
    and the links a killed switch left behind. The caller holds the lock."""
    home = sets_folder(link)
    current = current_set(link)
    for entry in home.iterdir():
        if entry.name == ".lock" or entry.resolve() == current:
            continue
        if entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif entry.is_dir() and _abandoned(entry):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def new_output_set(link: Path) -> Iterator[OutputSet]:
    """A set to write into; removed again unless the block publishes it."""
    outputs = OutputSet(link)
    try:
        yield outputs
    finally:
        outputs.discard()
