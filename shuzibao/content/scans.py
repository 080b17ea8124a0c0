"""Page scans (版面图), page PDFs and the articles' areas (热区) on the scan, checked at load time.

Checking reads only what it must: an image's header (format and size) and its last bytes (a
truncated upload is the common fault), a PDF's first and last bytes. So `check` over a decade's
archive decodes no image; the resized copies are made when a page is rendered (build/scan_copies.py).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ..faults import Faults
from ..model import Article, Download, Issue, Page, Scan

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
OVERLAP = 0.02  # the share of the smaller of two areas they may both cover: a border drawn twice
GRID = 400  # overlaps are measured on masks this many cells across the longer side of the scan

# How large a scan may be, so that making its copies stays within bounded memory: at most about
# 500 MB in one worker for the largest scan allowed of the costliest kind (measured with
# `bench/scans.py --memory`; the figures are in the README's "Page scans"). A PNG or WebP is
# decoded whole, at 4 to 15 bytes a pixel as Pillow holds them; a JPEG is decoded at 1/2, 1/4 or
# 1/8 of its size, so a 600 dpi broadsheet (about 100 million pixels) costs less than a 40
# million pixel PNG, unless it is too narrow to be decoded smaller, or progressive: a
# progressive JPEG keeps all of its data (2 bytes for each sample of each colour) while decoding.
WIDEST_COPY = 1800  # the widest resized copy (build/scan_copies.py): a JPEG is decoded no narrower
PIXELS = {"JPEG": 150_000_000, "PNG": 40_000_000, "WEBP": 30_000_000}
DECODED = 40_000_000  # the pixels a JPEG may still have once decoded at its reduced scale
PROGRESSIVE = 400_000_000  # the bytes a progressive JPEG may keep while it is decoded


class Unreadable(Exception):
    """A scan or PDF the build cannot use; the message says why, in the editor's words."""


def read_scan(path: Path, line: int | None) -> Scan:
    """The scan's format and size from its header, after checking that the file is whole and
    that its copies can be made within bounded memory."""
    try:
        with quiet_pillow(), Image.open(path) as image:
            kind, (width, height), fault = image.format, upright_size(image), header_fault(image, path.name)
    except Image.DecompressionBombError:  # Pillow's own limit, higher than any of ours
        raise Unreadable(f"版面图“{path.name}”超过 {_count(2 * (Image.MAX_IMAGE_PIXELS or 0))}像素，太大了：{_limits()}；请缩小后重新导出") from None
    except (OSError, ValueError) as error:
        raise Unreadable(f"无法读取版面图“{path.name}”（{error}）：请重新导出为 JPEG、PNG 或 WebP") from None
    if fault:
        raise Unreadable(fault)
    if not _whole(path, kind or ""):
        raise Unreadable(f"版面图“{path.name}”不完整（文件被截断了，可能没有传完）：请重新上传")
    return Scan(path.name, width, height, path.stat().st_size, line)


def header_fault(image: Image.Image, name: str) -> str | None:
    """What is wrong with the scan that its header tells (nothing is decoded): a format browsers
    may not show, or a size whose copies could not be made within bounded memory. A JPEG is left
    asked to decode smaller (decode_smaller), so its `image.size` is then the decoded size."""
    if image.format not in FORMATS:
        return f"版面图“{name}”是 {image.format} 格式：请导出为 JPEG、PNG 或 WebP"
    return _too_large(image, name)


def decode_smaller(image: Image.Image) -> None:
    """Ask a JPEG's decoder for 1/2, 1/4 or 1/8 of its size: the smallest that is still as wide as
    the widest copy (as shown). Other formats cannot be decoded smaller. `image.size` is then the
    size the decoder makes; nothing is decoded yet."""
    width, _ = upright_size(image)
    factor = min(width, WIDEST_COPY) / width
    image.draft("RGB" if image.mode not in ("L", "1") else "L", (max(1, round(image.size[0] * factor)), max(1, round(image.size[1] * factor))))


def _too_large(image: Image.Image, name: str) -> str | None:
    """Why the scan is too large for its copies to be made within bounded memory, or None. Read
    from the header alone (the image is not decoded)."""
    kind, (width, height) = image.format or "", upright_size(image)
    size = f"版面图“{name}”宽 {width}、高 {height} 像素（{_count(width * height)}像素）"
    advice = "生成手机和电脑用的缩小图时会占用过多内存；请缩小后重新导出（600 dpi 的对开整版约 1 亿像素，存为 JPEG 即可）"
    if width * height > PIXELS[kind]:
        return f"{size}，太大了：{FORMATS[kind]} 最多 {_count(PIXELS[kind])}像素，{advice}"
    if kind != "JPEG":
        return None
    if image.info.get("progressive"):
        kept = _coefficient_bytes(image)
        if kept > PROGRESSIVE:
            most = width * height * PROGRESSIVE // kept
            return f"{size}是渐进式 JPEG，解码时要把整张图的数据留在内存里，这样的 JPEG 最多 {_count(most)}像素：请另存为标准（基线）JPEG，或缩小后重新导出"
    decode_smaller(image)
    if image.size[0] * image.size[1] > DECODED:
        return f"{size}太窄长了：JPEG 解码时不能缩小到比 {WIDEST_COPY} 像素还窄，这样缩小后仍有 {_count(image.size[0] * image.size[1])}像素（最多 {_count(DECODED)}）；{advice}"
    return None


