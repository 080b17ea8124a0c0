"""`new`: start tomorrow's paper (`new issue DATE`) or a new paper (`new site DIR`).

A new issue gets the page folders of the latest issue before it, with their 版名 and 责任编辑
(not their scans: those are the new day's), and on its first page an article to copy, a draft so
that it is never published by mistake. Nothing that exists is written over.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..faults import Faults
from . import load, schema

TEMPLATE = """---
title: 主题（请改写）
# kicker: 引题
# subtitle: 副题
author: 记者姓名
order: 1
draft: true  # 稿件核对好以后删去这一行，它才会发布
---
本报讯 正文从这里开始。每篇稿件一个文件：复制这个文件，文件名用小写拼音和连字符（例如 shuju-zhongxin.md），
再改写上面的字段和正文。续到别的版的部分，在那一版另建一个文件，写上 continues: 01/文件名。
"""
TEMPLATE_NAME = "moban.md"

SITE = """# 报纸的设置。每一项的说明见编辑手册（docs/guide.md）的“site.yaml”一节。
title: {title}  # 必填：报纸名称，每一页都显示
language: zh-Hans                    # 稿件用的字形（简体）
variants:                            # 用 OpenCC 生成的其他字形版本
  - {{code: zh-Hant, label: 繁體, opencc: s2tw}}
# base_url: https://epaper.example.com/   # 网站的正式地址：有了它才有 RSS/Atom 订阅、sitemap 和分享卡片
# glossary:                               # OpenCC 转错的词，在这里写定，例如：
#   在并: 在并
"""
FIRST_PAGE = "name: 要闻\n"


class Refused(Exception):
    """What cannot be started, in the editor's words."""


def new_issue(content: Path, day: str) -> list[Path]:
    """The files of a new issue dated `day`; raise Refused when it cannot be made."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Refused(f"“{day}”不是真实的日期：请写成 YYYY-MM-DD，例如 2021-12-12") from None
    if not (content / "site.yaml").is_file():
        raise Refused(f"{content}: 不是内容文件夹（没有 site.yaml）：请用 --content 指定，或先用 new site 建一份报纸")
    folder = content / date.isoformat()
    if folder.exists():
        raise Refused(f"{folder}: 这一期已经有了，不会改动它")
    pages = pages_before(content, date)
    written = []
    for index, (label, page_yaml) in enumerate(pages):
        (folder / label).mkdir(parents=True)
        (folder / label / "page.yaml").write_text(page_yaml, encoding="utf-8")
        written.append(folder / label / "page.yaml")
        if index == 0:
            (folder / label / TEMPLATE_NAME).write_text(TEMPLATE, encoding="utf-8")
            written.append(folder / label / TEMPLATE_NAME)
    return written


def pages_before(content: Path, date: dt.date) -> list[tuple[str, str]]:
    """The latest earlier issue's page labels and what their page.yaml says of them (版名, 责任编辑),
    or one page 01 要闻 for a first issue."""
    faults = Faults()
    earlier = sorted(f for f in load.issue_folders(content, load.load_site(content, faults), faults) if f < date.isoformat())
    if not earlier:
        return [("01", FIRST_PAGE)]
    issue = load.load_issue(content, earlier[-1], load.load_site(content, Faults()), Faults())
    if issue is None or not issue.pages:
        return [("01", FIRST_PAGE)]
    return [(page.label, f"name: {page.name}\n" + (f"editor: {page.editor}\n" if page.editor else "")) for page in issue.pages]


def new_site(folder: Path, title: str) -> Path:
    """A new paper's content folder with a commented site.yaml; raise Refused if it has anything."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise Refused(f"{folder}: 这个文件夹已经有内容，不会改动它：请换一个新的文件夹")
    try:
        schema.text(title)
    except schema.Invalid:
        raise Refused("--title 不能为空：请写上报纸名称") from None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(SITE.format(title=json.dumps(title.strip(), ensure_ascii=False)), encoding="utf-8")  # JSON is YAML
    return folder / "site.yaml"
