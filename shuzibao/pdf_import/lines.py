"""Characters into lines, lines into blocks: a block is a run of lines of one size in one column.

A line breaks where the gap between two characters is wider than a character (a column's gutter),
or where the size changes; a block ends where a rule crosses the column, the size changes, or the
gap below a line is more than a line's spacing.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from .reading import Box, Char

GUTTER = 0.9  # of the size: a gap between characters wider than this parts two columns
LEADING = 1.0  # of the size: more white than this between two lines parts two blocks


@dataclass
class Line:
    chars: list[Char]
    box: Box
    size: float
    font: str

    @property
    def text(self) -> str:
        return join_chars(self.chars)


@dataclass
class Block:
    lines: list[Line]
    box: Box
    size: float
    font: str
    role: str = "body"  # body, head (a headline tier), caption
    owner: int | None = field(default=None)  # the story it belongs to, once found

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def bounds(boxes: list[Box]) -> Box:
    return Box(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))


def join_chars(chars: list[Char]) -> str:
    """A line's text: the spaces the PDF has, one between Latin letters set apart without one, and
    none where justification only spread the characters."""
    out = ""
    previous: Char | None = None
    for char in chars:
        if previous is not None and char.text != " " and not out.endswith(" "):
            gap = char.x0 - previous.x1
            if previous.text[-1:].isascii() and previous.text[-1:].isalpha() and char.text[:1].isascii() and char.text[:1].isalpha() and gap > 0.2 * char.size:
                out += " "
        out += char.text
        previous = char
    return " ".join(out.split())


def make_lines(chars: list[Char]) -> list[Line]:
    """Rows of characters on one baseline, split at gutters and changes of size."""
    rows: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.middle, c.x0)):
        for row in reversed(rows[-12:]):
            if abs(row[0].middle - char.middle) < 0.3 * min(row[0].size, char.size) and abs(row[0].size - char.size) < 0.15 * char.size:
                row.append(char)
                break
        else:
            rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        run = [row[0]]
        for char in row[1:]:
            if char.x0 - run[-1].x1 > GUTTER * char.size and not (run[-1].text == " " or char.text == " "):
                lines.append(_line(run))
                run = [char]
            else:
                run.append(char)
        lines.append(_line(run))
    return [line for line in lines if line.text.strip()]


def _line(chars: list[Char]) -> Line:
    while chars and chars[-1].text == " ":
        chars = chars[:-1]
    while chars and chars[0].text == " ":
        chars = chars[1:]
    chars = chars or [Char(" ", 0, 0, 0, 0, 1, "")]
    size = statistics.median(c.size for c in chars)
    font = Counter(c.font for c in chars).most_common(1)[0][0]
    return Line(chars, Box(chars[0].x0, min(c.top for c in chars), chars[-1].x1, max(c.bottom for c in chars)), size, font)


def make_blocks(lines: list[Line], rules: list[Box]) -> list[Block]:
    """Consecutive lines of a column, of one size and font, with no rule between them."""
    blocks: list[Block] = []
    for line in sorted(lines, key=lambda ln: (ln.box.top, ln.box.x0)):
        best = None
        for block in blocks:
            last = block.lines[-1]
            gap = line.box.top - last.box.bottom
            overlap = block.box.x_overlap(line.box) / max(1.0, min(block.box.width, line.box.width))
            same = abs(block.size - line.size) < 0.03 * line.size and block.font == line.font
            if same and -0.3 * line.size < gap < LEADING * line.size and overlap > 0.6 and not _ruled(last.box, line.box, rules):
                best = block
        if best is None:
            blocks.append(Block([line], line.box, line.size, line.font))
        else:
            best.lines.append(line)
            best.box = bounds([best.box, line.box])
    return blocks


def _ruled(above: Box, below: Box, rules: list[Box]) -> bool:
    """Whether a horizontal rule runs between two boxes, under both of them."""
    return any(rule.height < 2 and above.bottom - 1 <= rule.top <= below.top + 1 and rule.x_overlap(below) > 0.5 * below.width for rule in rules)


def body_size(chars: list[Char]) -> float:
    """The size most of the page's characters are set in: the body text's."""
    counts = Counter(round(c.size * 2) / 2 for c in chars if not c.text.isspace())
    return counts.most_common(1)[0][0] if counts else 10.0
