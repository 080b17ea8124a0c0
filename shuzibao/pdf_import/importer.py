"""`python build.py import`: a night's page PDFs into the content tree, as draft stories.

Every PDF is read and every page made before anything is written; a fault in any of them (not a
PDF, damaged, encrypted, garbled, a page that exists without --force) means nothing is written,
and every fault is reported. A page without a text layer is still made (its image, PDF and
page.yaml), and reported: its stories must be typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from ..content import load
from ..faults import Fault, Faults
from ..model import LABEL, shown_label
from . import areas, files, jumps, layout, names, reading, stories, text_layer, writing

HEADER_LABEL = re.compile(r"第\s*([A-Za-z]?)\s*(\d+)\s*版")
HEADER_NAME = re.compile(r"第\s*[A-Za-z]?\s*\d+\s*版[\s　·|]*([\u4e00-\u9fff]{2,8})")
EDITOR = re.compile(r"(?:责任编辑|责编)[\s　：:]*([\u4e00-\u9fff]{2,4})")
NOT_NAMES = {"星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "责任编辑"}  # and the paper's own name
MIN_CHARS = 20  # a page with fewer characters than this has no text layer to speak of


@dataclass
class Request:
    pdfs: list[Path]
    date: str
    content: Path
    page: str | None = None
    force: bool = False
    ready: bool = False


@dataclass
class Made:
    """One page, read and laid out, before it is written."""

    source: Path
    label: str
    name: str | None
    editor: str | None
    has_text: bool
    stories: list[stories.Story] = field(default_factory=list)
    parts: list[jumps.Part] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    image: Image.Image | None = None  # the page image, 2,200 pixels wide
    scale: float = 1.0  # image pixels per PDF point


@dataclass
class Result:
    faults: list[Fault] = field(default_factory=list)
    warnings: list[Fault] = field(default_factory=list)
    outcome: writing.Outcome | None = None
    pages: list[Made] = field(default_factory=list)


def run(request: Request) -> Result:
    result = Result()
    made = [m for pdf in request.pdfs if (m := read_one(pdf, request, result)) is not None]
    _check_labels(made, request, result)
    if any("没有文字层" not in f.message for f in result.faults):
        return result
    existing = jumps.existing_heads(request.content / request.date, {m.label for m in made})
    for part in jumps.link([p for m in made for p in m.parts], existing):
        message = f"第{shown_label(part.label)}版的续文“{part.title or part.slug}”（上接第{part.jumps_from}版）找不到前文：请先导入第{part.jumps_from}版，或手工写上 continues"
        result.warnings.append(Fault(str(_source(made, part)), None, message, warning=True))
    for page in made:
        _make_files(page, request.ready)
    result.pages = made
    result.outcome = writing.commit(request.content, request.date, [writing.PageFiles(m.label, m.files, m.source.name) for m in made], request.force)
    return result


def _source(made: list[Made], part: jumps.Part) -> Path:
    return next(m.source for m in made if part in m.parts)


def read_one(pdf: Path, request: Request, result: Result) -> Made | None:
    """Read one PDF into a page; on a fault, say what is wrong with it and give None."""
    where = str(pdf)
    if not pdf.is_file():
        result.faults.append(Fault(where, None, "文件不存在：请检查路径"))
        return None
    try:
        pages = reading.check_pdf(pdf)
        if pages != 1:
            result.faults.append(Fault(where, None, f"PDF 有 {pages} 页：每个文件应只是一个版面（每版导出一个 PDF）"))
            return None
        text = reading.read_page(pdf)
    except reading.Unusable as error:
        result.faults.append(Fault(where, None, str(error)))
        return None
    header = layout.find_stories(text) if len(text.chars) >= MIN_CHARS else None
    header_text = " ".join(line.text for line in header.header) if header else ""
    label = _label(pdf, request, header_text)
    if label is None:
        result.faults.append(Fault(where, None, "无法确定版号：请把文件命名为版号（例如 01.pdf、A01.pdf），或用 --page 指定"))
        return None
    not_names = NOT_NAMES | {paper_title(request.content)}
    name = next((n for n in HEADER_NAME.findall(header_text) if n not in not_names), None)
    editor = found.group(1) if (found := EDITOR.search(header_text)) else None
    page = Made(pdf, label, name, editor, header is not None)
    if header is None:
        result.faults.append(Fault(where, None, "这一版没有文字层（扫描件，或文字已转为曲线）：已生成版面图、page.pdf 和 page.yaml，稿件须手工录入"))
    else:
        reading_ = text_layer.judge([text_layer.normalise(t) for t in text.raw])
        if reading_.garbled:
            hint = "请在排版系统中嵌入字体并导出 PDF，或把这一版的稿件手工录入"
            result.faults.append(Fault(where, None, f"文字层是乱码（字体没有 Unicode 映射，常见于老版方正字体；例如“{reading_.odd}”）：{hint}"))
            return None
        page.stories = [stories.make_story(found, header.body) for found in header.stories]
        page.stories = [s for s in page.stories if s.paragraphs or s.figures]
        if reading_.odd:
            result.warnings.append(Fault(where, None, f"有无法识别的字符（{reading_.odd}），请在预览中核对", warning=True))
    page.image = reading.render(pdf)
    page.scale = reading.IMAGE_WIDTH / text.width
    _name_parts(page)
    return page


def paper_title(content: Path) -> str:
    """The paper's name from site.yaml (a page header may print it after 第1版), or ""."""
    if not (content / "site.yaml").is_file():
        return ""
    return load.load_site(content, Faults()).title


