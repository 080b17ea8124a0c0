"""Reading the editors' files: UTF-8 text, YAML with line numbers, front matter.

Every problem becomes a fault that names the file and line; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..faults import Faults

# libyaml when PyYAML has it (ten times faster); the pure-Python loader gives the same results.
PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 10_000  # a front matter or site.yaml is a few dozen; aliases (*) could make billions


class LOADER(PARSER):  # type: ignore[valid-type,misc]  # PARSER is one of two classes, chosen at import
    """PyYAML's safe loader, except that a value it cannot make (2021-02-29, a number of thousands
    of digits) is a problem at its own line, as PyYAML's own problems are."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(None, None, f"cannot make a value of this: {error}", node.start_mark) from None


# Text that XML (the feeds, the sitemap) cannot hold and no reader can see: Word's line break
# (U+000B), form feeds and other C0 controls. NUL is a fault of its own (not a text file).
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# PyYAML's problems, in words an editor can act on.

YAML_HINTS = {  # PyYAML's and libyaml's wording
    "mapping values are not allowed": "值里有“冒号+空格”，请给整个值加引号",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "found a tab character": "不能用 Tab 缩进，请改用空格",
    "found character that cannot start any token": "这一行有 YAML 不允许的字符（例如 Tab 缩进、@ 或 ` 开头），请改用空格或给值加引号",
    "did not find expected key": "缩进不一致，或列表项之间少了英文逗号",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合，或列表项之间少了英文逗号",
    "did not find expected ',' or '}'": "花括号 { } 没有闭合，或各项之间少了英文逗号",
    "could not find expected ':'": "缺少“字段: 值”中的英文冒号",
    "found undefined alias": "用了未定义的 * 别名",
    "expected <block end>, but found": "缩进不一致，请检查这一行和上一行的空格",
    "found unexpected end of stream": "引号或括号没有闭合",
    "while scanning a quoted scalar": "引号没有闭合",
    "while parsing a flow sequence": "方括号 [ ] 没有闭合，或列表项之间少了英文逗号",
    "while parsing a flow mapping": "花括号 { } 没有闭合，或各项之间少了英文逗号",
    "day is out of range": "没有这一天的日期：请改正，或给它加引号当作文字",
    "month must be in": "没有这个月份的日期：请改正，或给它加引号当作文字",
    "Exceeds the limit": "数字太长：请给它加引号当作文字",
    "could not determine a constructor": "用了不认识的 !! 类型标记：请删去它，或给整个值加引号",
    "cannot make a value": "这个值无法读取：请改正，或给它加引号当作文字",
}


def read_text(root: Path, rel: str, faults: Faults) -> str | None:
    """The file's text with a BOM dropped and CRLF made LF, or None with a fault."""
    if (root / rel).is_symlink():  # the folder's listing says so; nothing outside the tree is read
        return None
    raw = (root / rel).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        faults.add(rel, line, "文件不是 UTF-8 编码，请在编辑器中以 UTF-8 另存")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        faults.add(rel, text[: text.index("\x00")].count("\n") + 1, "文件含有空字符（NUL），可能不是文本文件，请检查")
        return None
    for found in INVISIBLE.finditer(text):
        line = text[: found.start()].count("\n") + 1
        faults.warn(rel, line, f"这一行有看不见的控制字符 U+{ord(found.group()):04X}（常见于从 Word 粘贴的换行），已删去；请在编辑器里删掉它")
    text = INVISIBLE.sub("", text)
    if not text.strip():
        faults.add(rel, None, "文件是空的，请写入内容或删除它")
        return None
    return text


@dataclass
class YamlDoc:
    """Parsed YAML and the line of every key, by key path: ("glossary", "在并") -> 7."""

    data: Any
    first_line: int
    key_lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line(self, *keys: Any) -> int:
        """The line of the deepest key path we know, falling back to the document's start."""
        path = tuple(str(k) for k in keys)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            path = path[:-1]
        return self.first_line


