"""Clips (剪报): each story as it was printed, cut from its page scan.

For an article with an `area` on a page scan, the build cuts the area's bounding box, with a small
margin, out of the scan and lays everything outside the area's polygon (widened by the margin) on
white, as the paper round a printed story is: the union of the story's blocks and nothing of its
neighbours. Each clip has two sizes: the full size, at the scale of the page's widest copy
(scan_copies.WIDTHS[-1] pixels wide, or the scan's own width if narrower), and a phone's, 800
pixels wide (made only where the full size is more than a quarter wider); JPEG, and WebP where smaller. A story that jumps has a clip per part, each from
its own page.

Clips are kept in the image cache as the scans' copies are (scan_copies.py), under a digest of the
scan's digest, the area and the settings below: a clip is cut once per scan and area, for every
build and preview on the machine, and hard-linked into the output. Memory is bounded as the
copies' is: the scan is decoded once per page for all the clips it still needs (a JPEG at a
reduced scale, never narrower than the full size needs), within content/scans.py's limits, and
every clip is cut from that one image.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from ..content import scans
from ..content.scans import upright_size
from ..model import Article, Clip, Page, Rendition, Scan
from . import scan_copies

PHONE = 800  # a phone's clip: sharp at 2x on a 400-pixel screen; the full size is a tap away
FULL = scan_copies.WIDTHS[-1]  # the full size is the story at the scale of the page's widest copy
MARGIN = 1 / 150  # of the scan's width, round the area: the white a printed story stands in
PHONE_RATIO = 5 / 4  # a phone's size is made only where the full size is wider than this times PHONE
SETTINGS = repr((PHONE, FULL, MARGIN, PHONE_RATIO, scan_copies.JPEG, scan_copies.WEBP, 2)).encode()  # a change cuts every clip anew (the last: the cutting's own version)

Area = tuple[tuple[float, float], ...]


def clip_digest(scan: Scan, area: Area) -> str:
    """What names a clip: the scan's digest (of its bytes), the area and the settings."""
    hasher = hashlib.blake2b(SETTINGS, digest_size=16)
    hasher.update(f"{scan.digest}\n{area!r}".encode())
    return hasher.hexdigest()


def prepare(page: Page, source: Path, cache: Path) -> int:
    """Give each article of the page that has an area its clip: from the cache, or cut now from
    the scan at `source` (decoded once for all of them). Returns the number cut now. Comes after
    scan_copies.prepare(), which gives the scan its digest; raises scan_copies.Undecodable as it
    does (an OSError is the cache's)."""
    scan = page.scan
    if scan is None or scan.digest is None:
        return 0
    placed = {article: clip_digest(scan, article.area) for article in page.articles if article.area}
    records: dict[str, dict[str, Any]] = {}
    missing = []
    for article, digest in placed.items():
        folder = scan_copies.folder_of(cache, digest)
        record = scan_copies.intact(folder)
        if record is None or "thumb" in record:  # missing, damaged, or not a clip's
            missing.append(article)
        else:
            scan_copies.touch(folder)
            records[digest] = record
    if missing:
        areas = [article.area for article in missing if article.area]
        for article, images in zip(missing, _cut(source, areas), strict=True):
            folder = scan_copies.folder_of(cache, placed[article])
            if os.path.lexists(folder):
                scan_copies.discard(folder)  # damaged: made again, never blamed on the scan
            records[placed[article]] = record = scan_copies.store(folder, images)
            scan_copies.grown(cache, sum(record["files"].values()))
    for article, digest in placed.items():
        article.clip = _clip(article, digest, records[digest])
    return len(missing)


def publish(clip: Clip, cache: Path, into: Path) -> int:
    """Put the clip's files into the folder `into`, beside its page, as scan_copies.publish does."""
    return scan_copies.link(scan_copies.folder_of(cache, clip.digest), clip.files(), into)


def _clip(article: Article, digest: str, record: dict[str, Any]) -> Clip:
    stem = f"{article.slug}-clip-{digest[:10]}"
    renditions = tuple(Rendition(width, height, f"{stem}-{width}w.jpg", f"{stem}-{width}w.webp" if webp else None) for width, height, webp in record["renditions"])
    sizes = tuple(sorted((f"{stem}-{name}", size) for name, size in record["files"].items()))
    return Clip(digest, renditions, sizes)


def _cut(source: Path, areas: list[Area]) -> Iterator[list[Image.Image]]:
    """Each area's clip, a phone's size first where it differs, from one decoding of the scan."""
    try:
        with scans.quiet_pillow(), Image.open(source) as image:
            width, height = upright_size(image)  # before header_fault, which leaves a JPEG asked to decode smaller
            fault = scans.header_fault(image, source.name)  # checked at load, but the file may have been replaced since
            if fault:
                raise scan_copies.Undecodable(fault)
            scans.decode_smaller(image)  # as the copies: never narrower than the widest copy, which is the full size
            printed = scan_copies.flattened(scan_copies.upright(image))
            printed.load()
            for area in areas:
                yield _sizes(_masked(printed, area, width, height), area, width, height)
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError) as error:  # what Pillow's decoders raise
        raise scan_copies.Undecodable(f"版面图“{source.name}”无法解码（{error}）：请重新导出为 JPEG、PNG 或 WebP") from None


def box(area: Area, width: int, height: int) -> tuple[float, float, float, float]:
    """The area's bounding box with the margin, in the scan's pixels, inside the scan."""
    margin = max(4.0, width * MARGIN)
    xs, ys = [x for x, _ in area], [y for _, y in area]
    return (max(0.0, min(xs) - margin), max(0.0, min(ys) - margin), min(float(width), max(xs) + margin), min(float(height), max(ys) + margin))


def full_size(area: Area, width: int, height: int) -> tuple[int, int]:
    """The full-size clip's pixels: its box at the scale of the page's widest copy."""
    left, top, right, bottom = box(area, width, height)
    scale = min(width, FULL) / width
    return max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale))


def _masked(printed: Image.Image, area: Area, width: int, height: int) -> Image.Image:
    """The area's box cut from the decoded scan, white outside the polygon widened by the margin."""
    scale = printed.width / width  # decoded pixels per scan pixel
    left, top, right, bottom = box(area, width, height)
    region = printed.crop((round(left * scale), round(top * scale), round(right * scale), round(bottom * scale)))
    mask = Image.new("L", region.size, 0)
    draw = ImageDraw.Draw(mask)
    outline = [((x - left) * scale, (y - top) * scale) for x, y in area]
    draw.polygon(outline, fill=255)
    margin = max(4.0, width * MARGIN) * scale
    draw.line([*outline, outline[0]], fill=255, width=max(1, round(2 * margin)), joint="curve")  # the polygon widened: its edge drawn thick
    clip = Image.new(region.mode, region.size, "white")
    clip.paste(region, mask=mask)
    return clip


def _sizes(clip: Image.Image, area: Area, width: int, height: int) -> list[Image.Image]:
    full_width, full_height = full_size(area, width, height)
    full = scan_copies.resized(clip, full_width, full_height)
    if full.width <= PHONE * PHONE_RATIO:  # a phone's copy would hardly be smaller
        return [full]
    return [scan_copies.resized(full, PHONE, full.height * PHONE / full.width), full]
