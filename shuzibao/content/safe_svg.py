"""SVG files from the content tree carry no script into the site's origin.

An SVG is a document, not only a picture: opened by its own address (a link, 查看原图, a reader
following the file) it runs its scripts and event handlers as the newspaper's site. So an SVG
that could run anything is a fault, however it is used: scripts, event attributes, `javascript:`
addresses, embedded HTML (foreignObject), and document type declarations (entities).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
DECLARATIONS = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
SCRIPT_ADDRESS = re.compile(r"(java|vb)script:|data:text/html", re.IGNORECASE)


def local(name: str) -> str:
    """A tag or attribute without its namespace: {http://www.w3.org/2000/svg}script -> script."""
    return name.rsplit("}", 1)[-1].lower()


def active_content(path: Path) -> str | None:
    """What in the SVG could run, in the editor's words, or None when it is a plain picture."""
    data = path.read_bytes()
    if DECLARATIONS.search(data):
        return "文档类型声明（<!DOCTYPE> 或 <!ENTITY>）"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"无法读取的 SVG（{error}）"
    for element in root.iter():
        if local(element.tag) in ACTIVE:
            return f"<{local(element.tag)}> 元素"
        for name, value in element.attrib.items():
            if local(name).startswith("on"):
                return f"事件属性 {local(name)}"
            if SCRIPT_ADDRESS.search(re.sub(r"[\s\x00-\x1f]", "", value)):
                return f"属性 {local(name)} 里的脚本地址"
    return None


def fault(path: Path) -> str | None:
    """The fault message for an SVG that could run something, or None."""
    found = active_content(path)
    if found is None:
        return None
    return f"SVG 图片含有{found}：稿件带来的脚本不能在网站上运行。请用不含脚本的 SVG（例如在编辑软件里另存为“纯 SVG”），或导出为 PNG"
