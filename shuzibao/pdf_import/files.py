"""The files of an imported page, in the content contract: page.yaml, one Markdown file per story,
the page image and the photos cut out of it.
"""

from __future__ import annotations

import io
import re
from typing import Any

import yaml
from PIL import Image

from .areas import Area
from .stories import Story

QUALITY = 85  # JPEG quality of the page image and photos: print stays legible when zoomed


def scalar(value: Any) -> str:
    """A YAML value on one line, quoted only where YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def page_yaml(name: str | None, editor: str | None, shown: str, has_text: bool) -> str:
    lines = ["# 由 python build.py import 从版面 PDF 导入"]
    if name:
        lines.append(f"name: {scalar(name)}")
    else:
        lines += ["# 版名未能从 PDF 的版头读出：请改成本版的版名", f"name: {scalar(f'第{shown}版')}"]
    if editor:
        lines.append(f"editor: {scalar(editor)}")
    lines += ["image: page.jpg", "pdf: page.pdf"]
    if not has_text:
        lines.append("# 这一版的 PDF 没有文字层（扫描件或文字已转曲）：稿件须手工录入")
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """Print text as Markdown that shows it as printed: no list, heading or emphasis by accident."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    return re.sub(r"^([#>+\-=]|\d+[.)])", r"\\\1", text)


def article(story: Story, order: int, area: Area, figures: list[str], draft: bool, continues: str | None, own_title: bool, made_title: bool) -> str:
    front = ["---"]
    if made_title:
        front.append("# 印刷版没有标题：这是导入据正文拟的，请核对")
    if story.title and (continues is None or own_title):
        front.append(f"title: {scalar(story.title)}")
    for key, value in (("kicker", story.kicker), ("subtitle", story.subtitle)):
        if value:
            front.append(f"{key}: {scalar(value)}")
    for key, names in (("author", story.authors), ("photographer", story.photographers)):
        if names:
            front.append(f"{key}: {scalar(names[0] if len(names) == 1 else names)}")
    front.append(f"order: {order}")
    if continues:
        front.append(f"continues: {continues}")
    if draft:
        front.append("draft: true  # 导入的稿件：在预览中核对后删去这一行")
    front += [f"area: {scalar(area)}", "---"]
    body = [f"![{escape(f.caption)}]({name})" for f, name in zip(story.figures, figures, strict=True)]
    for paragraph in story.paragraphs:
        body.append("### " + escape(paragraph[4:]) if paragraph.startswith("### ") else escape(paragraph))
    return "\n".join(front) + "\n" + "\n\n".join(body) + "\n"


def jpeg(image: Image.Image) -> bytes:
    data = io.BytesIO()
    image.save(data, "JPEG", quality=QUALITY, optimize=True)
    return data.getvalue()