def _label(pdf: Path, request: Request, header: str) -> str | None:
    """--page, else the file name (01.pdf, A01.pdf, 3.pdf), else the page header (第3版)."""
    if request.page:
        return request.page.upper()
    stem = pdf.stem.upper()
    if LABEL.match(stem):
        return stem
    found = HEADER_LABEL.search(header)
    if found:
        return f"{found.group(1).upper()}{int(found.group(2)):02d}"
    return None


def _check_labels(made: list[Made], request: Request, result: Result) -> None:
    if request.page and not LABEL.match(request.page.upper()):
        result.faults.append(Fault(request.page, None, "--page 应是版号，例如 01、3、A01"))
    seen: dict[str, Path] = {}
    for page in made:
        shown = shown_label(page.label)
        if shown in seen:
            result.faults.append(Fault(str(page.source), None, f"与 {seen[shown]} 都是第{shown}版：请只导入其中一个"))
        seen[shown] = page.source
        target = writing.existing_folder(request.content / request.date, page.label)
        if target is not None:
            page.label = target.name
            if not request.force:
                hint = "若要用新的 PDF 更新，请加 --force（编辑改过的文件不会被覆盖）"
                result.faults.append(Fault(f"{request.date}/{target.name}", None, f"这一版已存在（{page.source.name} 未导入，什么也没写）：{hint}"))


def _name_parts(page: Made) -> None:
    taken: set[str] = set()
    for story in page.stories:
        if story.title:
            base = story.title
        elif story.figures and not story.paragraphs:
            base = "图片新闻"
        else:
            base = ""
        slug = names.slug(base, taken) if base else ""
        page.parts.append(jumps.Part(page.label, slug, story.title, story.jumps_to, story.jumps_from))
    for part in page.parts:  # a continuation without a heading is named once its head is known
        if not part.slug:
            part.slug = names.slug("", taken)


def _make_files(page: Made, ready: bool) -> None:
    image = page.image
    assert image is not None  # rendered when the page was read
    data = page.source.read_bytes()
    page.files = {"page.pdf": data, "page.jpg": files.jpeg(image), "page.yaml": files.page_yaml(page.name, page.editor, shown_label(page.label), page.has_text).encode()}
    taken = {p.slug for p in page.parts}
    for order, (story, part) in enumerate(zip(page.stories, page.parts, strict=True), start=1):
        if part.continues:  # named after its head: xinghualing-xu
            taken.discard(part.slug)
            part.slug = _continuation_slug(part.continues, taken)
        made_title = False
        if not story.title and not part.continues:
            story.title, made_title = _made_title(story), True
        area = areas.area(story, page.scale, image.width, image.height)
        figures = []
        for number, figure in enumerate(story.figures, start=1):
            name = f"{part.slug}-{number}.jpg"
            box = figure.box
            page.files[name] = files.jpeg(image.crop((box.x0 * page.scale, box.top * page.scale, box.x1 * page.scale, box.bottom * page.scale)))
            figures.append(name)
        text = files.article(story, order, area, figures, not ready, part.continues, part.own_title, made_title)
        page.files[f"{part.slug}.md"] = text.encode()


def _continuation_slug(continues: str, taken: set[str]) -> str:
    base = continues.split("/")[-1] + "-xu"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


def _made_title(story: stories.Story) -> str:
    if story.figures and not story.paragraphs:
        return "图片新闻"
    first = re.split(r"[，。！？；]", re.sub(r"^本报讯\s*(?:[（(][^）)]*[)）])?\s*", "", story.paragraphs[0]))[0]
    return first[:20] or "待定标题"
