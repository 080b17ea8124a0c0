"""Write the site into a fresh folder beside the output, and put it in place only when all went well.

A full build's folder replaces the output whole. A cached build's folder holds only what changed:
its files are moved into the output, and the pages that are gone are removed from it, with a
journal that makes the change all or nothing (publishing.py). Either way, a failed build
removes its own folder and leaves the published output byte for byte as it was. The output folder carries a marker file, so that a build never replaces a folder it did not
make; the marker also holds a token that ties the output to its build cache.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from . import publishing

MARKER = ".shuzibao-output"
MARKER_TEXT = "made by shuzibao; replaced whole by every full build\n"


class NotOurFolder(Exception):
    pass


def output_token(out: Path) -> str | None:
    """The token of the build that made `out`, or None."""
    try:
        lines = (out / MARKER).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return lines[1] if len(lines) > 1 else None


class Staging:
    """`with Staging(out, token) as stage: stage.write(...)`; the output changes when the block succeeds.

    With `merge`, the output is updated in place from the staged files instead of replaced. The
    change happens inside `guard` (the preview's lock: no request sees a half-changed site); a
    replacing build carries the folders in `carry` over from the old output (the preview's search
    bundles, which it makes in the background). With `discard_later`, the old output a swap
    replaced is deleted after the build, in the background (publishing.discard)."""

    def __init__(
        self,
        out: Path,
        token: str | None = None,
        merge: bool = False,
        guard: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
        carry: tuple[str, ...] = (),
        discard_later: bool = False,
    ):
        self.out = out.resolve()
        self.token = token or secrets.token_hex(8)
        self.merge = merge
        self.guard, self.carry, self.discard_later = guard, carry, discard_later
        self.folder = self.out.parent / f".{self.out.name}.new-{os.getpid()}"
        self.scratch = self.out.parent / f".{self.out.name}.scratch-{os.getpid()}"  # search documents, never published
        self.removed: set[str] = set()  # with merge: output paths (files or folders) to delete
        self.files = 0

    def __enter__(self) -> Staging:
        if self.out.exists() and any(self.out.iterdir()) and not (self.out / MARKER).exists():
            raise NotOurFolder(str(self.out))
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.scratch.mkdir(parents=True)
        if not self.merge:
            (self.folder / MARKER).write_text(MARKER_TEXT + self.token + "\n", encoding="utf-8")
        return self

    def write(self, path: str, data: bytes) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.files += 1

    def copy(self, source: Path, path: str) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.files += 1

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if kind is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        swapped = False
        try:
            with self.guard():
                if self.merge:
                    publishing.merge(self.out, self.folder, self.removed)
                else:
                    self._carry()
                    publishing.swap(self.folder, self.out, old)
                    swapped = True
        except OSError as failed:
            raise PublishFailed(failed) from failed
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
            for done_with in (self.folder, old):  # after an exchange the old output is in self.folder
                if swapped and self.discard_later:
                    publishing.discard(done_with)
                else:
                    shutil.rmtree(done_with, ignore_errors=True)

    def _carry(self) -> None:
        for path in self.carry:
            if (self.out / path).exists() and not (self.folder / path).exists():
                (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
                os.rename(self.out / path, self.folder / path)


class PublishFailed(Exception):
    """The machine would not let the build put its files in place (a folder it may not write, a
    full disk); the published output is as it was."""

    def __init__(self, error: OSError):
        where = error.filename or ""
        super().__init__(f"无法写入{f' {where}' if where else ''}（{error.strerror or error}）")
