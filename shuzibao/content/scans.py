"""Page scans (版面图), page PDFs and the articles' areas (热区) on the scan, checked at load time.

Checking reads only what it must: an image's header (format and size) and its last bytes (a
truncated upload is the common fault), a PDF's first and last bytes. So `check` over a decade's
archive decodes no image; the resized copies are made when a page is rendered (images.py).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ..faults import Faults
from ..model import Article, Download, Issue, Page, Scan

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
OVERLAP = 0.02  # the share of the smaller of two areas they may both cover: a border drawn twice
GRID = 400  # overlaps are measured on masks this many cells across the longer side of the scan


class Unreadable(Exception):
    """A scan or PDF the build cannot use; the message says why, in the editor's words."""


def read_scan(path: Path, line: int | None) -> Scan:
    """The scan's format and size from its header, after checking that the file is whole."""
    try:
        with Image.open(path) as image:
            kind, (width, height) = image.format, upright_size(image)
    except (OSError, Image.DecompressionBombError, ValueError) as error:
        raise Unreadable(f"无法读取版面图“{path.name}”（{error}）：请重新导出为 JPEG、PNG 或 WebP") from None
    if kind not in FORMATS:
        raise Unreadable(f"版面图“{path.name}”是 {kind} 格式：请导出为 JPEG、PNG 或 WebP")
    if not _whole(path, kind):
        raise Unreadable(f"版面图“{path.name}”不完整（文件被截断了，可能没有传完）：请重新上传")
    return Scan(path.name, width, height, path.stat().st_size, line)


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
