"""Make Pagefind's output byte-identical from run to run.

Pagefind 1.5 writes its filter files and its metadata file in hash-map order, which changes
every run; the index chunks and fragments are already stable. We read those files (gzip, then
`pagefind_dcd` and CBOR), sort what is unordered, write them back, and name them by their new
content hash, as Pagefind does. Only the small CBOR subset Pagefind writes is handled.
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
        renamed = {}
        for filter_entry in meta[3]:
            _name, old_hash = filter_entry
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            content = _read(old_path)
            content[1].sort(key=lambda value: value[0])
            new_hash = _write_hashed(old_path, content, language, 7, "filter/{}.pf_filter")
            renamed[old_hash] = new_hash
        meta[3] = sorted([name, renamed[h]] for name, h in meta[3])
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        meta[5] = sorted(meta[5])
        info["hash"] = _write_hashed(meta_path, meta, language, 15, "pagefind.{}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(MAGIC), f"not a Pagefind file: {path}"
    value, _ = _decode(data, len(MAGIC))
    return value


def _write_hashed(old: Path, value: Any, language: str, digits: int, pattern: str) -> str:
    raw = MAGIC + _encode(value)
    name = f"{language}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    old.unlink()
    bundle = old.parent.parent if old.parent.name == "filter" else old.parent
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
