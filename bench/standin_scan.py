"""Generate a STAND-IN page scan (版面图) and page PDF for the sample edition's front page.

The sample edition has no real scan of 2021-12-10 page 01, so this script draws one: a portrait
broadsheet page with the 太原日报 masthead and the page's 11 articles laid out in a six-column
grid (the lead large, the photo item with a grey photo, one L-shaped article wrapped around
another), headlines in Noto CJK and the articles' own text as body rows. The image is a stand-in,
NOT a real scan, and says so on its face (a band at the bottom and a diagonal watermark).

`.venv/bin/python bench/standin_scan.py` (from the repo root) rewrites, byte-identical each run:
content/2021-12-10/01/page.jpg, page.pdf, page.yaml, and the `area:` line of each article's
front matter (its block on the image, in pixels: a rectangle [x1, y1, x2, y2] or, for the
L-shaped article, a polygon [[x, y], ...]). Without CJK fonts it still runs, drawing grey marks.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PAGE = Path(__file__).resolve().parent.parent / "content" / "2021-12-10" / "01"
W, H = 2200, 3400
PAPER, INK, RED, RULE = (246, 243, 234), (40, 40, 40), (176, 30, 30), (100, 100, 100)
LEFT, RIGHT, TOP, BOTTOM = 60, 2140, 430, 3220  # the article grid; masthead above, notice below
COLS = [round(LEFT + i * (RIGHT - LEFT) / 6) for i in range(7)]  # six grid columns
GAP, PAD = 5, 14  # a block stands GAP px inside its cell (the rule runs in the gap); text PAD more
QUALITY = 75  # JPEG quality: at 85 the dense body text makes a 1 MB file; 75 keeps it < 900 KB
NOTICE_ZH = "示意版面图：程序生成的替身，并非真实扫描"
NOTICE_EN = "STAND-IN — generated, not a real scan"

Cell = tuple[int, int, int, int]  # first grid column, end column, top, bottom
Strip = tuple[int, int, int, int]  # a column of text: left, right, top, bottom
Front = dict[str, Any]  # an article's front matter, as YAML reads it

# slug -> its cells (first col, end col, top, bottom); the headline goes across the first cell.
# Two cells make an L: xinghualing wraps round the top right of shuangchuang-jidi.
LAYOUT: dict[str, list[Cell]] = {
    "shuju-zhongxin": [(0, 4, TOP, 1180)],
    "weitao-anyong": [(4, 6, TOP, 1180)],
    "tupian-xinwen": [(0, 3, 1180, 1880)],
    "kuaidi-jincun": [(3, 6, 1180, 1500)],
    "xinghualing": [(3, 6, 1500, 1880), (4, 6, 1880, 2500)],
    "shuangchuang-jidi": [(0, 4, 1880, 2500)],
    "shewai-shequ": [(0, 2, 2500, 2860)],
    "shufa-lianzhan": [(0, 2, 2860, BOTTOM)],
    "xuanjiang": [(2, 4, 2500, BOTTOM)],
    "zhishi-chanquan": [(4, 6, 2500, 2860)],
    "lvyou-dian": [(4, 6, 2860, BOTTOM)],
}

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {True: ["NotoSerifCJK-Bold.ttc", "NotoSansCJK-Bold.ttc"],
              False: ["NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc"]}
_fonts: dict[tuple[int, bool], ImageFont.FreeTypeFont | None] = {}


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | None:
    """Noto CJK (Simplified Chinese face, index 2 in the .ttc) or None: draw marks instead."""
    if (size, bold) not in _fonts:
        found = [FONT_DIR / name for name in FONT_FILES[bold] if (FONT_DIR / name).exists()]
        _fonts[size, bold] = ImageFont.truetype(str(found[0]), size, index=2) if found else None
    return _fonts[size, bold]


def face(text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
    """The CJK font; without one, Pillow's own font for Latin text, else None (draw marks)."""
    if font(size, bold) or any(ord(ch) >= 0x2E80 for ch in text):
        return font(size, bold)
    return ImageFont.load_default(size)


def width(text: str, size: int, bold: bool = False) -> float:
    f = face(text, size, bold)
    return f.getlength(text) if f else size * len(text)


