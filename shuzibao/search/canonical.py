"""Make Pagefind's output byte-identical from run to run, and from one file system to another.

Pagefind 1.5 writes its filter files and its metadata file in hash-map order, which changes
every run. And it numbers the pages in the order the file system lists the documents, which
differs between file systems (ext4 lists by a hash seeded per file system, tmpfs by age), so
every index chunk, filter and sort that names a page by its number differs too. We read those
files (gzip, then `pagefind_dcd` and CBOR), number the pages by their fragments' content hashes,
sort what is unordered, write them back, and name them by their new content hash, as Pagefind
does. Fragments name no page number: they stay as they are. cbor2 (its C extension) reads and
writes the CBOR: Pagefind writes only arrays, integers and text in these files, which cbor2 gives
back byte for byte (tests/test_search.py); decoding them in Python was about half of a month's indexing.

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
import sys
from operator import itemgetter
from pathlib import Path
from typing import Any

import cbor2

MAGIC = b"pagefind_dcd"
by_page = itemgetter(0)  # an index entry: [page number, locations...]


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
        entries, page = word[1], 0
        for entry in entries:
            page += entry[0]  # the numbers are differences
            entry[0] = number[page]
        entries.sort(key=by_page)
        previous = 0
        for entry in entries:
            entry[0], previous = entry[0] - previous, entry[0]
    return _write_hashed(path, content, language, 7, "index/{}.pf_index")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(MAGIC), f"not a Pagefind file: {path}"
    return cbor2.loads(data[len(MAGIC) :])


def _write_hashed(old: Path, value: Any, language: str, digits: int, pattern: str) -> str:
    raw = MAGIC + cbor2.dumps(value)
    name = f"{language}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    old.unlink()
    bundle = old.parent.parent if old.parent.name in ("filter", "index") else old.parent
    (bundle / pattern.format(name)).write_bytes(gzip.compress(raw, compresslevel=6, mtime=0))  # zlib's default, as Pagefind's own
    return name


if __name__ == "__main__":  # the preview's way in (search/pagefind.py): a bundle made canonical in a process of its own
    canonicalize(Path(sys.argv[1]))
