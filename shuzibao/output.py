"""Write the site into a fresh folder beside the output, and swap it in only when all went well.

A failed build removes its own folder and leaves the published output byte for byte as it was.
The output folder carries a marker file, so that a build never replaces a folder it did not make.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

MARKER = ".shuzibao-output"


class NotOurFolder(Exception):
    pass


class Staging:
    """`with Staging(out) as stage: stage.write(...)`; the swap happens when the block succeeds."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.folder = self.out.parent / f".{self.out.name}.new-{os.getpid()}"
        self.scratch = self.out.parent / f".{self.out.name}.scratch-{os.getpid()}"  # search documents, never published
        self.files = 0

    def __enter__(self) -> Staging:
        if self.out.exists() and any(self.out.iterdir()) and not (self.out / MARKER).exists():
            raise NotOurFolder(str(self.out))
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.folder.mkdir(parents=True)
        (self.folder / MARKER).write_text("made by shuzibao; replaced whole by every build\n")
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
        shutil.rmtree(self.scratch, ignore_errors=True)
        if kind is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            os.rename(self.out, old)
        os.rename(self.folder, self.out)
        shutil.rmtree(old, ignore_errors=True)
