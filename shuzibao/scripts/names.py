"""Names are not words: bylines, authors, photographers and page editors converted as names.

OpenCC reads 于洋 as the preposition 于 (於洋), 范丽 as 範麗, 干建国 as 幹建國, and matches phrases
across a name's ends. A name is its surname, which keeps the form a surname has (于 余 范 干 后
stay; 钟 is 鍾, never 鐘), and its given name, each character alone, never joined to the words
around it (the converter masks the name while OpenCC runs). The surname forms and the given-name characters that differ from the word
forms are in dictionaries/names.txt, with the surnames a byline is recognised by.

In a body, only what is plainly a byline is taken as names: a bracket of roles and names
(本报讯（记者 赵继钊、殷雪莺）, （通讯员 于文）), a bracket of names alone that closes a paragraph
(（何宝国）), and a credit (赵继钊 摄, 本报记者 于海涛 摄, 图/余平, 钟山 文/图). A name in running
prose is not guessed at: the glossary or the dictionary fixes that (余秋雨).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .dictionary import FOLDER, BadDictionary, Engine

NAMES_FILE = "names.txt"
ROLE = re.compile(r"^(?:本报|本刊|本台|新华社)?(?:特约|首席|见习|实习|摄影|全媒体|融媒体|驻[\u4e00-\u9fff]{1,3})?(?:记者|通讯员|评论员|撰稿人?)|^实习生|^编辑|^责任编辑|^摄影")
CREDIT = ("摄", "摄影", "报道", "整理", "文", "图", "文/图", "文／图", "图文", "供图", "制图")
BRACKET = re.compile(r"[（(]([\u4e00-\u9fff\s、，,/／]{2,40})[)）]")  # roles and names only: no digits, no punctuation
CREDIT_AFTER = re.compile(r"(?:摄影?|文[/／]图|供图)(?=$|[\s）)，。；、])")
CREDIT_BEFORE = re.compile(r"(?:图|文|摄影?)\s*[/／：:]\s*([\u4e00-\u9fff]{2,4})(?=$|[\s）)，。；、])")
TRIGGER = re.compile("[（(摄/／]")
SEPARATORS = re.compile(r"[\s、，,]+")
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class NameTable:
    surnames: dict[str, str]  # surname -> its form, where it differs from the word (于 -> 于, 钟 -> 鍾)
    given: dict[str, str]  # a given name's character -> its form, where it differs (里 -> 里)
    known: frozenset[str]  # surnames a byline's names are recognised by, compound ones included


@functools.cache
def table() -> NameTable:
    """names.txt: `姓 于 于` (a surname's form), `名 里 里` (a given-name character's form), and
    `认 王 李 张 …` (surnames that make a token in a byline a name)."""
    path = FOLDER / NAMES_FILE
    surnames: dict[str, str] = {}
    given: dict[str, str] = {}
    known: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = raw.split("#", 1)[0].split()
        if not fields:
            continue
        kind, values = fields[0], fields[1:]
        if kind == "认":
            known.update(values)
        elif kind in ("姓", "名") and len(values) == 2 and len(values[0]) == len(values[1]):
            (surnames if kind == "姓" else given)[values[0]] = values[1]
        else:
            raise BadDictionary(f"{path}:{number}: a line is 姓 or 名 with a form of the same length, or 认 with surnames")
    return NameTable(surnames, given, frozenset(known | set(surnames)))


class Names:
    """Names for one OpenCC config: found in a byline, converted character by character."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._table = table()
        self._chars: dict[str, str] = {}

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """The names of the bylines in `text`: (start, end, converted form)."""
        if not TRIGGER.search(text):
            return []  # the common case: no bracket, no credit
        return [(start, end, self.name(text[start:end])) for start, end in self._byline_names(text)]

    def field(self, value: str) -> str | None:
        """An author, photographer or editor field, if every word of it is a name or a role
        (记者 赵继钊): its names as names; None for anything else (新华社), converted as text."""
        found = self._tokens(value, 0)
        if found is None:
            return None
        out, position = [], 0
        for start, end in found:
            out += [self._words(value[position:start]), self.name(value[start:end])]
            position = end
        return "".join([*out, self._words(value[position:])])

    def _words(self, text: str) -> str:
        return self._engine.convert(text) if text.strip() else text

    def name(self, name: str) -> str:
        surname = name[:2] if name[:2] in self._table.surnames else name[:1]
        head = self._table.surnames.get(surname) or "".join(map(self._char, surname))
        return head + "".join(self._table.given.get(c) or self._char(c) for c in name[len(surname) :])

    def _char(self, char: str) -> str:
        if char not in self._chars:
            self._chars[char] = self._engine.convert(char)
        return self._chars[char]

    def _byline_names(self, text: str) -> Iterator[tuple[int, int]]:
        if "（" in text or "(" in text:
            for match in BRACKET.finditer(text):
                closing = not text[match.end() :].strip()
                yield from self._tokens(match.group(1), match.start(1), needs_role=not closing) or ()
        if "摄" in text or "图" in text:
            for match in CREDIT_AFTER.finditer(text):
                start = max(text.rfind(mark, 0, match.start()) for mark in "。！？；：（(\n") + 1
                yield from self._tokens(text[start : match.start()], start) or ()
        if "/" in text or "／" in text or "：" in text or ":" in text:
            for match in CREDIT_BEFORE.finditer(text):
                if self._is_name(match.group(1)):
                    yield match.start(1), match.end(1)

    def _tokens(self, segment: str, offset: int, needs_role: bool = False) -> list[tuple[int, int]] | None:
        """The names in a byline's words, or None when a word is neither a name, a role nor a credit."""
        names: list[tuple[int, int]] = []
        had_role = False
        for start, end in _words(segment):
            word = segment[start:end]
            role = ROLE.match(word)
            if role:
                had_role, start, word = True, start + role.end(), word[role.end() :]
            if word in CREDIT:
                had_role = True
                continue
            if not word:
                continue
            if not self._is_name(word):
                return None
            names.append((offset + start, offset + end))
        return names if names and (had_role or not needs_role) else None

    def _is_name(self, word: str) -> bool:
        if not HAN.match(word):
            return False
        compound = word[:2] in self._table.known and len(word) in (3, 4)
        return compound or (word[:1] in self._table.known and len(word) in (2, 3))


def _words(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for separator in SEPARATORS.finditer(text):
        if separator.start() > position:
            yield position, separator.start()
        position = separator.end()
    if position < len(text):
        yield position, len(text)
