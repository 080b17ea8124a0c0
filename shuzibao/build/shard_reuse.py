"""Search made once per content: a month's bundle is made again only when what goes into it changed.

The build cache is trusted only when nothing else changed (a changed template means a full
build). A search bundle depends on much less: the month's search documents, Pagefind's version
and our own indexing code (search/). So beside the output a small record keeps a digest of those
for each bundle published. A build whose documents for a month give the same digest takes that
bundle from the published output as it is (hard links into the new output), which is byte for
byte what Pagefind would make again, and runs Pagefind only for the others. The record is tied
to the output by its token, as the build cache is, and written once the output is whole.

A worker packs an issue's documents into one file and gives its digest (`pack`); a month's
digest is made of its issues' (`month_digest`), and only a month Pagefind indexes is unpacked
into the files Pagefind reads (`unpack`). So a build whose stories did not change writes one
file per issue for search, not one per story: a year's 22,000 documents took 8 s to write on our
VM's disk, a decade's more than a minute.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import marshal
import os
import shutil
from pathlib import Path

from .. import search


def location(out: Path) -> Path:
    out = out.resolve()
    return out.parent / f".{out.name}.search"


def indexer() -> str:
    """What makes a bundle from its documents besides them: Pagefind, and our code that runs it
    and makes its output the same on every machine (with cbor2, which rewrites it)."""
    hasher = hashlib.blake2b(digest_size=12)
    hasher.update(importlib.metadata.version("pagefind-bin").encode())
    hasher.update(importlib.metadata.version("cbor2").encode())
    for module in sorted(Path(search.__file__).parent.glob("*.py")):
        hasher.update(module.read_bytes())
    return hasher.hexdigest()


PACKS = "packs"  # in the build's scratch folder, beside the months' folders


def pack_of(scratch: Path, folder: str) -> Path:
    return scratch / PACKS / f"{folder}.pack"


Documents = list[tuple[str, bytes]]  # (path in the month's folder, the document), an issue's


def pack(documents: Documents, target: Path) -> str:
    """An issue's documents in one file; their digest (every path and its bytes)."""
    documents = sorted(documents)
    hasher = hashlib.blake2b(digest_size=16)
    for path, data in documents:
        hasher.update(f"{path}\n{len(data)}\n".encode())
        hasher.update(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(marshal.dumps(documents))
    return hasher.hexdigest()


def month_digest(issues: dict[str, str], making: str) -> str:
    """A month's documents, from its issues' digests (issue folder -> digest), and the indexer."""
    return hashlib.blake2b(repr((making, sorted(issues.items()))).encode(), digest_size=16).hexdigest()


def unpack(packs: list[Path], folder: Path) -> None:
    """The documents of these packs, as the files Pagefind reads, into the month's folder."""
    for packed in packs:
        for path, data in marshal.loads(packed.read_bytes()):
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def read(out: Path, token: str | None) -> dict[str, str]:
    """Bundle path -> digest, for the bundles of the output with this token; empty otherwise."""
    try:
        data = json.loads(location(out).read_text(encoding="utf-8"))
        if token is None or data["token"] != token:
            return {}
        return {str(k): str(v) for k, v in data["bundles"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write(out: Path, token: str, bundles: dict[str, str]) -> None:
    place = location(out)
    temporary = place.with_name(place.name + ".tmp")
    temporary.write_text(json.dumps({"token": token, "bundles": dict(sorted(bundles.items()))}, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, place)


def link_tree(source: Path, target: Path) -> int:
    """A folder's files as hard links (copies where links cannot be made); the number of files."""
    count = 0
    for folder, _, names in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(Path(folder) / name, into / name)
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(Path(folder) / name, into / name)
            count += 1
    return count
