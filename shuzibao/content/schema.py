"""Typed schemas for site.yaml, issue.yaml, page.yaml and article front matter.

Each field names a checker that turns the YAML value into the model's type or says, in the
editor's words, what is wrong. Unknown keys are faults, with the nearest known key suggested.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..faults import Faults
from ..model import Variant
from .sources import INVISIBLE, YamlDoc


class Invalid(Exception):
    """A value of the wrong type or shape: what is expected, and under which sub-key (if any).

    A checker that finds several problems raises one Invalid holding all of them."""

    def __init__(self, message: str = "", at: tuple[Any, ...] = (), problems: list[tuple[str, tuple[Any, ...]]] | None = None):
        super().__init__(message)
        self.problems = problems if problems is not None else [(message, at)]


Checker = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    check: Checker
    required: bool = False


def text(value: Any) -> str:
    if isinstance(value, bool):
        raise Invalid("应是一段文字；yes、no、true、false 这样的词会被当成是非值，请加引号")
    if isinstance(value, (dt.date, dt.datetime)):
        raise Invalid(f"应是一段文字；{value} 会被当成日期，请加引号，例如 \"{value}\"")
    if not isinstance(value, (str, int, float)):
        raise Invalid("应是一段文字")
    if not isinstance(value, str):
        raise Invalid(f"应是一段文字；若要写数字 {value}，请加引号")
    stripped = value.strip()
    if not stripped:
        raise Invalid("不能为空")
    if found := INVISIBLE.search(stripped):
        raise Invalid(f"含有看不见的控制字符 U+{ord(found.group()):04X}：请删去（例如引号里的 \\0、\\v）")
    return stripped


def names(value: Any) -> tuple[str, ...]:
    """One name, a list of names, or names joined by 、 as printed."""
    items = [text(v) for v in value] if isinstance(value, list) else re.split(r"\s*[、，,]\s*", text(value))
    return tuple(i for i in items if i)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("应是整数")
    return value


def positive(value: Any) -> int:
    number = integer(value)
    if number < 1:
        raise Invalid("应是正整数")
    return number


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("应是 true 或 false")
    return value


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid("坐标应是数字")
    if not -LARGEST <= value <= LARGEST:  # also false for nan
        raise Invalid(f"坐标 {str(value)[:12]} 不是图上的像素位置：请检查这个数")
    return value


def area(value: Any) -> tuple[tuple[float, float], ...]:
    """A rectangle [x1, y1, x2, y2] or a polygon [[x, y], ...] in image pixels, as points."""
    if isinstance(value, list) and len(value) == 4 and all(not isinstance(v, list) for v in value):
        x1, y1, x2, y2 = (number(v) for v in value)
        if x2 <= x1 or y2 <= y1:
            raise Invalid("矩形应写成 [左, 上, 右, 下]，右须大于左、下须大于上")
        return ((x1, y1), (x2, y1), (x2, y2), (x1, y2))
    if isinstance(value, list) and len(value) >= 3 and all(isinstance(p, list) and len(p) == 2 for p in value):
        return tuple((number(x), number(y)) for x, y in value)
    raise Invalid("应是矩形 [x1, y1, x2, y2] 或多边形 [[x, y], [x, y], [x, y], ...]")


DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # an issue folder
OPENCC_CONFIGS = ("s2tw", "s2hk", "s2t")
# s2twp is refused with its reason: besides the characters it swaps Taiwan's vocabulary in,
# which in news prose rewrites meaning and institutions' names (see variants()).
RETIRED_CONFIGS = {
    "s2twp": "s2twp 除了换字还按台湾用语换词（社区→社群、支持→支援、发布→釋出、文件→檔案），会改动新闻的原意和机构名称，已不再提供。"
    "请改用 s2tw（台湾字形）；个别要用台湾说法的词，写进 glossary",
}
QUOTES = ("corner", "keep")
CORNER_BY_DEFAULT = ("s2tw", "s2hk")  # Taiwan and Hong Kong set 「」『』
WORD = re.compile(r"\w")  # a glossary phrase has at least one letter, digit or character of a word
LARGEST = 1e7  # pixels: far beyond any scan, far within a float's exactness
RESERVED_SLUGS = {"index"}  # a page's own page (版面页) is index.html in its folder
PAGE_REF = re.compile(r"^(?:([0-9]{4}-[0-9]{2}-[0-9]{2})/)?([A-Z]?[0-9]+)/([a-z0-9-]+)$")


def page_ref(value: Any) -> str:
    ref = text(value).removesuffix(".md")
    if not PAGE_REF.match(ref):
        raise Invalid("应写成“版号/文件名”，例如 01/xinghualing（不带 .md）")
    return ref


MOVED_REF = re.compile(r"^([A-Z]?[0-9]+)/([a-z0-9-]+)$")


def old_addresses(value: Any) -> tuple[str, ...]:
    """Where an article was before it moved: one or more "page label/file name" of this issue."""
    items = value if isinstance(value, list) else [value]
    refs = []
    problems: list[tuple[str, tuple[Any, ...]]] = []
    for index, item in enumerate(items):
        try:
            ref = text(item).removesuffix(".md")
        except Invalid as e:
            problems.append((str(e), (index,) if isinstance(value, list) else ()))
            continue
        if not MOVED_REF.match(ref):
            problems.append((f"的“{ref}”应写成“版号/原文件名”，例如 02/old-name（同一期内，不带 .md）", (index,) if isinstance(value, list) else ()))
        elif ref.rsplit("/", 1)[1] in RESERVED_SLUGS:
            problems.append((f"的“{ref}”是那个版面本身的网址（index.html），不能用作旧地址", (index,) if isinstance(value, list) else ()))
        refs.append(ref)
    if problems:
        raise Invalid(problems=problems)
    return tuple(refs)


def file_name(value: Any) -> str:
    name = text(value)
    if "/" in name or "\\" in name or name.startswith("."):
        raise Invalid("应是与 page.yaml 同一文件夹中的文件名，例如 page.jpg")
    return name


def glossary_for(variant_codes: tuple[str, ...]) -> Checker:
    """Glossary entries: phrase -> one form for every variant, or {variant code: form}."""

    def check(value: Any) -> dict[str, dict[str, str]]:
        if not isinstance(value, dict):
            raise Invalid("应是“原词: 译法”的列表")
        entries: dict[str, dict[str, str]] = {}
        problems: list[tuple[str, tuple[Any, ...]]] = []
        for phrase, form in value.items():
            if not isinstance(phrase, str) or not WORD.search(phrase):
                problems.append((f"有一个词条的原词“{phrase}”是空的或没有文字，它会匹配每一处文字：请删去这一行", (phrase,)))
                continue
            forms = form if isinstance(form, dict) else dict.fromkeys(variant_codes, form)
            for code, variant_form in forms.items():
                if code not in variant_codes:
                    problems.append((f"词条“{phrase}”写了不存在的字形版本 {code}；可用：{'、'.join(variant_codes)}", (phrase, code)))
                elif not isinstance(variant_form, str) or not variant_form.strip() or INVISIBLE.search(variant_form):
                    problems.append((f"词条“{phrase}”的译法不能为空，也不能含控制字符", (phrase, code) if isinstance(form, dict) else (phrase,)))
                else:
                    entries.setdefault(str(phrase), {})[code] = variant_form.strip()
        if problems:
            raise Invalid(problems=problems)
        return entries

    return check


def check_fields(doc: YamlDoc, schema: dict[str, Field], rel: str, faults: Faults) -> dict[str, Any] | None:
    """The typed values of a YAML mapping, or None when any field is wrong (all are reported)."""
    if not isinstance(doc.data, dict):
        faults.add(rel, doc.first_line, "内容应是“字段: 值”的列表")
        return None
    values: dict[str, Any] = {}
    ok = True
    for key, value in doc.data.items():
        field = schema.get(str(key))
        if field is None:
            ok = False
            faults.add(rel, doc.line(key), _unknown_key(str(key), schema))
            continue
        if value is None:  # `kicker:` with nothing after it
            ok = False
            named = FIELD_NAMES.get(str(key), f"字段“{key}”")
            faults.add(rel, doc.line(key), f"{named}为空：删去这一行，或写上{FIELD_NAMES.get(str(key), '它的值')}")
            continue
        try:
            values[str(key)] = field.check(value)
        except Invalid as e:
            ok = False
            for message, at in e.problems:
                faults.add(rel, doc.line(key, *at), f"字段“{key}”{message}")
    for key, field in schema.items():
        if field.required and key not in doc.data:
            ok = False
            faults.add(rel, doc.first_line, f"缺少必填字段“{key}”")
    return values if ok else None


def check_value(doc: YamlDoc, key: str, check: Checker, rel: str, faults: Faults) -> Any:
    """Check one field that needs more than its own value (a glossary needs the variants)."""
    if not isinstance(doc.data, dict) or key not in doc.data:
        return None
    try:
        return check(doc.data[key])
    except Invalid as e:
        for message, at in e.problems:
            faults.add(rel, doc.line(key, *at), f"字段“{key}”{message}")
        return None


# What the editors call the fields, for messages, and the Chinese keys an input method produces.
FIELD_NAMES = {
    "title": "主题", "kicker": "引题", "subtitle": "副题", "author": "作者", "photographer": "摄影", "order": "顺序",
    "area": "热区", "continues": "接续的前文", "moved_from": "旧地址", "name": "版名", "editor": "责任编辑",
    "image": "版面图", "pdf": "版面 PDF", "number": "总期号", "glossary": "词表", "base_url": "网址",
}
CHINESE_KEYS = {
    "标题": "title", "主题": "title", "题目": "title", "引题": "kicker", "肩题": "kicker", "副题": "subtitle", "副标题": "subtitle",
    "作者": "author", "记者": "author", "摄影": "photographer", "摄": "photographer", "摄影记者": "photographer", "顺序": "order",
    "草稿": "draft", "热区": "area", "位置": "area", "续": "continues", "上接": "continues", "接续": "continues", "版名": "name",
    "编辑": "editor", "责任编辑": "editor", "责编": "editor", "版面图": "image", "图片": "image", "期号": "number", "总期号": "number",
    "报名": "title", "网址": "base_url", "词表": "glossary",
}


def _unknown_key(key: str, schema: dict[str, Field]) -> str:
    known = "、".join(schema)
    close = [CHINESE_KEYS[key]] if CHINESE_KEYS.get(key) in schema else difflib.get_close_matches(key, schema, n=1)
    guess = f"（是不是 {close[0]}？）" if close else ""
    return f"未知字段“{key}”{guess}。可用字段：{known}"


# --- the files' schemas -------------------------------------------------------------------------

def variants(value: Any) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list) or not value:
        raise Invalid("应是字形版本的列表，例如 - {code: zh-Hant, label: 繁體, opencc: s2tw}")
    problems: list[tuple[str, tuple[Any, ...]]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not {"code", "label", "opencc"} <= set(item) <= {"code", "label", "opencc", "quotes"}:
            problems.append(("每一项须有 code、label、opencc 三个字段，可选 quotes，不能有别的字段", (index,)))
            continue
        if item["opencc"] in RETIRED_CONFIGS:
            problems.append((f"的 opencc：{RETIRED_CONFIGS[item['opencc']]}", (index, "opencc")))
        elif item["opencc"] not in OPENCC_CONFIGS:
            problems.append((f"的 opencc 应是 {'、'.join(OPENCC_CONFIGS)} 之一", (index, "opencc")))
        if "quotes" in item and item["quotes"] not in QUOTES:
            problems.append(("的 quotes 应是 corner（引号用「」『』）或 keep（引号照原样）", (index, "quotes")))
        code = str(item["code"])
        if not re.match(r"^zh-[A-Za-z]+$", code) or code.lower() in seen:
            problems.append(("的 code 应是互不相同的语言代码（不分大小写：它也是网址里的文件夹名），例如 zh-Hant、zh-HK", (index, "code")))
        seen.add(code.lower())
        try:
            text(item["label"])
        except Invalid as error:
            problems.append((f"的 label {error}", (index, "label")))
    if problems:
        raise Invalid(problems=problems)
    return tuple({k: str(v) for k, v in item.items()} for item in value)


def quotes_for(variant: dict[str, str]) -> str:
    """A variant's quotation marks: as set, else corner brackets for Taiwan and Hong Kong."""
    return variant.get("quotes") or ("corner" if variant["opencc"] in CORNER_BY_DEFAULT else "keep")


