"""Resized copies of page scans: made once per image, kept on disk by the image's content hash.

A scan is published with copies at phone and desktop widths (JPEG for every browser, WebP where
it is smaller), a thumbnail for the page grid and the article's locator, and the original for
zoom. Each copy's name carries the scan's digest (page-3f9a2c1b0d-800w.webp), so a replaced scan
gets new names and no browser or CDN shows the old one.

Making copies is the slowest thing a build does to a page, so they are kept in a cache folder
shared by every build and preview on the machine, under the digest of the scan's bytes and of
the settings below. A rebuild, a --no-cache build or a fresh preview links them from there.

Memory is bounded: the scan is decoded once, a JPEG at a reduced scale, no larger than
content/scans.py allows (it refuses larger ones from their headers), without a full-size copy,
and each smaller copy is made from the next larger one. Disk is bounded too: the cache is pruned
to its budget (2 GB, or SHUZIBAO_IMAGE_CACHE_MB), least recently used first, as copies are made.
A folder a build uses has its time touched, and one used in the last GRACE seconds is never
removed, so a build never loses the copies it is about to link. A damaged folder (its record
missing or naming files that are missing or of another size) is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import struct
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from ..content import scans
from ..content.scans import upright_size
from ..model import Rendition, Scan

WIDTHS = (480, 800, 1200, scans.WIDEST_COPY)  # phones get the first two (see the page template), desktops any
THUMB = 240  # twice the width the page grid shows it at
JPEG = {"quality": 82, "optimize": True, "progressive": True}
WEBP = {"quality": 78, "method": 2}  # method 4 makes files 1–3% smaller in twice the time
SETTINGS = repr((WIDTHS, THUMB, JPEG, WEBP, 1)).encode()  # a change makes every copy anew
RECORD = "copies.json"

BUDGET_VARIABLE = "SHUZIBAO_IMAGE_CACHE_MB"
DEFAULT_BUDGET_MB = 2048
GRACE = 600  # seconds: a folder used this recently may be about to be linked by a running build
DIGEST = re.compile(r"[0-9a-f]{32}")
LEFTOVER = re.compile(r"[0-9a-f]{32}\.\d+\.(tmp|gone)")  # being made, or being removed (or left so by a killed build)

_made_since_pruned = 0  # bytes of copies this process has made since it last pruned the cache


class Undecodable(Exception):
    """The scan's copies cannot be made from its file; the message says why, in the editor's words."""


def identify(scan: Scan, source: Path) -> str:
    """Set and return the scan's digest: of its bytes and of the settings its copies are made with."""
    hasher = hashlib.blake2b(SETTINGS, digest_size=16)
    with open(source, "rb") as file:
        while chunk := file.read(1 << 20):
            hasher.update(chunk)
    scan.digest = hasher.hexdigest()
    return scan.digest


def prepare(scan: Scan, source: Path, cache: Path) -> bool:
    """Give the scan its copies: from the cache, or made now and cached. True if made now.
    Raises Undecodable when the image cannot be read or decoded (an OSError is the cache's)."""
    try:
        digest = scan.digest or identify(scan, source)
    except OSError as error:
        raise Undecodable(f"无法读取版面图“{scan.name}”（{error.strerror or error}）：请重新导出为 JPEG、PNG 或 WebP") from None
    folder = folder_of(cache, digest)
    present = os.path.lexists(folder)  # before its record is read: one that appears later was put in place whole
    record = intact(folder)
    if record is not None and "thumb" not in record:  # not a scan's copies
        record = None
    made = record is None
    if record is None:
        if present:
            discard(folder)  # damaged: made again, never blamed on the scan
        record = _make(source, folder)
        grown(cache, sum(record["files"].values()))
    else:
        touch(folder)
    stem = f"{Path(scan.name).stem}-{digest[:10]}"

    def rendition(width: int, height: int, webp: bool) -> Rendition:
        return Rendition(width, height, f"{stem}-{width}w.jpg", f"{stem}-{width}w.webp" if webp else None)

    scan.renditions = tuple(rendition(*r) for r in record["renditions"])
    scan.thumb = rendition(*record["thumb"])
    return made


# --- article photos: copies made as a scan's are --------------------------------------------------

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # an SVG or a GIF is shown as it is


