"""Faults: what is wrong with the content, where, and how to fix it.

Every stage collects faults instead of stopping at the first, so that an editor sees all of them
in one run. A fault is printed as `path:line: message`; the path is relative to the content folder.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

EXIT_OK, EXIT_FAULTS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3  # the bug or the machine's, never the content's


@dataclass(frozen=True)
class Fault:
    path: str
    line: int | None
    message: str
    warning: bool = False

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "警告：" if self.warning else ""
        return f"{where}: {prefix}{self.message}"


@dataclass
class Faults:
    """A collector passed to every stage that can find something wrong."""

    items: list[Fault] = field(default_factory=list)

    def add(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Fault(path, line, message))

    def warn(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Fault(path, line, message, warning=True))

    @property
    def errors(self) -> list[Fault]:
        """Each fault once (two checks may find the same one), in the order of the files."""
        return sorted({f for f in self.items if not f.warning}, key=Fault.sort_key)

    @property
    def warnings(self) -> list[Fault]:
        return sorted({f for f in self.items if f.warning}, key=Fault.sort_key)


class ContentError(Exception):
    """Raised when a stage ends with faults; carries all of them."""

    def __init__(self, faults: list[Fault]):
        super().__init__(f"{len(faults)} fault(s)")
        self.faults = faults


def print_faults(faults: list[Fault]) -> None:
    for fault in faults:
        print(fault, file=sys.stderr)
