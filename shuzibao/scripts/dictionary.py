"""The newsroom's phrase dictionary, loaded into OpenCC's own chain.

OpenCC converts by maximum matching over its phrase tables, so a short phrase can swallow the
first character of the next word (并发 in 并发布, 个中 in 一个中国) and a one-to-many character
takes the form of whatever phrase matched. Our entries (dictionaries/*.txt) join OpenCC's: the
shared one (news.txt) goes into the first stage of s2t, s2tw and s2hk, beside STPhrases, where
the longest match wins and, at equal length, ours; a regional one (s2tw.txt, s2hk.txt) goes in
front of that config's variant stage. The conversion stays OpenCC's; where a phrase of ours
matches, ours is used.

OpenCC needs its dictionaries named by absolute path, and a text dictionary without comments,
so each config is written out once (a JSON config naming OpenCC's own files and clean copies of
ours) into a folder named by the digest of all of it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import opencc

FOLDER = Path(__file__).parent / "dictionaries"
SHARED = "news.txt"
EXTENDED = ("s2t", "s2tw", "s2hk")  # the configs our dictionary extends; any other is OpenCC's alone


class Engine(Protocol):
    """What we use of OpenCC (its binding has no type hints)."""

    def convert(self, text: str) -> str: ...


@dataclass(frozen=True)
class Entry:
    phrase: str  # simplified, as the source has it
    form: str  # OpenCC's standard traditional (news.txt) or the region's form (s2tw.txt, s2hk.txt)
    file: str
    line: int


class BadDictionary(Exception):
    """A dictionary file of the program is malformed: a fault of the program, never of the content."""


def read(name: str) -> list[Entry]:
    """A dictionary file's entries: `phrase<TAB>form`, an optional `# comment` after; blank and
    comment lines skipped. A form has as many characters as its phrase (the converter cuts the
    converted text back where its pieces were)."""
    path = FOLDER / name
    if not path.exists():
        return []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0] or len(fields[0]) != len(fields[1].strip()):
            raise BadDictionary(f"{path}:{number}: an entry is a phrase, a tab and a form of the same length")
        phrase, form = fields[0], fields[1].strip()
        if phrase in seen:
            raise BadDictionary(f"{path}:{number}: {phrase} is already on line {seen[phrase]}")
        seen[phrase] = number
        entries.append(Entry(phrase, form, name, number))
    return entries


def entries(config: str) -> list[Entry]:
    """Every entry that takes part in `config`: the shared ones, then the region's."""
    return [*read(SHARED), *read(f"{config}.txt")] if config in EXTENDED else []


@functools.cache
def engine(config: str, stock: bool = False) -> Engine:
    """OpenCC for `config`, with our dictionary in its chain unless `stock`."""
    if stock or config not in EXTENDED:
        return opencc.OpenCC(config)
    return opencc.OpenCC(str(written_config(config)))


def share_folder() -> Path:
    """Where the OpenCC wheel keeps its configs and compiled dictionaries."""
    folder = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    if not (folder / "s2t.json").exists():
        raise BadDictionary(f"OpenCC's own dictionaries are not in {folder}")
    return folder


def chain(config: str, share: Path, shared: Path, regional: Path | None) -> dict[str, Any]:
    """OpenCC's config for `config`, its files named by absolute path, ours added."""
    settings: dict[str, Any] = json.loads((share / f"{config}.json").read_text(encoding="utf-8"))
    _absolute(settings, share)
    ours = {"type": "text", "file": str(shared)}
    segmentation = settings.get("segmentation", {}).get("dict")
    if segmentation is not None:
        settings["segmentation"]["dict"] = _first({"type": "group", "match_policy": "union", "dicts": [segmentation]}, ours)
    stages = settings["conversion_chain"]
    stages[0]["dict"] = _phrases_first(stages[0]["dict"], ours)
    if regional is not None and len(stages) > 1:
        stages[1]["dict"] = {"type": "group", "match_policy": "short_circuit", "dicts": [{"type": "text", "file": str(regional)}, stages[1]["dict"]]}
    return settings


def _absolute(node: Any, share: Path) -> None:
    if isinstance(node, dict):
        if node.get("type") in ("ocd2", "ocd", "text") and "file" in node:
            node["file"] = str(share / node["file"])
        for value in node.values():
            _absolute(value, share)
    elif isinstance(node, list):
        for value in node:
            _absolute(value, share)


def _first(group: dict[str, Any], ours: dict[str, str]) -> dict[str, Any]:
    group["dicts"].insert(0, ours)
    return group


def _phrases_first(stage: dict[str, Any], ours: dict[str, str]) -> dict[str, Any]:
    """Ours into the union group of OpenCC's phrase tables (longest match wins; ours at equal
    length, being first), or, in a chain laid out otherwise, in front of the whole stage."""
    for item in stage.get("dicts", []):
        if item.get("type") == "group" and item.get("match_policy") == "union":
            item["dicts"].insert(0, ours)
            return stage
    return {"type": "group", "match_policy": "union", "dicts": [ours, stage]}


def written_config(config: str) -> Path:
    """The config file for `config` with our dictionary, written once per content."""
    share = share_folder()
    shared = _tsv(read(SHARED))
    regional_entries = read(f"{config}.txt")
    regional = _tsv(regional_entries) if regional_entries else None
    digest = hashlib.blake2b(repr((config, str(share), (share / f"{config}.json").read_bytes(), shared, regional)).encode(), digest_size=10).hexdigest()
    folder = _writable(_cache_folder() / digest)
    names = {"news.tsv": shared, **({f"{config}.tsv": regional} if regional is not None else {})}
    settings = chain(config, share, folder / "news.tsv", folder / f"{config}.tsv" if regional is not None else None)
    _write_once(folder, {**names, f"{config}.json": json.dumps(settings, ensure_ascii=False, indent=1)})
    return folder / f"{config}.json"


def _tsv(found: list[Entry]) -> str:
    return "".join(f"{e.phrase}\t{e.form}\n" for e in found)


def _cache_folder() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "shuzibao" / "opencc"


def _writable(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:  # no writable cache folder (a read-only home): a private one for this run
        return Path(tempfile.mkdtemp(prefix="shuzibao-opencc-"))


def _write_once(folder: Path, files: dict[str, str]) -> None:
    """Each file written whole under a temporary name and renamed, so that two builds at once
    (or a build killed halfway) never leave OpenCC a half-written file."""
    for name, text in files.items():
        target = folder / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
