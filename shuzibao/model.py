"""The edition as plain data, named as the newsroom names it.

An Edition holds Issues (期) by date; an Issue holds Pages (版) by label; a Page holds Articles
(稿件) in reading order. A story that jumps between pages (转版) is a chain of Articles linked by
Jumps. Variants are the scripts the site is published in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

LABEL = re.compile(r"^([A-Z]?)([0-9]+)$")


def page_sort_key(label: str) -> tuple[str, int]:
    """Pages sort by letter, then number: 1 < 2 < 10 < A1 < A2 < B1."""
    found = LABEL.match(label)
    if found is None:
        raise ValueError(f"not a page label: {label!r}")  # folders are checked against LABEL when they are read
    return (found.group(1), int(found.group(2)))


def shown_label(label: str) -> str:
    """The label readers see: leading zeros dropped, 03 -> 3, A01 -> A1."""
    letter, digits = page_sort_key(label)
    return f"{letter}{digits}"


@dataclass(frozen=True)
class Variant:
    code: str  # BCP 47 tag for <html lang>: zh-Hans, zh-Hant, zh-HK
    label: str  # what the script switch shows: 简体, 繁體
    opencc: str | None  # OpenCC config that makes it from the source; None for the source
    prefix: str  # output folder, "" for the source, "zh-hant/" for a variant
    quotes: str = "keep"  # "corner": “”‘’ set as 「」『』 (Taiwan's and Hong Kong's); "keep": as written


@dataclass
class Site:
    title: str
    variants: tuple[Variant, ...]  # the source script first
    base_url: str | None = None
    glossary: dict[str, dict[str, str]] = field(default_factory=dict)  # phrase -> {variant code: form}
    assets: tuple[str, ...] = ()  # top-level folders copied as they are
    # The furniture of every page's masthead and footer (issue 15), each optional:
    logo: str | None = None  # the masthead image beside site.yaml, published at the root; else the title in type
    icp: str | None = None  # ICP 备案号, linked to the MIIT register
    police: str | None = None  # 公安备案号, linked to the Ministry of Public Security's register
    copyright: str | None = None  # the copyright line, converted into each script

    @property
    def source(self) -> Variant:
        return self.variants[0]


@dataclass(eq=False)
class Article:
    path: str  # relative to the content folder: 2021-12-10/01/xinghualing.md
    slug: str
    digest: str  # of the file's text: what the preview compares to know what changed
    title: str | None  # 主题; a continuation may leave it to its head
    kicker: str | None = None  # 引题
    subtitle: str | None = None  # 副题
    authors: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()
    order: int | None = None
    draft: bool = False
    area: tuple[tuple[float, float], ...] | None = None  # its outline on the page scan, in image pixels
    area_line: int | None = None
    glossary: dict[str, dict[str, str]] = field(default_factory=dict)
    continues: str | None = None  # "01/xinghualing", as written
    continues_line: int | None = None
    moved_from: tuple[str, ...] = ()  # old addresses in this issue, "02/old-slug": each gets a redirect
    moved_from_line: int | None = None
    body: Sequence[Any] = field(default_factory=list, repr=False)  # markdown-it block tokens (converted on first use in a variant)
    markers: list[Any] = field(default_factory=list, repr=False)  # jump markers typed in the body
    images: tuple[str, ...] = ()  # the files of the photos the body shows, in order
    clip: Clip | None = field(default=None, repr=False)  # its area cut from the page scan (剪报), once a build has made it
    page: Page = field(default=None, repr=False)  # type: ignore[assignment]  # set when the article is put on its page, before any use
    jump_in: Jump | None = field(default=None, repr=False)  # from the part this one continues
    jump_out: Jump | None = field(default=None, repr=False)  # to the part that continues this one

    @property
    def head(self) -> Article:
        part = self
        while part.jump_in is not None:
            part = part.jump_in.source
        return part

    @property
    def headline(self) -> str:
        return self.title or self.head.title or ""

    @property
    def story(self) -> list[Article]:
        """Every part of the story this article belongs to, head first."""
        parts = [self.head]
        while parts[-1].jump_out is not None:
            parts.append(parts[-1].jump_out.target)
        return parts

    @property
    def is_continuation(self) -> bool:
        return self.jump_in is not None


@dataclass(eq=False)
class Jump:
    """A story leaves `source` (下转第N版) and goes on in `target` (上接第M版)."""

    source: Article
    target: Article


@dataclass(frozen=True)
class Rendition:
    """One resized copy of a page scan, as files beside the page."""

    width: int
    height: int
    jpeg: str
    webp: str | None  # the same in WebP, made only where it is smaller than the JPEG


@dataclass(eq=False)
class Scan:
    """The printed page as an image (版面图), and the copies the build made of it."""

    name: str  # the file beside page.yaml: page.jpg
    width: int
    height: int
    size: int  # bytes
    line: int | None = None  # of `image:` in page.yaml
    digest: str | None = None  # of the file's bytes, once a build has read them
    renditions: tuple[Rendition, ...] = ()  # narrowest first, for srcset
    thumb: Rendition | None = None  # for the page grid (版面导航) and the article's locator

    @property
    def for_phones(self) -> tuple[Rendition, ...]:
        """The copies a phone may choose from. A phone shows the page about 400 CSS pixels wide,
        where the print is a map, not text to read: 800 pixels are sharp enough at any pixel
        density, and a reader who zooms in gets the original."""
        return tuple(r for r in self.renditions if r.width <= 800) or self.renditions[:1]

    @property
    def webp(self) -> bool:
        return any(r.webp for r in self.renditions)

    @property
    def card(self) -> Rendition | None:
        """The copy for sharing cards: the widest that is no wider than 1200 pixels."""
        fitting = [r for r in self.renditions if r.width <= 1200]
        return fitting[-1] if fitting else None

    def files(self) -> tuple[str, ...]:
        copies = [*self.renditions, *([self.thumb] if self.thumb else [])]
        return tuple(name for r in copies for name in (r.jpeg, r.webp) if name)


@dataclass(frozen=True)
class Clip:
    """A story's area cut from its page scan (剪报), as the printed story looked: the area's
    polygon masked on white with a small margin, in a phone's size and the full size."""

    digest: str  # of the scan's bytes, the area and the settings (build/clips.py): its files' names carry it
    renditions: tuple[Rendition, ...]  # a phone's first (at most 800 pixels wide), the full size last; one when they are the same
    sizes: tuple[tuple[str, int], ...] = ()  # bytes of each file, by name

    @property
    def phone(self) -> Rendition:
        return self.renditions[0]

    @property
    def full(self) -> Rendition:
        return self.renditions[-1]

    @property
    def card(self) -> Rendition:
        """The copy for sharing cards: the widest no wider than 1200 pixels (else a phone's)."""
        fitting = [r for r in self.renditions if r.width <= 1200]
        return fitting[-1] if fitting else self.phone

    def size(self, name: str) -> int:
        return dict(self.sizes).get(name, 0)

    def files(self) -> tuple[str, ...]:
        return tuple(name for r in self.renditions for name in (r.jpeg, r.webp) if name)


