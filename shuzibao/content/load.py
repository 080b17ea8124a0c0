"""Load the content tree into the model, collecting every fault on the way.

The tree is read whole before anything is written: site.yaml, then each issue folder, each page
folder, each article. A broken file is reported and left out; loading goes on so that one run
shows every fault of the tree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image

from .. import urls
from ..faults import Faults
from ..model import (
    LABEL,
    Article,
    Issue,
    Page,
    Site,
    Variant,
    page_sort_key,
    shown_label,
)
from . import article_body as body
from . import safe_svg, scans, schema
from .schema import Field
from .sources import YamlDoc, parse_yaml, read_text, split_front_matter

SLUG = re.compile(r"^[a-z0-9-]+$")
IMAGES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg"}
MEDIA = {*IMAGES, ".pdf"}
SOURCE_LABELS = {"zh-Hans": "简体", "zh-CN": "简体", "zh-SG": "简体"}
DEFAULT_VARIANTS = ({"code": "zh-Hant", "label": "繁體", "opencc": "s2tw"},)


def is_ignored(name: str) -> bool:
    """Files that operating systems and editors leave behind: .DS_Store, .#x.md, x.md~, ~$x."""
    return name.startswith((".", "~$", "#")) or name.endswith(("~", ".swp", ".tmp"))


SYMLINK = "这是一个符号链接（symlink）：内容文件夹里只能有真正的文件和文件夹（网站不会去读链接指向的地方）。请把要用的文件复制进来，或删去这个链接"


def listing(root: Path, rel: str, faults: Faults) -> list[os.DirEntry[str]]:
    """The entries of a folder of the tree (`rel`, "" for the top) by name, without the files
    editors' tools leave behind. A symlink is a fault, dangling or looping ones too: nothing
    outside the tree is ever read. DirEntry, not Path: it knows a folder from a file and a link
    without a system call, which a decade's 3,650 issue folders would cost on every preview save."""
    entries = []
    with os.scandir(root / rel) as found:
        for entry in sorted(found, key=lambda e: e.name):
            if is_ignored(entry.name):
                continue
            if entry.is_symlink():
                faults.add(f"{rel}/{entry.name}" if rel else entry.name, None, SYMLINK)
            else:
                entries.append(entry)
    return entries


def asset_files(root: Path, site: Site, faults: Faults) -> list[str]:
    """Every file of the asset folders site.yaml names, and its logo, published as they are
    (relative paths)."""
    found = [site.logo] if site.logo else []
    for folder in site.assets:
        for parent, folders, files in os.walk(root / folder):  # os.walk follows no symlink to a folder
            for name in sorted(folders + files):
                path = Path(parent) / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    faults.add(rel, None, SYMLINK)
                elif name in files and not is_ignored(name):
                    if name.lower().endswith(".svg") and (unsafe := safe_svg.fault(path)):
                        faults.add(rel, None, unsafe)
                    found.append(rel)
            folders[:] = [f for f in folders if not (Path(parent) / f).is_symlink()]
    return sorted(found)


# --- site.yaml ---------------------------------------------------------------------------------


def load_site(root: Path, faults: Faults) -> Site:
    """The site's settings; on faults, defaults that let the rest of the tree be checked."""
    values: dict[str, Any] = {}
    doc = None
    if not (root / "site.yaml").is_file():
        faults.add("site.yaml", None, "缺少 site.yaml：请在内容文件夹中写上 title: 报纸名称")
    else:
        text = read_text(root, "site.yaml", faults)
        doc = parse_yaml(text, "site.yaml", faults) if text is not None else None
        values = (schema.check_fields(doc, schema.SITE_SCHEMA, "site.yaml", faults) if doc else None) or {}
    language = values.get("language", "zh-Hans")
    source = Variant(language, SOURCE_LABELS.get(language, language), None, "")
    others = tuple(
        Variant(v["code"], v["label"], v["opencc"], v["code"].lower() + "/", schema.quotes_for(v))
        for v in values.get("variants", DEFAULT_VARIANTS)
    )
    site = Site(values.get("title", ""), (source, *others), values.get("base_url"), assets=values.get("assets", ()))
    site.icp, site.police, site.copyright = values.get("icp"), values.get("police"), values.get("copyright")
    if doc is not None and "logo" in values:
        site.logo = values["logo"] if logo_ok(root, values["logo"], doc.line("logo"), faults) else None
    if doc is not None:
        site.glossary = schema.check_value(doc, "glossary", schema.variant_glossary(site.variants), "site.yaml", faults) or {}
        check_names(site, doc, faults)
    if doc is not None and not site.base_url:
        faults.warn("site.yaml", doc.first_line, NO_BASE_URL)
    return site


LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}  # what every browser shows; or an SVG, checked for scripts


def logo_ok(root: Path, name: str, line: int, faults: Faults) -> bool:
    """The masthead logo is an image beside site.yaml, a real file (no symlink), and an SVG one
    without scripts: it is published at the site's root and shown on every page."""
    path = root / name
    if path.is_symlink():  # the fault is the listing's of the top folder (issue_folders): never opened
        return False
    if not path.is_file():
        faults.add("site.yaml", line, f"logo 图片“{name}”不存在：请把它放在 site.yaml 旁边，或改正文件名")
        return False
    if name.lower().endswith(".svg"):
        unsafe = safe_svg.fault(path)
        if unsafe:
            faults.add(name, None, unsafe)
        return unsafe is None
    try:
        with scans.quiet_pillow(), Image.open(path) as image:
            kind = image.format
    except (OSError, ValueError):
        kind = None
    if kind not in LOGO_FORMATS:
        faults.add("site.yaml", line, f"logo“{name}”不是 PNG、JPEG、WebP 或 SVG 图片：请重新导出报头图片")
        return False
    return True


def check_names(site: Site, doc: YamlDoc, faults: Faults) -> None:
    """The folders the site makes are its own: no asset folder and no script may take one's name
    (file systems that ignore case count too), and a script is not the source again."""
    taken = {name.lower() for name in urls.site_folders(site)}
    for index, folder in enumerate(site.assets):
        if folder.lower() in taken:
            faults.add("site.yaml", doc.line("assets", index), f"素材文件夹不能叫“{folder}”：网站自己要用这个名字（{'、'.join(sorted(urls.site_folders(site)))}）；请改个名字")
    for index, variant in enumerate(site.variants[1:]):
        if variant.code.lower() == site.source.code.lower():
            faults.add("site.yaml", doc.line("variants", index, "code"), f"字形版本 {variant.code} 就是原稿的字形（language: {site.source.code}），不必再生成一次：请删去这一项")


NO_BASE_URL = (
    "没有 base_url，所以没有生成 RSS/Atom 订阅和 sitemap.xml，页面里也没有 canonical、分享卡片图片等完整网址"
    "（网站本身照常可用）。请写上网站的正式地址，例如 base_url: https://epaper.example.com/"
)


# --- issues and pages --------------------------------------------------------------------------


def load_issues(root: Path, site: Site, faults: Faults) -> list[Issue]:
    issues = [load_issue(root, name, site, faults) for name in issue_folders(root, site, faults)]
    return sorted((i for i in issues if i is not None), key=lambda i: i.date)


def issue_folders(root: Path, site: Site, faults: Faults) -> list[str]:
    """The folders that look like issues; anything else at the top is a fault."""
    for folder in site.assets:
        if not (root / folder).is_dir():
            faults.add("site.yaml", None, f"assets 中声明的文件夹“{folder}”不存在")
    names = []
    for entry in listing(root, "", faults):
        name = entry.name
        if name in ("site.yaml", site.logo) or (entry.is_dir() and name in site.assets):
            continue
        if entry.is_dir() and schema.DATE.match(name):
            names.append(name)
        elif entry.is_dir():
            faults.add(name, None, "期次文件夹须以出版日期命名，例如 2021-12-10；若是素材文件夹，请在 site.yaml 的 assets 中声明")
        else:
            faults.add(name, None, "内容文件夹顶层只能有 site.yaml 和期次文件夹；请移走或删除这个文件")
    return names


