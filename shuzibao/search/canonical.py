"""Make Pagefind's output byte-identical from run to run, and from one file system to another.

Pagefind 1.5 numbers the pages in the order the file system lists the documents, which differs
between file systems (ext4 lists by a hash seeded per file system, tmpfs by age), and every index
chunk, filter and sort names a page by its number. So the documents are laid out for it
(`lay_out`): each story's document goes into one of a folder's files 0.html, 1.html, ... made
empty first, the one that folder lists at the story's rank (its place by address). Pagefind then
numbers the pages by address on any file system, and its index chunks, most of a bundle, come
out canonical as they are. Decoding and encoding them again was three quarters of the time a
bundle took to make canonical (4.7 s a month, in C).

What is left to make canonical: each fragment says the file it was read from, `/17.html`, which
is put back to the story's address (the fragments are renamed by their new content hash, and
the metadata file lists them by it), and Pagefind writes its filter files and its metadata file
in hash-map order, which changes every run: they are sorted and written back. Should Pagefind
ever number the pages otherwise than the listing said, the index chunks are numbered again here
(`_renumber_chunk`): the same bundle, but compressed by zlib instead of Pagefind's own deflate.

cbor2 (its C extension) reads and writes the CBOR: Pagefind writes only arrays, integers and text
in these files, which cbor2 gives back byte for byte (tests/test_search.py).

What the files hold, as Pagefind 1.5 writes them (read off its output; tests/test_search.py
searches the rewritten bundles in Chromium): the meta file's [1] is the pages, each [fragment
hash, word count], numbered by their place; [2] the index chunks, each [first word, last word,
hash]; [3] the filters, each [name, hash]; [4] the sorts, each [name, page numbers in order];
[5] the metadata fields. An index chunk is [words], each [word, [[page number as the difference
from the previous entry's, locations, ...], ...], ...]; a filter is [name, [[value, [page
numbers, ascending]], ...]]; a fragment is JSON that begins {"url":"...".
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

import cbor2

MAGIC = b"pagefind_dcd"
URL = MAGIC + b'{"url":"'  # how every fragment begins
PAGES = "pages.json"  # beside the laid-out documents: [file name, address] by rank
by_page = itemgetter(0)  # an index entry: [page number, locations...]


def lay_out(documents: Iterable[tuple[str, bytes]], folder: Path) -> None:
    """The documents (path under the month, bytes) as files the folder lists in the order of
    their paths, and the list of which file holds which story (PAGES)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ranked = sorted(documents)
    for number in range(len(ranked)):
        (folder / f"{number}.html").touch()
    listed = [entry.name for entry in os.scandir(folder)]  # the order Pagefind will read them in
    pages = []
    for name, (path, data) in zip(listed, ranked, strict=True):
        with open(folder / name, "r+b") as file:  # written in place: the listing stays as it was read
            file.write(data)
        pages.append([name, "/" + path])
    (folder / PAGES).write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")


def pages_of(folder: Path) -> list[list[str]]:
    result: list[list[str]] = json.loads((folder / PAGES).read_text(encoding="utf-8"))
    return result


