"""Conversions kept from one build to the next, an issue and a script at a time.

After a template, theme or masthead change every page is rendered again, but no story changed:
OpenCC's work (a quarter of a build's) would be done again for the same text. So each batch
a converter sends to OpenCC is remembered by a digest of what went in (the text, the variant's
settings, the glossary, our dictionaries and code, OpenCC's version) beside the output
(dist/ -> .dist.conversions/, one file per issue and script), and the next build takes it from
there. A changed story, glossary or dictionary gives another digest, so nothing stale is ever
taken; a build that renders an issue whole keeps only what it used, so the files do not grow.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import marshal
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

Converted = list[list[str]]  # what Converter.many returns


@functools.cache
def program() -> bytes:
    """What a conversion depends on besides its text and settings: our code and dictionaries,
    OpenCC and Python (marshal's format)."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{sys.version}|{importlib.metadata.version('opencc')}".encode())
    folder = Path(__file__).parent
    for path in sorted([*folder.glob("*.py"), *folder.glob("dictionaries/*.txt")]):
        hasher.update(path.name.encode() + b"|" + path.read_bytes())
    return hasher.digest()


@dataclass
class Memory:
    """One issue's conversions in one script: those of its last build, and those used now."""

    known: dict[bytes, Converted] = field(default_factory=dict)
    used: dict[bytes, Converted] = field(default_factory=dict)
    recalled: int = 0  # batches taken from `known` instead of OpenCC

    def recall(self, key: bytes) -> Converted | None:
        found = self.known.get(key)
        if found is not None:
            self.used[key] = found
            self.recalled += 1
        return found

    def keep(self, key: bytes, converted: Converted) -> None:
        self.used[key] = converted


def file_of(place: Path, folder: str, script: str) -> Path:
    return place / f"{folder}.{script}"


def load(place: Path, folder: str, script: str) -> Memory:
    """The issue's conversions of its last build; none when there are none or they cannot be
    read (another Python's, or cut short): then OpenCC does the work, as in a first build."""
    try:
        known = marshal.loads(file_of(place, folder, script).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return Memory()
    return Memory(known if isinstance(known, dict) else {})


def save(place: Path, folder: str, script: str, memory: Memory, whole: bool) -> None:
    """What the issue used in this build when it was rendered `whole` (every story converted);
    otherwise that and what was there (a cached build converts only the pages it rewrites)."""
    kept = memory.used if whole else {**memory.known, **memory.used}
    if kept.keys() == memory.known.keys():
        return
    target = file_of(place, folder, script)
    place.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(marshal.dumps(kept))
    os.replace(temporary, target)


def prune(place: Path, folders: list[str]) -> None:
    """Forget the issues that are gone from the content tree (and what a killed build left)."""
    if not place.is_dir():
        return
    present = set(folders)
    for entry in os.scandir(place):
        if entry.name.endswith(".tmp") or entry.name.rsplit(".", 1)[0] not in present:
            Path(entry.path).unlink(missing_ok=True)