def load_issue(root: Path, folder: str, site: Site, faults: Faults, bodies: body.Bodies | None = None) -> Issue | None:
    """An issue folder; `bodies`, where given, keeps the bodies read for the next load (the preview's)."""
    try:
        date = dt.date.fromisoformat(folder)
    except ValueError:
        faults.add(folder, None, f"“{folder}”不是真实的日期，期次文件夹须写成 YYYY-MM-DD")
        return None
    issue = Issue(date)
    values, _ = load_yaml_file(root, f"{folder}/issue.yaml", schema.ISSUE_SCHEMA, faults)
    issue.number = (values or {}).get("number")
    shown: dict[str, str] = {}
    for entry in listing(root, folder, faults):
        rel = f"{folder}/{entry.name}"
        if entry.name == "issue.yaml":
            continue
        if not entry.is_dir() or not LABEL.match(entry.name):
            faults.add(rel, None, "期次文件夹里只能有 issue.yaml 和版面文件夹；版面文件夹以版号命名，例如 01、3、A01")
            continue
        label = shown_label(entry.name)
        if label in shown:
            faults.add(rel, None, f"与 {folder}/{shown[label]} 都是第{label}版，请只保留一个")
            continue
        shown[label] = entry.name
        page = load_page(root, rel, site, faults, issue.unreadable, bodies)
        if page is not None:
            page.issue = issue
            issue.pages.append(page)
    if not shown:
        faults.add(folder, None, "这一期还没有版面：请添加版面文件夹（例如 01/page.yaml），或删除这个空文件夹")
    issue.pages.sort(key=lambda p: page_sort_key(p.label))
    return issue


def load_yaml_file(root: Path, rel: str, fields: dict[str, Field], faults: Faults) -> tuple[dict[str, Any] | None, YamlDoc | None]:
    """The typed values of a small YAML file and its document (for key lines), or Nones."""
    if not (root / rel).is_file():
        return None, None
    text = read_text(root, rel, faults)
    doc = parse_yaml(text, rel, faults) if text is not None else None
    return (schema.check_fields(doc, fields, rel, faults) if doc is not None else None), doc


def load_page(root: Path, folder: str, site: Site, faults: Faults, unreadable: set[tuple[str, str]], bodies: body.Bodies | None = None) -> Page | None:
    """A page folder; the articles that cannot be read go into `unreadable` (their faults are said)."""
    label = PurePosixPath(folder).name
    values, doc = load_yaml_file(root, f"{folder}/page.yaml", schema.PAGE_SCHEMA, faults)
    if doc is None and not (root / folder / "page.yaml").is_file():
        faults.add(f"{folder}/page.yaml", None, "缺少 page.yaml：每个版面文件夹都要有它，至少写 name: 版名")
    articles, files = [], []
    for entry in listing(root, folder, faults):
        rel, path = f"{folder}/{entry.name}", Path(entry.path)
        if entry.name == "page.yaml":
            continue
        if entry.is_file() and path.suffix == ".md":
            article = load_article(root, rel, site, faults, bodies)
            if article is not None:
                articles.append(article)
            else:
                unreadable.add((shown_label(label), path.stem))  # a continuation of it need not say it is missing
        elif entry.is_file() and path.suffix.lower() in MEDIA:
            if path.suffix.lower() == ".svg" and (unsafe := safe_svg.fault(path)):
                faults.add(rel, None, unsafe)
            files.append(entry.name)
        else:
            faults.add(rel, None, "版面文件夹里只能有 page.yaml、文章（.md）和图片或 PDF（jpg、png、webp、gif、svg、pdf）")
    if values is None or doc is None:
        unreadable.update((shown_label(label), a.slug) for a in articles)
        return None
    page = Page(label, values["name"], values.get("editor"), image=values.get("image"), files=tuple(files))
    for key in ("image", "pdf"):
        name = values.get(key)
        if name and name not in files:
            faults.add(f"{folder}/page.yaml", doc.line(key), f"{key} 指向的文件“{name}”不在这个版面文件夹里")
        elif name:
            try:
                if key == "image":
                    page.scan = scans.read_scan(root / folder / name, doc.line(key))
                else:
                    page.pdf = scans.read_pdf(root / folder / name)
            except scans.Unreadable as error:
                faults.add(f"{folder}/page.yaml", doc.line(key), str(error))
    page.articles = sorted(articles, key=lambda a: (a.order is None, a.order or 0, a.slug))
    for article in page.articles:
        article.page = page
    return page