# What a Chinese input method types where YAML wants ASCII, each with what to do instead.
FULL_WIDTH = [
    (re.compile(r"^[^:：#'\"]*?[^\s：]\s*："), "这一行的冒号是全角的“：”：字段名后面要用英文冒号“:”，再留一个空格，例如 title: 标题"),
    (re.compile(r"^\s*\u3000"), "这一行用全角空格（　）缩进：YAML 只认英文空格，请改成英文空格"),
    (re.compile(r"^\s*[－—–]\s"), "这一行的列表符号是全角的“－”：请改成英文减号“-”，再留一个空格"),
]


def input_method_faults(text: str, rel: str, faults: Faults, first_line: int) -> bool:
    """Report, line by line, the full-width colons, spaces and dashes an input method left where
    YAML needs ASCII (YAML itself would blame the next, correct line); True if there were any."""
    found = False
    for number, line in enumerate(text.split("\n")):
        for pattern, message in FULL_WIDTH:
            if pattern.search(line):
                faults.add(rel, first_line + number, message)
                found = True
                break
    return found


def parse_yaml(text: str, rel: str, faults: Faults, first_line: int = 1) -> YamlDoc | None:
    """Parse YAML whose first line is line `first_line` of file `rel`. Where it fails, or gives no
    mapping, full-width colons, spaces and dashes are looked for first: YAML would blame them on
    another line, with advice that does not fix them."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        if input_method_faults(text, rel, faults, first_line):
            return None
        mark = e.problem_mark or e.context_mark
        if mark and e.context_mark and (mark.index >= len(text.rstrip()) or "flow" in (e.context or "")):
            mark = e.context_mark  # what was left open (a bracket, a quote) is the line to change
        line = first_line + mark.line if mark else first_line
        problem = f"{e.context or ''} {e.problem or ''}".strip()
        hint = next((h for key, h in YAML_HINTS.items() if key in problem), "请检查缩进、冒号和引号")
        faults.add(rel, line, f"YAML 写法有误：{hint}（{problem}）")
        return None
    except yaml.YAMLError as e:
        faults.add(rel, first_line, f"YAML 写法有误：{e}")
        return None
    except RecursionError:
        faults.add(rel, first_line, "YAML 写法有误：括号嵌套得太深，请检查 [ ] 和 { }")
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict) and data is not None and input_method_faults(text, rel, faults, first_line):
        return None
    doc = YamlDoc(data, first_line)
    if node is not None and not _record_key_lines(node, doc, rel, faults):
        faults.add(rel, first_line, "YAML 的别名（& 和 *）展开后太大，或引用了自己：请不要使用别名，把值直接写出来")
        return None
    odd_keys = any(key.startswith("\u3000") or "：" in key for path in doc.key_lines for key in path)
    if odd_keys and input_method_faults(text, rel, faults, first_line):
        return None
    return doc


def _record_key_lines(root: yaml.Node, doc: YamlDoc, rel: str, faults: Faults) -> bool:
    """Note each key's line; False when the nodes, counted as often as aliases repeat them, pass
    MAX_NODES (a bound on the work any later check can be made to do, cycles included)."""
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())]
    for _ in range(MAX_NODES):
        if not stack:
            return True
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = doc.first_line + key_node.start_mark.line
                if key in seen:
                    faults.add(rel, line, f"字段“{key}”重复出现，请只保留一处")
                seen.add(key)
                doc.key_lines[(*path, key)] = line
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                doc.key_lines[(*path, str(index))] = doc.first_line + item.start_mark.line
                stack.append((item, (*path, str(index))))
    return not stack


@dataclass
class MarkdownFile:
    front: YamlDoc
    body: str
    body_line: int  # the file line on which the body's first line stands


def split_front_matter(text: str, rel: str, faults: Faults) -> MarkdownFile | None:
    """Split `---` front matter from the Markdown body; both keep their file line numbers."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        faults.add(rel, 1, "文章须以 --- 开头的 front matter 开始（第一行写 ---，然后是 title: 等字段，再以 --- 结束）")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        faults.add(rel, 1, "front matter 没有结束：请在字段之后另起一行写 ---")
        return None
    front = parse_yaml("\n".join(lines[1:end]), rel, faults, first_line=2)
    if front is None:
        return None
    if front.data is None:
        front.data = {}
    if not isinstance(front.data, dict):
        faults.add(rel, 2, "front matter 应是“字段: 值”的列表")
        return None
    return MarkdownFile(front, "\n".join(lines[end + 1 :]), end + 2)