def write(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, bold: bool = False, fill: int | tuple[int, ...] = INK) -> None:
    """Text at xy (top left), or one grey mark per character when there is no CJK font."""
    if f := face(text, size, bold):
        return draw.text(xy, text, font=f, fill=fill)
    x, y = xy
    grey = fill if isinstance(fill, int) else tuple((c + 255) // 2 for c in fill)
    for ch in text:
        if not ch.isspace():
            draw.rectangle((x + size * 0.1, y + size * 0.2, x + size * 0.9, y + size), fill=grey)
        x += size


def balanced(text: str, size: int, room: float) -> list[str]:
    """A headline in as few rows as fit, of even length (not one long row and a stub)."""
    n = len(wrap(text, size, room, True))
    step = -(-len(text) // n)
    rows = [text[i:i + step] for i in range(0, len(text), step)]
    return rows if all(width(r, size, True) <= room for r in rows) else wrap(text, size, room, True)


def wrap(text: str, size: int, room: float, bold: bool = False) -> list[str]:
    """Break text into rows no wider than room, a character at a time (CJK has no words); a
    closing mark that would start a row hangs at the end of the one before, as in print."""
    rows: list[str] = []
    row = ""
    for ch in text:
        if row and width(row + ch, size, bold) > room and ch not in "，。、；：？！”’）》」":
            rows.append(row)
            row = ""
        row += ch
    return [*rows, row] if row else rows


def read_articles() -> dict[str, tuple[Front, str]]:
    """slug -> (front matter, Markdown body), in the articles' order."""
    found: dict[str, tuple[Front, str]] = {}
    for path in PAGE.glob("*.md"):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        found[path.stem] = (yaml.safe_load(head), body)
    return dict(sorted(found.items(), key=lambda item: item[1][0]["order"]))


def outline(cells: list[Cell]) -> list[tuple[int, int]]:
    """A block's outline, GAP inside its cells: a rectangle, or the L of a wide cell on top of a
    narrower one sharing its right edge."""
    (c0, c1, y0, y1), *rest = cells
    a, b, c = COLS[c0] + GAP, y0 + GAP, COLS[c1] - GAP
    if not rest:
        return [(a, b), (c, b), (c, y1 - GAP), (a, y1 - GAP)]
    d0, _, _, e = rest[0]
    d, m, e = COLS[d0] + GAP, y1 - GAP, e - GAP
    return [(a, b), (c, b), (c, e), (d, e), (d, m), (a, m)]


def flow(draw: ImageDraw.ImageDraw, paragraphs: list[str], strips: list[Strip], size: int) -> None:
    """Set paragraphs in rows down each strip (x0, x1, y0, y1) in turn, first-line indented."""
    lead = round(size * 1.5)
    room = strips[0][1] - strips[0][0]  # the strips are grid columns: all of one width
    rows = [(row, p.endswith("\n")) for p in paragraphs  # "\n" marks a subhead: bold, centred
            for row in wrap(p.strip() if p.endswith("\n") else "\u3000\u3000" + p, size, room)]
    remaining = iter(strips)
    x0, _, y, y1 = next(remaining)
    for row, bold in rows:
        if y + lead > y1:
            if not (strip := next(remaining, None)):
                return
            x0, _, y, y1 = strip
        indent = (room - width(row, size, True)) / 2 if bold else 0
        write(draw, (x0 + indent, y), row, size, bold)
        y += lead


def draw_block(draw: ImageDraw.ImageDraw, slug: str, meta: Front, body: str, cells: list[Cell], rng: random.Random) -> None:
    (c0, c1, y0, y1), *rest = cells
    x0, x1, y = COLS[c0] + GAP + PAD, COLS[c1] - GAP - PAD, y0 + GAP + PAD
    photo = re.search(r"!\[([^\]]*)\]\(([^)]+)\)", body)
    paragraphs = [p.strip() for p in body.split("\n") if p.strip() and not p.startswith("!")]
    paragraphs = [p.lstrip("#").strip() + "\n" if p.startswith("#") else p for p in paragraphs]
    if photo:  # the photo item: a grey stand-in photo, its caption below
        bottom = y1 - GAP - PAD - 4 * 38
        draw.rectangle((x0, y, x1, bottom), fill=(150, 150, 150))
        for _ in range(14):  # a few soft shapes so it reads as a picture, not a hole
            cx, cy, r = rng.uniform(x0, x1), rng.uniform(y + 80, bottom), rng.uniform(30, 120)
            draw.ellipse((max(x0, cx - r), max(y, cy - r), min(x1, cx + r), min(bottom, cy + r)),
                         fill=(rng.randint(95, 205),) * 3)
        write(draw, (x0 + 20, y + 16), "照片（示意）" + photo.group(2), 26, fill=(245,) * 3)
        caption = f"{photo.group(1)}　{paragraphs[0]}（{meta.get('photographer', '')} 摄）"
        for i, row in enumerate(wrap(caption, 24, x1 - x0, True)[:4]):
            write(draw, (x0, bottom + 12 + i * 36), row, 24, bold=True)
        return
    if meta.get("kicker"):
        write(draw, (x0, y), meta["kicker"], 26)
        y += 40
    lead = meta["order"] == 1  # the lead's headline: as large as fits on one row, up to 84 px
    size = 58 if c1 - c0 > 2 else 46
    size = min(84, int((x1 - x0) / width(meta["title"], 1, True))) if lead else size
    for row in balanced(meta["title"], size, x1 - x0):
        write(draw, (x0 + max(0, (x1 - x0 - width(row, size, True)) / 2), y), row, size, True)
        y += round(size * 1.3)
    if meta.get("subtitle"):
        sub = "——" + meta["subtitle"]
        write(draw, (x0 + (x1 - x0 - width(sub, 30)) / 2, y), sub, 30)
        y += 46
    y += 12
    tail = dict.fromkeys(range(c0, c1), y1)  # each grid column's text runs down to its cell's end
    for (d0, d1, _, e) in rest:
        tail.update(dict.fromkeys(range(d0, d1), e))
    strips = [(COLS[c] + GAP + PAD, COLS[c + 1] - GAP - PAD, y, tail[c] - GAP - PAD)
              for c in range(c0, c1)]
    flow(draw, paragraphs, strips, 28 if lead else 24)


def draw_page(articles: dict[str, tuple[Front, str]]) -> Image.Image:
    image = Image.new("RGB", (W, H), PAPER)
    draw = ImageDraw.Draw(image)
    rng = random.Random(20211210)
    # masthead: the name large and red, the date and page on the right, a double rule below
    write(draw, (LEFT + 10, 60), "太原日报", 200, bold=True, fill=RED)
    write(draw, (LEFT + 30, 318), "TAIYUAN DAILY", 34, fill=RED)
    for i, (text, size, bold) in enumerate([("2021年12月10日 星期五", 44, False),
                                            ("第1版　要闻", 64, True)]):
        write(draw, (RIGHT - width(text, size, bold), 120 + i * 110), text, size, bold)
    draw.rectangle((LEFT, 392, RIGHT, 400), fill=INK)
    draw.rectangle((LEFT, 408, RIGHT, 410), fill=INK)
    # the articles, each within its cells, with a thin rule on every cell edge (in the gaps)
    for slug in articles:
        for (c0, c1, y0, y1) in LAYOUT[slug]:
            draw.rectangle((COLS[c0] - 1, y0 - 1, COLS[c1] + 1, y1 + 1), outline=RULE, width=2)
    for slug, (meta, body) in articles.items():
        draw.polygon(outline(LAYOUT[slug]), fill=PAPER)  # clears the rule inside the L
        draw_block(draw, slug, meta, body, LAYOUT[slug], rng)
    # the stand-in notice: a band at the bottom and a faint diagonal watermark
    draw.rectangle((0, BOTTOM + 30, W, H), fill=(60, 60, 60))
    white = (255, 255, 255)
    write(draw, ((W - width(NOTICE_ZH, 52, True)) / 2, BOTTOM + 48), NOTICE_ZH, 52, True, white)
    en = NOTICE_EN if font(40) else NOTICE_EN.replace("—", "-")  # Pillow's own font has no dash
    write(draw, ((W - width(en, 40)) / 2, BOTTOM + 118), en, 40, fill=white)
    mark = Image.new("L", (3000, 300), 0)
    write(ImageDraw.Draw(mark), (60, 60), NOTICE_ZH, 130, True, 255)
    mark = mark.rotate(55, expand=True).point(lambda v: v * 40 // 255)
    image.paste((200, 60, 60), ((W - mark.width) // 2, (H - mark.height) // 2), mark)
    return image.filter(ImageFilter.GaussianBlur(0.6))  # a scan's softness; keeps the JPEG small


def set_area(path: Path, area: str) -> None:
    """Replace the `area:` line of the front matter, or add one just before its closing ---."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 3) + 1
    head, rest, line = text[:end], text[end:], f"area: {area}\n"
    head, found = re.subn(r"^area:.*\n", lambda _: line, head, count=1, flags=re.MULTILINE)
    path.write_text(head + ("" if found else line) + rest, encoding="utf-8")


def main() -> None:
    articles = read_articles()
    assert set(articles) == set(LAYOUT), sorted(set(articles) ^ set(LAYOUT))
    image = draw_page(articles)
    image.save(PAGE / "page.jpg", "JPEG", quality=QUALITY, optimize=True, progressive=True)
    fixed = time.strptime("2021-12-10 00:00:00", "%Y-%m-%d %H:%M:%S")
    image.save(PAGE / "page.pdf", "PDF", resolution=200.0, quality=QUALITY, optimize=True,
               title="太原日报 2021年12月10日 第1版 要闻（示意替身，并非真实扫描）",
               creationDate=fixed, modDate=fixed)
    (PAGE / "page.yaml").write_text(
        "name: 要闻\n# 版面图与 PDF 是程序生成的示意替身（bench/standin_scan.py），并非真实扫描\n"
        "image: page.jpg\npdf: page.pdf\n", encoding="utf-8")
    for slug in articles:
        points = outline(LAYOUT[slug])
        if len(points) == 4:
            (x1, y1), _, (x2, y2), _ = points
            area = f"[{x1}, {y1}, {x2}, {y2}]"
        else:
            area = "[" + ", ".join(f"[{x}, {y}]" for x, y in points) + "]"
        set_area(PAGE / f"{slug}.md", area)
        print(f"{slug}: {area}")


if __name__ == "__main__":
    main()