def canonicalize(bundle: Path, pages: list[list[str]]) -> None:
    """The bundle Pagefind made from documents laid out as `pages` says, made canonical."""
    rank = {f"/{name}": (place, address) for place, (name, address) in enumerate(pages)}
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        fragments, number = _addressed_fragments(bundle, meta[1], rank)
        meta[1] = _write_fragments(bundle, fragments, language)
        if any(old != new for old, new in number.items()):
            aside = {chunk[2]: _set_aside(bundle / "index" / f"{chunk[2]}.pf_index") for chunk in meta[2]}
            chunk_names: set[str] = set()
            for chunk in meta[2]:
                chunk[2] = _renumber_chunk(aside[chunk[2]], number, language, chunk_names)
        filters = {old_hash: _read(_set_aside(bundle / "filter" / f"{old_hash}.pf_filter")) for _name, old_hash in meta[3]}
        renamed: dict[str, str] = {}
        filter_names: set[str] = set()
        for old_hash, content in sorted(filters.items(), key=lambda item: item[1][0]):  # by the filter's name
            content[1].sort(key=lambda value: value[0])
            for value in content[1]:
                value[1] = sorted(number[page] for page in value[1])
            renamed[old_hash] = _write_hashed(bundle, content, language, 7, "filter/{}.pf_filter", filter_names)
        meta[3] = sorted([name, renamed[h]] for name, h in meta[3])
        for sort in meta[4]:
            sort[1] = [number[page] for page in sort[1]]
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        meta[5] = sorted(meta[5])
        info["hash"] = _write_hashed(bundle, meta, language, 15, "pagefind.{}.pf_meta", set())
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _addressed_fragments(bundle: Path, listed: list[list[Any]], rank: dict[str, tuple[int, str]]) -> tuple[list[tuple[bytes, int]], dict[int, int]]:
    """Each page's fragment with the story's address in it, in the order of the addresses (with
    its word count); and each page's number in that order, by its number in Pagefind's."""
    found = []
    for old, (fragment_hash, word_count) in enumerate(listed):
        path = bundle / "fragment" / f"{fragment_hash}.pf_fragment"
        data = gzip.decompress(path.read_bytes())
        path.unlink()
        assert data.startswith(URL), f"not a Pagefind fragment: {path}"
        end = data.index(b'"', len(URL))
        place, address = rank[data[len(URL) : end].decode()]
        found.append((place, old, URL + json.dumps(address, ensure_ascii=False)[1:-1].encode() + data[end:], word_count))
    found.sort()  # a story with no word to index has no page: the numbers are the places of those with one
    return [(data, words) for _, _, data, words in found], {old: new for new, (_, old, _, _) in enumerate(found)}


def _write_fragments(bundle: Path, fragments: list[tuple[bytes, int]], language: str) -> list[list[Any]]:
    """The fragments written under names from their content hash (`_unique_name`); the metadata's
    pages, [name, word count] each."""
    taken: set[str] = set()
    pages: list[list[Any]] = []
    for data, word_count in fragments:
        name = _unique_name(language, hashlib.sha256(data).hexdigest(), 7, taken)
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
        pages.append([name, word_count])
    return pages


def _set_aside(path: Path) -> Path:
    """A file of Pagefind's, renamed so that no file written in its place can take its name before it is read."""
    return path.rename(path.with_name(path.name + ".old"))


def _renumber_chunk(path: Path, number: dict[int, int], language: str, taken: set[str]) -> str:
    """An index chunk (set aside) with its pages numbered anew; its new hash."""
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
    return _write_hashed(path.parent.parent, content, language, 7, "index/{}.pf_index", taken)


def _read(path: Path) -> Any:
    """A file of Pagefind's, decoded; the file is removed (what is made of it is written under a new name)."""
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(MAGIC), f"not a Pagefind file: {path}"
    path.unlink()
    return cbor2.loads(data[len(MAGIC) :])


def _write_hashed(bundle: Path, value: Any, language: str, digits: int, pattern: str, taken: set[str]) -> str:
    """`value` written under a name from its content hash (`_unique_name`); the name."""
    raw = MAGIC + cbor2.dumps(value)
    name = _unique_name(language, hashlib.sha256(raw).hexdigest(), digits, taken)
    (bundle / pattern.format(name)).write_bytes(gzip.compress(raw, compresslevel=6, mtime=0))  # zlib's default
    return name


def _unique_name(language: str, digest: str, digits: int, taken: set[str]) -> str:
    """language_ and the digest's first digits, as many more as it takes to differ from the names
    already `taken` (which it joins), as Pagefind does: a month's 1,900 fragments would share a
    7-digit name about once in 150 months."""
    while f"{language}_{digest[:digits]}" in taken:
        digits += 1
    taken.add(f"{language}_{digest[:digits]}")
    return f"{language}_{digest[:digits]}"


if __name__ == "__main__":  # the preview's way in (search/pagefind.py): a bundle made canonical in a process of its own
    canonicalize(Path(sys.argv[1]), pages_of(Path(sys.argv[2])))