# --- articles ----------------------------------------------------------------------------------


def load_article(root: Path, rel: str, site: Site, faults: Faults, bodies: body.Bodies | None = None) -> Article | None:
    slug = PurePosixPath(rel).stem
    slug_ok = bool(SLUG.match(slug)) and slug not in schema.RESERVED_SLUGS
    if not SLUG.match(slug):
        faults.add(rel, None, "文件名只能用小写英文字母、数字和连字符（例如 shuju-zhongxin.md），它就是文章的永久网址")
    elif not slug_ok:
        faults.add(rel, None, f"文件名“{slug}”留给版面本身的页面（{slug}.html）：请给这篇稿件换个文件名")
    text = read_text(root, rel, faults)
    source = split_front_matter(text, rel, faults) if text is not None else None
    if source is None or text is None:
        return None
    values = schema.check_fields(source.front, schema.article_schema(site.variants), rel, faults)
    tokens, markers = bodies.read(source.body, source.body_line) if bodies is not None else body.read(source.body, source.body_line)
    images = body.image_sources(tokens, source.body_line)
    images_ok = check_images(root, rel, images, faults)
    for written, line in body.images_read_as_text(tokens, source.body_line):
        faults.add(rel, line, f"“{written}”不是图片：文件名里有空格时，请把文件名放在尖括号里，例如 ![说明](<照片 1.jpg>)")
        images_ok = False
    if not any(t.type != "inline" or t.content.strip() for t in tokens):
        faults.add(rel, source.body_line, "正文是空的：请在 front matter 的 --- 之后写正文")
        return None
    if values is None or not slug_ok or not images_ok:
        return None
    if "title" not in values and "continues" not in values:
        faults.add(rel, 2, "缺少必填字段“title”（只有写了 continues 的续文可以不写标题）")
        return None
    return Article(
        path=rel,
        digest=hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest(),
        slug=slug,
        title=values.get("title"),
        kicker=values.get("kicker"),
        subtitle=values.get("subtitle"),
        authors=values.get("author", ()),
        photographers=values.get("photographer", ()),
        order=values.get("order"),
        draft=values.get("draft", False),
        area=values.get("area"),
        area_line=source.front.line("area"),
        glossary=values.get("glossary", {}),
        continues=values.get("continues"),
        continues_line=source.front.line("continues"),
        moved_from=values.get("moved_from", ()),
        moved_from_line=source.front.line("moved_from"),
        body=tokens,
        markers=markers,
        images=tuple(src for src, _ in images),
    )


def check_images(root: Path, rel: str, images: list[tuple[str, int]], faults: Faults) -> bool:
    """Images are files beside the article, so that the page works offline and from any host."""
    ok = True
    folder = PurePosixPath(rel).parent
    for src, line in images:
        if "/" in src or "\\" in src or ":" in src or not src:
            faults.add(rel, line, f"图片“{src}”应是本版文件夹中的文件名（例如 photo.jpg），不能是网址或其他文件夹的路径")
            ok = False
        elif PurePosixPath(src).suffix.lower() not in IMAGES:
            faults.add(rel, line, f"“{src}”不是图片：![说明](文件名) 只能放 jpg、png、webp、gif 或 svg 图片；版面的 PDF 请写在 page.yaml 的 pdf 里")
            ok = False
        elif not (root / folder / src).is_file():
            faults.add(rel, line, f"图片“{src}”不存在：请把它放进 {folder}/ 文件夹，或改正文件名")
            ok = False
    return ok
