"""An exclusive lock on a preview's folder, on every system.

Where the system has POSIX advisory locks (Linux, macOS) the lock is `flock` on the folder's lock
file: the kernel lets it go when the process ends, however it ends. Elsewhere (Windows has no
`fcntl`) the lock is a file made with O_EXCL that holds the owner's process id; one left by a
process that is no longer running is stale and taken over.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

from ..build.publishing import running

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # the name stays, to say which branch runs

POSIX = fcntl is not None


class Held:
    """A lock that is held; `release()` lets it go."""

    def __init__(self, path: Path, file: IO[str] | None):
        self.path, self.file = path, file

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing the file lets the flock go
        else:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def still_there(self, path: Path) -> bool:
        """Whether `path` is still the lock taken (a folder renamed away meanwhile is not)."""
        try:
            if self.file is not None:
                return os.path.samestat(os.fstat(self.file.fileno()), path.stat())
            return path.read_text(encoding="ascii").strip() == str(os.getpid())
        except OSError:
            return False

    def __enter__(self) -> Held:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def acquire(path: Path) -> Held | None:
    """Take the lock `path` (a file in the folder it locks), or None when another process holds it."""
    if POSIX:
        file = open(path, "a")  # noqa: SIM115 (held open as long as the lock)
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            file.close()
            return None
        return Held(path, file)
    return _acquire_by_file(path.with_name(path.name + ".pid"))


def _acquire_by_file(path: Path) -> Held | None:
    for _ in range(2):  # once more after taking over a stale lock
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if _running(_owner(path)):
                return None
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(str(os.getpid()))
        return Held(path, None)
    return None


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _running(pid: int | None) -> bool:
    return pid is not None and running(pid)
