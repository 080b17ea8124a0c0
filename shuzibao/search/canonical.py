"""Make Pagefind's output byte-identical from run to run, and from one file system to another.

Pagefind 1.5 writes its filter files and its metadata file in hash-map order, which changes
every run. And it numbers the pages in the order the file system lists the documents, which
differs between file systems (ext4 lists by a hash seeded per file system, tmpfs by age), so
every index chunk, filter and sort that names a page by its number differs too. We read those
files (gzip, then `pagefind_dcd` and CBOR), number the pages by their fragments' content hashes,
sort what is unordered, write them back, and name them by their new content hash, as Pagefind
does. Fragments name no page number: they stay as they are. Only the small CBOR subset Pagefind
writes is handled.

What the files hold, as Pagefind 1.5 writes them (read off its output; tests/test_search.py
searches the rewritten bundles in Chromium): the meta file's [1] is the pages, each [fragment
hash, word count], numbered by their place; [2] the index chunks, each [first word, last word,
hash]; [3] the filters, each [name, hash]; [4] the sorts, each [name, page numbers in order];
[5] the metadata fields. An index chunk is [words], each [word, [[page number as the difference
from the previous entry's, locations, ...], ...], ...]; a filter is [name, [[value, [page
numbers, ascending]], ...]].
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

MAGIC = b"pagefind_dcd"


def canonicalize(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        order = sorted(range(len(meta[1])), key=lambda page: meta[1][page])  # by fragment hash
        number = {old: new for new, old in enumerate(order)}
        meta[1] = [meta[1][old] for old in order]
        for chunk in meta[2]:
            chunk[2] = _renumber_chunk(bundle / "index" / f"{chunk[2]}.pf_index", number, language)
        renamed = {}
        for filter_entry in meta[3]:
            _name, old_hash = filter_entry
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            content = _read(old_path)
            content[1].sort(key=lambda value: value[0])
            for value in content[1]:
                value[1] = sorted(number[page] for page in value[1])
            new_hash = _write_hashed(old_path, content, language, 7, "filter/{}.pf_filter")
            renamed[old_hash] = new_hash
        meta[3] = sorted([name, renamed[h]] for name, h in meta[3])
        for sort in meta[4]:
            sort[1] = [number[page] for page in sort[1]]
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        meta[5] = sorted(meta[5])
        info["hash"] = _write_hashed(meta_path, meta, language, 15, "pagefind.{}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _renumber_chunk(path: Path, number: dict[int, int], language: str) -> str:
    """An index chunk with its pages numbered anew; its new hash."""
    content = _read(path)
    for word in content[0]:
        entries, page = [], 0
        for entry in word[1]:
            page += entry[0]  # the numbers are differences
            entries.append([number[page], *entry[1:]])
        entries.sort(key=lambda entry: entry[0])
        previous = 0
        for entry in entries:
            entry[0], previous = entry[0] - previous, entry[0]
        word[1] = entries
    return _write_hashed(path, content, language, 7, "index/{}.pf_index")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(MAGIC), f"not a Pagefind file: {path}"
    value, _ = _decode(data, len(MAGIC))
    return value


def _write_hashed(old: Path, value: Any, language: str, digits: int, pattern: str) -> str:
    raw = MAGIC + _encode(value)
    name = f"{language}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    old.unlink()
    bundle = old.parent.parent if old.parent.name in ("filter", "index") else old.parent
    (bundle / pattern.format(name)).write_bytes(gzip.compress(raw, mtime=0))
    return name


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], at
        size = {25: 2, 26: 4, 27: 8}[info]
        value = struct.unpack({2: ">e", 4: ">f", 8: ">d"}[size], data[at : at + size])[0]
        return _Float(value, size), at + size
    if info < 24:
        argument = info
    else:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 2:
        return bytes(data[at : at + argument]), at + argument
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    items = []
    for _ in range(argument * (2 if major == 5 else 1)):
        item, at = _decode(data, at)
        items.append(item)
    if major == 5:
        return _Map(zip(items[::2], items[1::2], strict=False)), at
    return items, at


class _Map(list[tuple[Any, Any]]):
    """A CBOR map kept as its pairs, in order."""


class _Float:
    def __init__(self, value: float, size: int):
        self.value, self.size = value, size


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, _Float):
        return bytes([0xE0 | {2: 25, 4: 26, 8: 27}[value.size]]) + struct.pack({2: ">e", 4: ">f", 8: ">d"}[value.size], value.value)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value)
    return _head(4, len(value)) + b"".join(_encode(item) for item in value)