@dataclass(frozen=True)
class Download:
    """A file readers download, such as the page's PDF, with its size to show beside the link."""

    name: str
    size: int  # bytes


@dataclass(eq=False)
class Page:
    label: str  # the folder name: 01, A3
    name: str  # 版名
    editor: str | None = None  # 责任编辑
    image: str | None = None  # the scan's file name, as page.yaml gives it
    scan: Scan | None = None  # the scan, once read (None also when it could not be)
    pdf: Download | None = None
    files: tuple[str, ...] = ()  # images and PDFs beside the articles, published as they are
    photos: dict[str, Scan] = field(default_factory=dict)  # file name -> an article photo's copies, made as a scan's are (build/scan_copies.py)
    articles: list[Article] = field(default_factory=list)
    issue: Issue = field(default=None, repr=False)  # type: ignore[assignment]  # set when the page is put in its issue, before any use

    @property
    def shown(self) -> str:
        return shown_label(self.label)


@dataclass(eq=False)
class Issue:
    date: dt.date
    number: int | None = None  # 总期号
    pages: list[Page] = field(default_factory=list)
    unreadable: set[tuple[str, str]] = field(default_factory=set)  # (page as shown, slug) of articles with faults of their own

    @property
    def folder(self) -> str:
        return self.date.isoformat()

    def articles(self) -> Iterator[Article]:
        for page in self.pages:
            yield from page.articles

    @functools.cached_property
    def glossaries(self) -> list[dict[str, dict[str, str]]]:
        """The articles' own glossaries (most have none), gathered once the issue is checked."""
        return [a.glossary for a in self.articles() if a.glossary]


@dataclass
class Edition:
    site: Site
    issues: list[Issue]  # oldest first

    @property
    def latest(self) -> Issue | None:
        return self.issues[-1] if self.issues else None

    def articles(self) -> Iterator[Article]:
        for issue in self.issues:
            yield from issue.articles()