def read_photo(name: str, source: Path) -> tuple[Scan | None, str | None]:
    """An article photo, from its header, as a Scan whose copies prepare() makes and publish()
    links, and why it gets none: a photo whose copies could not be made within bounded memory
    (content/scans.py's limits) is published as it is, never decoded. (None, None) for a kind
    that has no copies (SVG, GIF)."""
    if not name.lower().endswith(PHOTO_SUFFIXES):
        return None, None
    try:
        with scans.quiet_pillow(), Image.open(source) as image:
            width, height = upright_size(image)
            fault = scans.header_fault(image, name)
    except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError) as error:
        return None, f"照片“{name}”无法读取（{error}），已按原样发布，没有缩小的副本：请重新导出为 JPEG、PNG 或 WebP"
    if fault:
        return None, f"{fault.replace('版面图', '照片', 1)}；已按原样发布，没有缩小的副本，手机读者要下载整张原图"
    return Scan(name, width, height, source.stat().st_size), None


def publish(scan: Scan, cache: Path, into: Path) -> int:
    """Put the scan's copies into the folder `into`, beside its page: hard links to the cache's
    files (which never change), copies where a link cannot be made. Returns the number of files."""
    if scan.digest is None:
        raise ValueError(f"{scan.name}: publish() comes after prepare(), which reads the scan")
    return link(folder_of(cache, scan.digest), scan.files(), into)


def link(folder: Path, names: tuple[str, ...], into: Path) -> int:
    """Link the cache folder's files into `into` under their published `names` (page-6e1ecb723a-800w.jpg
    is the folder's 800w.jpg). Returns the number of files."""
    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        source, target = folder / name.rsplit("-", 1)[1], into / name  # the cache's 800w.jpg
        try:
            os.link(source, target)
        except FileExistsError:
            pass
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(source, target)
    return len(names)


def cache_budget() -> int:
    """The image cache's budget in bytes: SHUZIBAO_IMAGE_CACHE_MB megabytes (a number, 0 or more),
    else 2 GB (`python build.py clean` says when the variable is not a number)."""
    setting = budget_setting()
    return round((DEFAULT_BUDGET_MB if setting is None else setting) * 1024 * 1024)


def budget_setting() -> float | None:
    """SHUZIBAO_IMAGE_CACHE_MB as a number of megabytes, or None if unset or not a number."""
    try:
        value = float(os.environ.get(BUDGET_VARIABLE, ""))
    except ValueError:
        return None
    return value if value >= 0 and value != float("inf") else None


def prune(cache: Path, budget: int | None = None) -> int:
    """Remove the least recently used folders until the cache holds at most `budget` bytes (the
    cache's budget by default), but never one used in the last GRACE seconds; and what killed
    builds left half made or half removed. Returns the bytes removed."""
    budget = cache_budget() if budget is None else budget
    cutoff = time.time() - GRACE
    folders, total, removed = [], 0, 0
    for prefix in _entries(cache):
        for entry in _entries(prefix):
            if DIGEST.fullmatch(entry.name):
                size = _bytes(entry)
                folders.append((_last_used(entry), entry, size))
                total += size
            elif LEFTOVER.fullmatch(entry.name) and _last_used(entry) < cutoff:
                removed += _bytes(entry)
                discard(entry)
    for used, folder, size in sorted(folders):
        if total <= budget or used >= cutoff:
            break
        if _last_used(folder) >= cutoff:  # a build used it since it was listed
            continue
        discard(folder)
        total, removed = total - size, removed + size
    return removed


def folder_of(cache: Path, digest: str) -> Path:
    return cache / digest[:2] / digest


def intact(folder: Path) -> dict[str, Any] | None:
    """The folder's record, if it and every file it names are there, each of the size it says."""
    try:
        record: dict[str, Any] = json.loads((folder / RECORD).read_text())
        files: dict[str, int] = record["files"]
        named = [*record["renditions"], *([record["thumb"]] if "thumb" in record else [])]  # a clip's folder has no thumbnail
        needed = {f"{width}w.jpg" for width, _, _ in named} | {f"{width}w.webp" for width, _, webp in named if webp}
        if not needed <= files.keys() or any((folder / name).stat().st_size != size for name, size in files.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError):  # missing, unreadable, or not a record of this kind
        return None
    return record


def _make(source: Path, folder: Path) -> dict[str, Any]:
    """Make the scan's copies and put them in the cache's folder. Returns its record."""
    *copies, thumb = _copies(source)
    return store(folder, copies, thumb)