def _coefficient_bytes(image: Image.Image) -> int:
    """What a progressive JPEG keeps while it decodes: 2 bytes for every sample of every colour
    component (image.layer: each component's id and horizontal and vertical sampling)."""
    layers = getattr(image, "layer", None) or [("", 1, 1, 0)]
    most_h, most_v = max(h for _, h, _, _ in layers), max(v for _, _, v, _ in layers)
    width, height = image.size
    return sum(2 * -(-width * h // most_h) * -(-height * v // most_v) for _, h, v, _ in layers)


def _count(pixels: int) -> str:
    """A number of pixels as an editor reads it, in 万 and rounded up: 4000 万, 15001 万."""
    return f"{-(-pixels // 10_000)} 万"


def _limits() -> str:
    return "，".join(f"{FORMATS[kind]} 最多 {_count(most)}像素" for kind, most in PIXELS.items())


@contextmanager
def quiet_pillow() -> Iterator[None]:
    """Pillow's own warnings (an image larger than it likes, a malformed EXIF block) are for
    developers, in English: an editor gets this module's faults instead, never those."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def upright_size(image: Image.Image) -> tuple[int, int]:
    """The image's size as shown: a photo taken sideways says so in its EXIF orientation, and
    areas are drawn on the image as it is shown."""
    width, height = image.size
    if image.format != "JPEG":  # others keep EXIF where reading it means decoding the picture
        return width, height
    return (height, width) if image.getexif().get(0x0112) in (5, 6, 7, 8) else (width, height)


def _whole(path: Path, kind: str) -> bool:
    """Whether the file ends as its format says it must: a JPEG with its end marker, a PNG with
    its IEND chunk, a WebP as long as its RIFF header says."""
    size = path.stat().st_size
    with open(path, "rb") as file:
        if kind == "WEBP":
            header = file.read(8)
            return int.from_bytes(header[4:8], "little") + 8 <= size
        file.seek(max(0, size - 64))
        tail = file.read()
    return b"\xff\xd9" in tail[-16:] if kind == "JPEG" else b"IEND" in tail[-12:]


def read_pdf(path: Path) -> Download:
    """The page's PDF: checked to begin and end as a PDF does, so a truncated upload is caught."""
    size = path.stat().st_size
    with open(path, "rb") as file:
        head = file.read(5)
        file.seek(max(0, size - 1024))
        tail = file.read()
    if head != b"%PDF-":
        raise Unreadable(f"“{path.name}”不是 PDF 文件：请导出为 PDF")
    if b"%%EOF" not in tail:
        raise Unreadable(f"PDF“{path.name}”不完整（文件被截断了，可能没有传完）：请重新上传")
    return Download(path.name, size)


def check_areas(issue: Issue, faults: Faults) -> None:
    """Every article's area lies on its page's scan, no two overlap, and a page with a scan has
    an area for each of its articles (a warning: the page still works, from its list)."""
    for page in issue.pages:
        if page.image and page.scan is None:
            continue  # its image could not be read: that fault is reported, and is the one to fix
        for article in page.articles:
            if article.area is None:
                if page.scan is not None:
                    faults.warn(article.path, 1, f"第{page.shown}版有版面图，这篇稿件却没有 area：读者无法在版面图上点到它；请在 front matter 写上它在图上的位置，例如 area: [x1, y1, x2, y2]")
            elif page.scan is None:
                faults.add(article.path, article.area_line, f"第{page.shown}版没有版面图（page.yaml 中没有 image），area 无处可标：请在 page.yaml 写上 image，或删去 area")
            else:
                _check_inside(article, page.scan, faults)
        if page.scan is not None:
            _check_overlaps(page, page.scan, faults)


def _check_inside(article: Article, scan: Scan, faults: Faults) -> None:
    outside = [(x, y) for x, y in article.area or () if not (0 <= x <= scan.width and 0 <= y <= scan.height)]
    if outside:
        x, y = outside[0]
        faults.add(article.path, article.area_line, f"area 超出了版面图：点 ({x:g}, {y:g}) 在图外，而“{scan.name}”宽 {scan.width}、高 {scan.height} 像素")


def _check_overlaps(page: Page, scan: Scan, faults: Faults) -> None:
    """Areas are drawn as masks on a coarse grid, so that polygons of any shape compare alike;
    each mask loses its edge cells first, so that two areas that only touch do not overlap."""
    placed = [a for a in page.articles if a.area and all(0 <= x <= scan.width and 0 <= y <= scan.height for x, y in a.area)]
    scale = GRID / max(scan.width, scan.height)
    masks: dict[int, Image.Image] = {}

    def mask(article: Article) -> Image.Image:
        if id(article) not in masks:
            drawn = Image.new("L", (max(1, round(scan.width * scale)), max(1, round(scan.height * scale))))
            ImageDraw.Draw(drawn).polygon([(x * scale, y * scale) for x, y in article.area or ()], fill=255)
            masks[id(article)] = drawn.filter(ImageFilter.MinFilter(3))
        return masks[id(article)]

    for j, later in enumerate(placed):
        for earlier in placed[:j]:
            if not _boxes_meet(earlier, later):
                continue
            shared = _cells(ImageChops.darker(mask(earlier), mask(later)))
            smaller = min(_cells(mask(earlier)), _cells(mask(later))) or 1
            if shared / smaller > OVERLAP:
                faults.add(
                    later.path,
                    later.area_line,
                    f"area 与 {earlier.path} 的 area 重叠了约 {max(1, round(100 * shared / smaller))}%：两篇稿件在版面图上的位置不能重叠，请核对坐标",
                )


def _cells(mask: Image.Image) -> int:
    return int(mask.histogram()[255])


def _box(article: Article) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in article.area or ()], [y for _, y in article.area or ()]
    return min(xs), min(ys), max(xs), max(ys)


def _boxes_meet(a: Article, b: Article) -> bool:
    (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = _box(a), _box(b)
    return ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2
