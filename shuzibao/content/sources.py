"""Reading the editors' files: UTF-8 text, YAML with line numbers, front matter.

Every problem becomes a fault that names the file and line; nothing here raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..faults import Faults

# PyYAML's problems, in words an editor can act on.
# libyaml when PyYAML has it (ten times faster); the pure-Python loader gives the same results.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
}


def read_text(root: Path, rel: str, faults: Faults) -> str | None:
    """The file's text with a BOM dropped and CRLF made LF, or None with a fault."""
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


def parse_yaml(text: str, rel: str, faults: Faults, first_line: int = 1) -> YamlDoc | None:
    """Parse YAML whose first line is line `first_line` of file `rel`."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if mark and e.context_mark and mark.line >= text.count("\n"):
            mark = e.context_mark  # at the end of the text, what was left open is where to look
        line = first_line + mark.line if mark else first_line
        problem = f"{e.context or ''} {e.problem or ''}".strip()
        hint = next((h for key, h in YAML_HINTS.items() if key in problem), "请检查缩进、冒号和引号")
        faults.add(rel, line, f"YAML 写法有误：{hint}（{problem}）")
        return None
    except yaml.YAMLError as e:
        faults.add(rel, first_line, f"YAML 写法有误：{e}")
        return None
    finally:
        loader.dispose()
    doc = YamlDoc(data, first_line)
    if node is not None:
        _record_key_lines(node, (), doc, rel, faults)
    return doc


def _record_key_lines(node: yaml.Node, path: tuple[str, ...], doc: YamlDoc, rel: str, faults: Faults) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = doc.first_line + key_node.start_mark.line
            if key in seen:
                faults.add(rel, line, f"字段“{key}”重复出现，请只保留一处")
            seen.add(key)
            doc.key_lines[(*path, key)] = line
            _record_key_lines(value_node, (*path, key), doc, rel, faults)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            doc.key_lines[(*path, str(index))] = doc.first_line + item.start_mark.line
            _record_key_lines(item, (*path, str(index)), doc, rel, faults)


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