def store(folder: Path, copies: list[Image.Image], thumb: Image.Image | None = None) -> dict[str, Any]:
    """Save copies (each by its width) in a work folder and move it into place in one step, so
    that workers making the same image at once, or a build killed halfway, leave no half a
    folder. Returns its record. Also used for the clips of stories (clips.py), which have no thumbnail."""
    work = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    renditions = [[*copy.size, save(copy, work / f"{copy.width}w")] for copy in copies]
    record: dict[str, Any] = {"renditions": sorted(renditions)}
    if thumb is not None:
        record["thumb"] = [*thumb.size, save(thumb, work / f"{thumb.width}w")]
    record["files"] = {path.name: path.stat().st_size for path in work.iterdir()}
    (work / RECORD).write_text(json.dumps(record))
    try:
        os.rename(work, folder)
    except OSError:  # another worker finished the same image first
        shutil.rmtree(work, ignore_errors=True)
        if intact(folder) is None:  # or something else is in the way: the machine's fault, not the scan's
            raise OSError(f"the image cache's folder {folder} cannot be put in place") from None
    return record


def _copies(source: Path) -> list[Image.Image]:
    """The copies, widest first, then the thumbnail. The scan is decoded once (a JPEG at a reduced
    scale) and freed once the widest copy is made; each other copy is made from the next larger."""
    try:
        with scans.quiet_pillow(), Image.open(source) as image:
            width, height = upright_size(image)  # before header_fault, which leaves a JPEG asked to decode smaller
            fault = scans.header_fault(image, source.name)  # checked at load, but the file may have been replaced since
            if fault:
                raise Undecodable(fault)
            widths = sorted([w for w in WIDTHS if w < width] + ([width] if width <= WIDTHS[-1] else []), reverse=True)
            scans.decode_smaller(image)  # as header_fault did: asking again changes nothing
            widest = resized(flattened(upright(image)), widths[0], height * widths[0] / width)
            copies = [widest.copy() if widest is image else widest]  # the image itself is freed as the file closes
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError) as error:  # what Pillow's decoders raise
        raise Undecodable(f"版面图“{source.name}”无法解码（{error}）：请重新导出为 JPEG、PNG 或 WebP") from None
    for target_width in widths[1:]:
        copies.append(resized(copies[-1], target_width, height * target_width / width))
    smallest = copies[-1]
    copies.append(resized(smallest, THUMB, height * THUMB / width) if smallest.width > THUMB else smallest)
    return copies


def upright(image: Image.Image) -> Image.Image:
    """A JPEG turned as its EXIF orientation says (as scans.upright_size), in place: no copy."""
    if image.format == "JPEG" and image.getexif().get(0x0112, 1) != 1:
        ImageOps.exif_transpose(image, in_place=True)
    return image


def flattened(image: Image.Image) -> Image.Image:
    """Greyscale stays greyscale (smaller files); transparency is laid on white, as on paper.
    An image already in its mode is the image itself: at full size, a copy is what costs memory."""
    if image.mode == "L" or (image.mode == "RGB" and "transparency" not in image.info):
        return image
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba)  # its alpha is the mask, without a copy of that channel
        return white
    return image.convert("RGB")


def resized(image: Image.Image, width: int, height: float) -> Image.Image:
    size = (width, max(1, round(height)))
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def save(image: Image.Image, stem: Path) -> bool:
    """The JPEG, and the WebP if it is smaller (else it is not kept); True if the WebP was kept."""
    image.save(stem.with_suffix(".jpg"), "JPEG", **JPEG)
    webp = stem.with_suffix(".webp")
    image.save(webp, "WEBP", **WEBP)
    if webp.stat().st_size < stem.with_suffix(".jpg").stat().st_size:
        return True
    webp.unlink()
    return False


# --- the cache's upkeep -------------------------------------------------------------------------


def grown(cache: Path, size: int) -> None:
    """Count the bytes just made; prune once this process has made a fiftieth of the budget (so a
    build making thousands of copies lists the cache only now and then)."""
    global _made_since_pruned
    _made_since_pruned += size
    budget = cache_budget()
    if _made_since_pruned >= budget // 50:
        _made_since_pruned = 0
        prune(cache, budget)


def touch(folder: Path) -> None:
    """Mark the folder used now: the cache is pruned least recently used first."""
    with contextlib.suppress(OSError):  # a cache folder shared read-only: it just ages
        os.utime(folder)


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _entries(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _bytes(folder: Path) -> int:
    try:
        return sum(entry.stat(follow_symlinks=False).st_size for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False))
    except OSError:
        return 0


def discard(path: Path) -> None:
    """Remove a folder of the cache: renamed away first, so that no build finds half of it."""
    away = path if LEFTOVER.fullmatch(path.name) else path.with_name(f"{path.name}.{os.getpid()}.gone")
    if away != path:
        _remove(away)  # left by a killed build that had this process's number
        try:
            os.rename(path, away)
        except OSError:  # gone already
            return
    _remove(away)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