def url(value: Any) -> str:
    address = text(value)
    if not re.match(r"^https?://[^\s/]+", address):
        raise Invalid("应是以 http:// 或 https:// 开头的网址")
    return address if address.endswith("/") else address + "/"


def folders(value: Any) -> tuple[str, ...]:
    names = [n for n in value if isinstance(n, str)] if isinstance(value, list) else []
    if not names or len(names) != len(value) or not all(n.strip() and not DATE.match(n) and "/" not in n and not n.startswith(".") for n in names):
        raise Invalid("应是内容文件夹顶层素材文件夹名的列表，例如 [images]（不能是日期或带 / 的路径）")
    return tuple(n.strip() for n in names)


SITE_SCHEMA = {
    "title": Field(text, required=True),
    "language": Field(text),
    "variants": Field(variants),
    "base_url": Field(url),
    "glossary": Field(lambda value: value),  # checked once the variants are known
    "assets": Field(folders),
    "logo": Field(file_name),  # beside site.yaml: checked and published by load.py
    "icp": Field(text),  # ICP 备案号: 晋ICP备12345678号-1
    "police": Field(text),  # 公安备案号: 晋公网安备 14010502000123号
    "copyright": Field(text),
}


def variant_glossary(variants: tuple[Variant, ...]) -> Checker:
    """A glossary's checker: its forms may name the scripts made from the source."""
    return glossary_for(tuple(v.code for v in variants[1:]))


ISSUE_SCHEMA = {"number": Field(positive)}
PAGE_SCHEMA = {
    "name": Field(text, required=True),
    "editor": Field(text),
    "image": Field(file_name),
    "pdf": Field(file_name),
}


def article_schema(variants: tuple[Variant, ...]) -> dict[str, Field]:
    return {
        "title": Field(text),
        "kicker": Field(text),
        "subtitle": Field(text),
        "author": Field(names),
        "photographer": Field(names),
        "order": Field(integer),
        "draft": Field(boolean),
        "area": Field(area),
        "glossary": Field(variant_glossary(variants)),
        "continues": Field(page_ref),
        "moved_from": Field(old_addresses),
    }
