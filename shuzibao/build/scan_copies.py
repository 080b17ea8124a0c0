"""Resized copies of page scans: made once per image, kept on disk by the image's content hash.

A scan is published with copies at phone and desktop widths (JPEG for every browser, WebP where
it is smaller), a thumbnail for the page grid and the article's locator, and the original for
zoom. Each copy's name carries the scan's digest (page-3f9a2c1b0d-800w.webp), so a replaced scan
gets new names and no browser or CDN shows the old one.

Making copies is the slowest thing a build does to a page, so they are kept in a cache folder
shared by every build and preview on the machine, under the digest of the scan's bytes and of
the settings below. A rebuild, a --no-cache build or a fresh preview links them from there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from PIL import Image, ImageOps

from ..content.scans import upright_size
from ..model import Rendition, Scan

WIDTHS = (480, 800, 1200, 1800)  # phones get the first two (see the page template), desktops any
THUMB = 240  # twice the width the page grid shows it at
JPEG = {"quality": 82, "optimize": True, "progressive": True}
WEBP = {"quality": 78, "method": 2}  # method 4 makes files 1–3% smaller in twice the time
SETTINGS = repr((WIDTHS, THUMB, JPEG, WEBP, 1)).encode()  # a change makes every copy anew
RECORD = "copies.json"


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
    Raises OSError (or a Pillow error) when the image cannot be decoded."""
    digest = scan.digest or identify(scan, source)
    folder = _folder(cache, digest)
    made = not (folder / RECORD).is_file()
    if made:
        _make(source, folder)
    record = json.loads((folder / RECORD).read_text())
    stem = f"{Path(scan.name).stem}-{digest[:10]}"

    def rendition(width: int, height: int, webp: bool) -> Rendition:
        return Rendition(width, height, f"{stem}-{width}w.jpg", f"{stem}-{width}w.webp" if webp else None)

    scan.renditions = tuple(rendition(*r) for r in record["renditions"])
    scan.thumb = rendition(*record["thumb"])
    return made


def publish(scan: Scan, cache: Path, into: Path) -> int:
    """Put the scan's copies into the folder `into`, beside its page: hard links to the cache's
    files (which never change), copies where a link cannot be made. Returns the number of files."""
    if scan.digest is None:
        raise ValueError(f"{scan.name}: publish() comes after prepare(), which reads the scan")
    folder = _folder(cache, scan.digest)
    names = scan.files()
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


def _folder(cache: Path, digest: str) -> Path:
    return cache / digest[:2] / digest


def _make(source: Path, folder: Path) -> None:
    """Decode the scan once (a JPEG at a reduced scale when the largest copy allows), make each
    copy from the next larger one, and move the finished folder into place in one step, so
    workers making the same image at once, or a build killed halfway, leave no half a folder."""
    work = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with Image.open(source) as image:
        width, height = upright_size(image)
        widths = [w for w in WIDTHS if w < width] + ([width] if width <= WIDTHS[-1] else [])
        image.draft("RGB" if image.mode not in ("L", "1") else "L", _scaled(image.size, max(widths) / width))
        picture = _flattened(ImageOps.exif_transpose(image) if image.format == "JPEG" else image)  # as scans.upright_size
    renditions = []
    for target_width in sorted(widths, reverse=True):
        picture = _resized(picture, target_width, height * target_width / width)
        renditions.append([*picture.size, _save(picture, work / f"{target_width}w")])
    thumb = _resized(picture, THUMB, height * THUMB / width) if picture.width > THUMB else picture
    record = {"renditions": sorted(renditions), "thumb": [*thumb.size, _save(thumb, work / f"{thumb.width}w")]}
    (work / RECORD).write_text(json.dumps(record))
    try:
        os.rename(work, folder)
    except OSError:  # another worker finished the same image first
        shutil.rmtree(work, ignore_errors=True)


def _scaled(size: tuple[int, int], factor: float) -> tuple[int, int]:
    return (max(1, round(size[0] * factor)), max(1, round(size[1] * factor)))


def _flattened(image: Image.Image) -> Image.Image:
    """Greyscale stays greyscale (smaller files); transparency is laid on white, as on paper."""
    if image.mode in ("1", "L"):
        return image.convert("L")
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _resized(image: Image.Image, width: int, height: float) -> Image.Image:
    size = (width, max(1, round(height)))
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _save(image: Image.Image, stem: Path) -> bool:
    """The JPEG, and the WebP if it is smaller (else it is not kept); True if the WebP was kept."""
    image.save(stem.with_suffix(".jpg"), "JPEG", **JPEG)
    webp = stem.with_suffix(".webp")
    image.save(webp, "WEBP", **WEBP)
    if webp.stat().st_size < stem.with_suffix(".jpg").stat().st_size:
        return True
    webp.unlink()
    return False
