"""Putting a build in place, all or nothing, even when the build fails or is killed halfway.

A full build swaps its folder and the output in one step (an atomic exchange of the two names
where the system has one: Linux's renameat2; elsewhere two renames, which `recover` completes).
A cached build changes only some files of the output, so it keeps a journal beside it first:
every path it will remove or replace, and every path it will add. The old files are moved aside
into the journal's folder before the new ones are moved in; the journal is marked committed when
all are. A merge that fails is rolled back at once; one that was killed is rolled back by the
next build's `recover`, before that build reads anything. So the published site is, at every
moment outside a merge and after any failure, byte for byte either the old build or the new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

JOURNAL = "journal.json"
COMMITTED = "committed"


def undo_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.undo"


def work_folders(out: Path) -> list[Path]:
    """Folders a build makes beside the output: staging (.new), search documents (.scratch), the
    old output during a swap (.old), each named with its build's process id, and the old output
    being deleted after it (.trash), named with the deleting process's id."""
    return sorted(p for p in out.parent.glob(f".{out.name}.*-*") if p.is_dir() and p.name.rsplit("-", 1)[-1].isdigit())


def running(pid: int) -> bool:
    """Whether a process with this id is running (on Windows, os.kill(pid, 0) would send Ctrl-C)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]  # only on Windows
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and belongs to someone else
        return True
    return True


# --- a full build: swap -------------------------------------------------------------------------


def _exchange(one: Path, other: Path) -> bool:
    """Swap two folders' names in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if renameat2(at_cwd, os.fsencode(one), at_cwd, os.fsencode(other), exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: a file system or kernel without it
        return False
    raise OSError(error, os.strerror(error), str(one))


def swap(new: Path, out: Path, old: Path) -> None:
    """Put `new` in the place of `out`. The old output ends up in `new` (after an exchange) or in
    `old`: the caller deletes both."""
    if not out.exists():
        os.rename(new, out)
    elif not _exchange(new, out):  # two steps: `recover` undoes the first if the build dies between them
        os.rename(out, old)
        try:
            os.rename(new, out)
        except OSError:
            os.rename(old, out)
            raise


def discard(folder: Path) -> None:
    """Delete the old output after a swap in a process of its own, at the lowest priority, which
    outlives the build: the new site is published already, and deleting the old one took 8 s of
    a year's full build on our VM (a decade's is half a million files). A build that starts before
    it is done finds the folder and deletes what is left itself (`recover`)."""
    if folder.exists():
        subprocess.Popen([sys.executable, "-P", __file__, str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _delete_as_trash(folder: Path) -> None:
    """Named for this process first, so that a build's `recover` leaves it to us while we run."""
    with contextlib.suppress(OSError):
        os.nice(19)
    trash = folder.with_name(f"{folder.name.rsplit('.', 1)[0]}.trash-{os.getpid()}")
    try:
        os.rename(folder, trash)
    except OSError:
        return  # gone already, or taken by a build's recover
    shutil.rmtree(trash, ignore_errors=True)


# --- a cached build: merge with a journal -------------------------------------------------------


@dataclass
class Journal:
    """What a merge will do, written down before it starts (paths relative to the output)."""

    moved: list[str]  # removed or replaced: moved aside, shallowest first
    added: list[str]  # the staged files, moved in
    created: list[str]  # folders the added files need that the output will not have, deepest first

    def write(self, undo: Path) -> None:
        undo.mkdir(parents=True)
        with open(undo / JOURNAL, "w", encoding="utf-8") as file:
            json.dump({"moved": self.moved, "added": self.added, "created": self.created}, file)
            file.flush()
            os.fsync(file.fileno())

    @staticmethod
    def read(undo: Path) -> Journal:
        data = json.loads((undo / JOURNAL).read_text(encoding="utf-8"))
        return Journal(data["moved"], data["added"], data["created"])


def plan_merge(out: Path, staged: Path, removed: set[str]) -> Journal:
    """The journal of merging the files under `staged` into `out`, deleting `removed`."""
    added = sorted(Path(folder, name).relative_to(staged).as_posix() for folder, _, names in os.walk(staged) for name in names)
    gone = [p for p in sorted({r.rstrip("/") for r in removed}) if (out / p).exists() or (out / p).is_symlink()]  # a folder may end in /
    replaced = [p for p in added if (out / p).exists() and not any(_within(p, r) for r in gone)]
    moved = _shallowest(gone + replaced)
    needed = {str(parent) for p in added for parent in Path(p).parents if str(parent) != "."}
    created = [d for d in needed if not (out / d).is_dir() or any(_within(d, r) for r in moved)]
    return Journal(moved, added, sorted(created, key=lambda d: -d.count("/")))


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def _shallowest(paths: list[str]) -> list[str]:
    """The paths, without those inside another of them (moving the folder moves them)."""
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda p: (p.count("/"), p)):
        if not any(_within(path, k) for k in kept):
            kept.append(path)
    return kept


def merge(out: Path, staged: Path, removed: set[str]) -> None:
    """Move the staged files into `out` and delete `removed`, all or nothing."""
    undo = undo_folder(out)
    journal = plan_merge(out, staged, removed)
    journal.write(undo)
    try:
        for path in journal.moved:
            (undo / "files" / path).parent.mkdir(parents=True, exist_ok=True)
            os.rename(out / path, undo / "files" / path)
        for path in journal.added:
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged / path, out / path)
        (undo / COMMITTED).touch()
    except BaseException:
        roll_back(out)
        raise
    shutil.rmtree(undo)


def roll_back(out: Path) -> None:
    """Undo a merge that did not finish, from its journal; finish one that committed."""
    undo = undo_folder(out)
    if not (undo / JOURNAL).is_file() or (undo / COMMITTED).exists():
        shutil.rmtree(undo, ignore_errors=True)
        return
    journal, saved = Journal.read(undo), undo / "files"
    for path in journal.added:
        old_kept_aside = (saved / path).exists() or any(_within(path, m) for m in journal.moved if (saved / m).exists())
        if old_kept_aside or not any(_within(path, m) for m in journal.moved):
            (out / path).unlink(missing_ok=True)  # the new file, or nothing; never the only old copy
    for folder in journal.created:
        with contextlib.suppress(OSError):
            (out / folder).rmdir()  # only when empty: it held added files alone
    for path in journal.moved:
        if (saved / path).exists() or (saved / path).is_symlink():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            if (out / path).is_dir() and not (out / path).is_symlink():
                shutil.rmtree(out / path)  # a folder the merge had started to fill again
            os.replace(saved / path, out / path)
    shutil.rmtree(undo, ignore_errors=True)


# --- the next build ------------------------------------------------------------------------------


def recover(out: Path) -> None:
    """Before a build reads anything: roll back a merge a killed build left, finish or undo a
    swap it left halfway, and delete the work folders of builds that are no longer running."""
    roll_back(out)
    (out.parent / f".{out.name}.cache.tmp").unlink(missing_ok=True)  # a build cache half written (cache.write)
    for folder in work_folders(out):
        kind, pid = folder.name.rsplit(".", 1)[-1].rsplit("-", 1)
        if running(int(pid)):
            continue
        if kind == "old" and not out.exists():
            os.rename(folder, out)  # killed between a swap's two steps: the old output comes back
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # discard(): python publishing.py FOLDER
    _delete_as_trash(Path(sys.argv[1]))
