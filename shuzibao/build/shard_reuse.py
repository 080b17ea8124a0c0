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

Nor are the documents made again when nothing they are made from changed (`documents_keys`):
the record keeps each issue's key beside its documents' digest, and a full build after a
template, theme or masthead change takes the digests of whole months whose every issue kept its
key (`known_documents`): at a year, a masthead change took 27 s instead of 35 s.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import marshal
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import search, urls
from ..content import schema
from ..model import Site
from ..search import canonical
from ..search.documents import shard_of


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
        hasher.update(module.name.encode())
        hasher.update(what_code_does(module.read_text(encoding="utf-8")).encode())
    return hasher.hexdigest()


def what_code_does(source: str) -> str:
    """A module's code without its comments, docstrings, layout and line numbers: a reworded
    docstring in search/ must not re-index every month of the archive (38 minutes at ten years)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and ast.get_docstring(node, clean=False) is not None:
            node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)


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
    """The documents of these packs, laid out in the month's folder for Pagefind to read (search/canonical.py)."""
    canonical.lay_out([document for packed in packs for document in marshal.loads(packed.read_bytes())], folder)


@dataclass
class Record:
    """What the last build published, from the record beside the output."""

    bundles: dict[str, str] = field(default_factory=dict)  # bundle path -> digest of its documents and the indexer
    issues: dict[str, tuple[str, str]] = field(default_factory=dict)  # issue folder -> its documents' key and digest ("": none)


def read(out: Path, token: str | None) -> Record:
    """The record of the output with this token; empty for any other, or none."""
    try:
        data = json.loads(location(out).read_text(encoding="utf-8"))
        if token is None or data["token"] != token:
            return Record()
        issues = {str(k): (str(v[0]), str(v[1])) for k, v in data.get("issues", {}).items()}
        return Record({str(k): str(v) for k, v in data["bundles"].items()}, issues)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return Record()


def write(out: Path, token: str, record: Record) -> None:
    place = location(out)
    temporary = place.with_name(place.name + ".tmp")
    data = {"token": token, "bundles": dict(sorted(record.bundles.items())), "issues": {k: list(v) for k, v in sorted(record.issues.items())}}
    temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, place)


def documents_keys(site: Site, stamps: dict[str, str], program: str) -> dict[str, str]:
    """Issue folder -> a key of what its search documents are made from: its files (their stamp),
    our program, its libraries and the build's options (`program`), the indexer, and site.yaml
    but for what no document shows (the masthead's title, logo and lines, and base_url). A
    template, theme or masthead change keeps every key; an edit, a glossary or a script's
    settings change them."""
    shown = replace(site, title="", logo=None, icp=None, police=None, copyright=None, base_url=None)
    common = f"{program}|{indexer()}|{shown!r}|"
    return {folder: hashlib.blake2b((common + stamp).encode(), digest_size=16).hexdigest() for folder, stamp in stamps.items()}


def known_documents(out: Path, record: Record, keys: dict[str, str]) -> dict[str, str]:
    """The issues whose documents need not be made again: folder -> their digest ("": none), for
    each month whose issues are those of its published bundle, each with the key it had then."""
    months: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for folder in keys:
        months.setdefault(shard_of(folder), set()).add(folder)
    for folder in record.issues:
        before.setdefault(shard_of(folder), set()).add(folder)
    making, known = indexer(), {}
    for month, folders in months.items():
        if before.get(month) != folders or any(record.issues[f][0] != keys[f] for f in folders):
            continue
        digests = {f: record.issues[f][1] for f in folders}
        bundle = urls.search_bundle(month)
        stories = {f: d for f, d in digests.items() if d}
        if not stories or (record.bundles.get(bundle) == month_digest(stories, making) and (out / bundle).is_dir()):
            known.update(digests)
    return known


def entries(record: Record, keys: dict[str, str], packed: dict[str, str], touched: set[str] | None) -> dict[str, tuple[str, str]]:
    """Each issue's key and documents' digest, for the record: as made now for the issues of the
    months `touched` (every issue when None: a full build), as recorded for the others."""
    fresh = {f: (key, packed.get(f, "")) for f, key in keys.items() if touched is None or shard_of(f) in touched}
    return {f: fresh[f] if f in fresh else record.issues[f] for f in keys if f in fresh or f in record.issues}


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


def keep_documents(scratch: Path, documents: Path, site: Site, removed: set[str], afresh: bool) -> None:
    """The preview's: the search documents of the pages rewritten, moved where it indexes them
    from, and those of pages removed deleted; `afresh` (a full build) empties that folder first."""
    if afresh:
        shutil.rmtree(documents, ignore_errors=True)
    for folder, _, names in os.walk(scratch):
        into = documents / Path(folder).relative_to(scratch)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(Path(folder) / name, into / name)
    longest_prefix_first = sorted(site.variants, key=lambda v: -len(v.prefix))
    for path in removed:
        variant = next(v for v in longest_prefix_first if path.startswith(v.prefix))
        page = path.removeprefix(variant.prefix)
        if schema.DATE.match(page[:10]):  # a page or a whole issue, not a theme file or a search bundle
            target = documents / shard_of(page) / page  # one document for every script
            shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
