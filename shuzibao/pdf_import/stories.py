"""A found story in the words of the content contract: headline tiers, bylines, paragraphs, figures.

- Headline tiers by size and position: the largest lines are the title, what stands above them
  the kicker, below them the subtitle (its printed dash —— dropped).
- Paragraphs are rejoined across lines, columns and an L-shaped story's frames: a line starts a
  paragraph when it is indented or the line before ended short; a subhead is its own `###` line.
- Bylines: 本报讯（记者 赵继钊、殷雪莺） stays in the text and names the authors; a line of its own
  under the headline (本报记者 刘静) or a closing （何宝国） names them and leaves the text.
  A caption's closing “某某 摄” names the photographer.
- A printed jump marker （下转第3版） stays in the body, for the build to check against the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.article_body import MARKER
from .layout import Found
from .lines import Block, Line, bounds
from .reading import Box

NAME = r"[\u4e00-\u9fff·]{2,4}"
NAMES = rf"{NAME}(?:[、，,\s]+{NAME})*"
LEAD_BYLINE = re.compile(rf"^本报讯\s*[（(]\s*(?:本报)?(?:记者|通讯员|实习生)\s*({NAMES}(?:\s*(?:记者|通讯员|实习生)\s*{NAMES})*)\s*[)）]")
OWN_BYLINE = re.compile(rf"^(?:本报)?(?:记者|通讯员|特约记者|实习生)\s*({NAMES}(?:\s*(?:本报)?(?:记者|通讯员|实习生)\s*{NAMES})*)$")
CLOSING = re.compile(rf"[（(]\s*({NAMES})\s*[)）]$")
CREDIT = re.compile(rf"\s*(?:本报记者|记者)?\s*({NAMES})\s*[/\uff0f]?\s*摄\s*$")
ROLE_WORDS = re.compile(r"(?:本报)?(?:记者|通讯员|特约记者|实习生)")


@dataclass
class Figure:
    box: Box
    caption: str


@dataclass
class Story:
    title: str | None
    kicker: str | None
    subtitle: str | None
    authors: list[str]
    photographers: list[str]
    paragraphs: list[str]  # "### subhead" for a subhead; figures are separate
    figures: list[Figure]
    head_box: Box | None  # its headline's, on the page
    parts: list[Box]  # everything else it covers: text blocks, pictures, captions
    jumps_to: str | None = None  # the page a （下转第N版） sends it to, as printed
    jumps_from: str | None = None  # the page a （上接第N版） brings it from


def make_story(found: Found, body: float) -> Story:
    title, kicker, subtitle = _tiers(found)
    blocks = sorted(found.blocks, key=lambda b: (b.box.top, b.box.x0))
    authors: list[str] = []
    if blocks and len(blocks[0].lines) <= 2 and (own := OWN_BYLINE.match(blocks[0].text.strip())):
        authors += _names(own.group(1))
        blocks = blocks[1:]
    bands = _bands(blocks)
    paragraphs = _paragraphs([b for band in bands for b in _by_column(band)], body)
    if paragraphs and (lead := LEAD_BYLINE.match(paragraphs[0])):
        authors += _names(lead.group(1))
    authors += _closing_byline(paragraphs)
    figures, photographers = [], []
    for picture, caption in found.pictures:
        text = caption.text if caption else ""
        if credit := CREDIT.search(text):
            photographers += _names(credit.group(1))
            text = text[: credit.start()].strip()
        figures.append(Figure(picture, text))
    markers = [MARKER.fullmatch(p.strip()) for p in paragraphs]
    out_marker = next((m for m in reversed(markers) if m and m.group(1) in ("下转", "转")), None)
    in_marker = next((m for m in markers if m and m.group(1) in ("上接", "接")), None)
    parts = [b.box for b in found.blocks] + [p for p, _ in found.pictures] + [c.box for _, c in found.pictures if c]
    return Story(title, kicker, subtitle, list(dict.fromkeys(authors)), photographers, paragraphs, figures, found.head.box if found.head else None, parts,
                 out_marker.group(2) if out_marker else None, in_marker.group(2) if in_marker else None)


def _tiers(found: Found) -> tuple[str | None, str | None, str | None]:
    if found.head is None:
        return None, None, None
    blocks = sorted(found.head.blocks, key=lambda b: b.box.top)
    largest = max(b.size for b in blocks)
    titles = [i for i, b in enumerate(blocks) if b.size >= largest - 0.5]
    first, last = titles[0], titles[-1]
    title = "".join(b.text for b in blocks[first : last + 1]).strip()
    kicker = "".join(b.text for b in blocks[:first]).strip() or None
    subtitle = "".join(b.text for b in blocks[last + 1 :]).strip().lstrip("—-\uff0d― ").strip() or None
    return title, kicker, subtitle


def _bands(blocks: list[Block]) -> list[list[Block]]:
    """The story's text in rows of columns: blocks that stand side by side read left to right, and
    a row below (an L-shaped story's foot) after the whole row above."""
    bands: list[list[Block]] = []
    bottom = -1.0
    for block in sorted(blocks, key=lambda b: b.box.top):
        if bands and block.box.top < bottom - 2:
            bands[-1].append(block)
            bottom = max(bottom, block.box.bottom)
        else:
            bands.append([block])
            bottom = block.box.bottom
    return bands


def _by_column(blocks: list[Block]) -> list[Block]:
    """A row's blocks column by column, each column top to bottom (a centred subhead is in its
    column however far it stands from the column's left edge)."""
    columns: list[list[Block]] = []
    for block in sorted(blocks, key=lambda b: b.box.x0 + b.box.x1):
        if columns and bounds([b.box for b in columns[-1]]).x_overlap(block.box) > 0.3 * block.box.width:
            columns[-1].append(block)
        else:
            columns.append([block])
    return [b for column in columns for b in sorted(column, key=lambda b: b.box.top)]


def _paragraphs(blocks: list[Block], body: float) -> list[str]:
    paragraphs: list[str] = []
    open_paragraph = False  # whether the last line left its paragraph open (it ran to the column's edge)
    for block in blocks:
        if block.role == "subhead":
            paragraphs.append("### " + block.text.strip())
            open_paragraph = False
            continue
        left = min(line.box.x0 for line in block.lines)
        right = max(line.box.x1 for line in block.lines)
        for line in block.lines:
            text = line.text.strip()
            indented = line.box.x0 > left + 1.2 * line.size
            if open_paragraph and not indented and paragraphs and not MARKER.fullmatch(text):
                paragraphs[-1] = _rejoin(paragraphs[-1], text)
            else:
                paragraphs.append(text)
            open_paragraph = _runs_to_edge(line, right) and not MARKER.fullmatch(text)
    return [p for p in paragraphs if p]


def _runs_to_edge(line: Line, right: float) -> bool:
    return line.box.x1 >= right - 1.5 * line.size


def _rejoin(before: str, after: str) -> str:
    """Two lines of one paragraph: no space between Chinese characters, one between Latin words."""
    if before[-1:].isascii() and before[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return f"{before} {after}"
    return before + after


def _closing_byline(paragraphs: list[str]) -> list[str]:
    """A closing （何宝国）, on its own line or at the end of the last paragraph before a jump
    marker: the names leave the text."""
    index = len(paragraphs) - 1
    while index >= 0 and MARKER.fullmatch(paragraphs[index].strip()):
        index -= 1
    if index < 0:
        return []
    found = CLOSING.search(paragraphs[index])
    if found is None or (found.start() > 0 and paragraphs[index][found.start() - 1] not in "。！？”…"):
        return []
    names = _names(found.group(1))
    rest = paragraphs[index][: found.start()].strip()
    if rest:
        paragraphs[index] = rest
    else:
        del paragraphs[index]
    return names


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[、，,\s]+", ROLE_WORDS.sub(" ", text)) if n]
