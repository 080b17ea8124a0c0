"""Reading one page PDF: its characters with font, size and box, its rules and frames, its pictures,
and the page image rendered from it.

pdfplumber (pdfminer.six) gives the characters and the drawn rules; pypdfium2 (PDFium) opens the
file first, because it tells a damaged file from an encrypted one, and renders the page image.
Every coordinate here is in PDF points from the page's top left corner (pdfplumber's; PDFium's y
grows upwards and is never used for positions).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from .text_layer import normalise

IMAGE_WIDTH = 2200  # pixels of the page image: sharp enough to zoom, as a scan would be
LONG_RULE = 0.85  # of the page's width: a rule that long bounds the page header or footer
MIN_BOX = 20.0  # points: a stroked rectangle this big on both sides is a frame round something

# pdfminer logs "Could not get FontBBox..." for every run of a subset CJK font: an editor never
# needs to see it.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class Unusable(Exception):
    """A PDF that cannot be imported; the message says why and what to do, in the editor's words."""


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Box:
    """Any rectangle on the page: a rule, a frame, a picture, a block of text."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, other: Box, slack: float = 1.0) -> bool:
        return self.x0 - slack <= other.x0 and other.x1 <= self.x1 + slack and self.top - slack <= other.top and other.bottom <= self.bottom + slack

    def x_overlap(self, other: Box) -> float:
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))

    def y_overlap(self, other: Box) -> float:
        return max(0.0, min(self.bottom, other.bottom) - max(self.top, other.top))


@dataclass
class PageText:
    width: float
    height: float
    chars: list[Char]
    raw: list[str]  # every character as the text layer gives it, for judging whether it is garbled
    rules: list[Box]  # horizontal and vertical rules, and the edges of frames
    frames: list[Box]  # stroked rectangles big enough to hold something
    pictures: list[Box]


def check_pdf(path: Path) -> int:
    """The number of pages, once PDFium has opened the file; Unusable when it cannot be."""
    with open(path, "rb") as file:
        head = file.read(1024)
    if b"%PDF-" not in head:
        raise Unusable("不是 PDF 文件：请从排版系统导出这一版的 PDF（每版一个文件）")
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise Unusable("PDF 有密码保护（已加密），无法读取：请从排版系统导出不加密的 PDF") from None
        raise Unusable(f"PDF 已损坏，无法打开（{error}）：文件可能没有传完，请重新导出或重新上传") from None
    try:
        return len(document)
    finally:
        document.close()


def read_page(path: Path) -> PageText:
    """The first page's characters (normalised), rules, frames and pictures."""
    try:
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            raw_chars = page.chars
            rects, lines, images = page.rects, page.lines, page.images
            width, height = float(page.width), float(page.height)
    except Exception as error:  # pdfminer raises many kinds on a damaged file; all mean the same to an editor
        raise Unusable(f"PDF 已损坏，无法读取文字（{type(error).__name__}）：请重新导出或重新上传") from None
    chars = []
    for c in raw_chars:
        text = normalise(str(c["text"]))
        if c.get("upright", True) and text:
            chars.append(Char(text, float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]), round(float(c["size"]), 1), str(c["fontname"])))
    rules, frames = [], []
    for r in [*rects, *lines]:
        box = Box(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
        if box.width >= MIN_BOX and box.height >= MIN_BOX:
            if r.get("stroke") and not r.get("fill"):
                frames.append(box)
                rules += [Box(box.x0, box.top, box.x1, box.top), Box(box.x0, box.bottom, box.x1, box.bottom),
                          Box(box.x0, box.top, box.x0, box.bottom), Box(box.x1, box.top, box.x1, box.bottom)]
        elif box.width >= MIN_BOX or box.height >= MIN_BOX:
            rules.append(box)
    pictures = [Box(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in images]
    return PageText(width, height, chars, [str(c["text"]) for c in raw_chars], rules, frames, [p for p in pictures if p.width > MIN_BOX and p.height > MIN_BOX])


def render(path: Path) -> Image.Image:
    """The page as an image IMAGE_WIDTH pixels wide, on white."""
    document = pdfium.PdfDocument(path)
    try:
        page = document[0]
        image: Image.Image = page.render(scale=IMAGE_WIDTH / page.get_width()).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        document.close()
