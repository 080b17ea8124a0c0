"""Finding the stories of a page: the furniture set aside, headlines found by size, every other
block given to the headline it stands under.

- The page header (and page 1's masthead) is what stands above the first long rule at the top,
  the footer what stands below the last one at the bottom.
- A frame whose text opens with 今日导读 (an index of other pages' headlines) or that carries the
  word 广告 (an advertisement) is furniture, with all it holds.
- A headline is a run of blocks set larger than the body; its largest line is the title (主题),
  what stands above it the kicker (引题), below it the subtitle (副题). One set only a little
  larger than the body, among body text, is a subhead.
- A headline reaches sideways to the nearest thing beside it (a rule, a picture, other text).
  A body block belongs to the lowest headline above it whose reach covers it, unless a rule runs
  between them; a block under no headline starts a story of its own (a photo with its caption).
- A headline with no body under it (a slogan) is no story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Block, Line, body_size, bounds, make_blocks, make_lines
from .reading import LONG_RULE, Box, PageText

HEAD = 1.15  # of the body size: blocks set at least this large are headlines or subheads
TITLE = 1.4  # of the body size: a headline needs a line at least this large to be one
FURNITURE_FRAME = re.compile(r"^\s*(今日导读|本期导读|导读|要目|今日要目)")
ADVERT = re.compile(r"^\s*广告\s*$")


@dataclass
class Head:
    blocks: list[Block]
    box: Box
    reach: tuple[float, float] = (0.0, 0.0)


@dataclass
class Found:
    """A story as found on the page: its headline (if any), its blocks, its pictures and captions."""

    head: Head | None
    blocks: list[Block] = field(default_factory=list)
    pictures: list[tuple[Box, Block | None]] = field(default_factory=list)

    @property
    def boxes(self) -> list[Box]:
        boxes = [b.box for b in self.blocks] + [p for p, _ in self.pictures] + [c.box for _, c in self.pictures if c]
        return boxes + ([self.head.box] if self.head else [])

    @property
    def top(self) -> float:
        return min(b.top for b in self.boxes)


@dataclass
class Layout:
    header: list[Line]  # the page header's lines, masthead included
    stories: list[Found]
    body: float  # the body text's size


def find_stories(page: PageText) -> Layout:
    body = body_size(page.chars)
    top, bottom = _bands(page)
    header = make_lines([c for c in page.chars if c.bottom <= top + 1])
    inside = [c for c in page.chars if c.top >= top - 1 and c.bottom <= bottom + 1]
    blocks = make_blocks(make_lines(inside), page.rules)
    pictures = [p for p in page.pictures if p.top >= top - 1 and p.bottom <= bottom + 1]
    blocks, pictures = _without_furniture(blocks, pictures, page.frames)
    captions = _captions(blocks, pictures, body)
    heads = _heads(blocks, body)
    _reach(heads, blocks, pictures, page.rules)
    stories = [Found(h) for h in heads]
    orphans: list[Found] = []
    for item in [b for b in blocks if b.role != "head" and b.role != "caption"] + pictures:
        owner = _owner(item if isinstance(item, Box) else item.box, heads, page.rules)
        found = stories[owner] if owner is not None else _orphan(orphans, item if isinstance(item, Box) else item.box, page.rules, body)
        if isinstance(item, Box):
            found.pictures.append((item, captions.get(item)))
        else:
            found.blocks.append(item)
    stories = [s for s in stories if s.blocks or s.pictures] + orphans
    return Layout(header, sorted(stories, key=lambda s: reading_key(s, page.height)), body)


def reading_key(story: Found, height: float) -> tuple[int, float]:
    """Top to bottom, and left to right among stories that start at about the same height."""
    first = story.head.box if story.head else bounds(story.boxes)
    return (round(first.top / (0.03 * height)), first.x0)


def _bands(page: PageText) -> tuple[float, float]:
    """Where the page's header ends and its footer begins: its first and last long rules."""
    long = [r for r in page.rules if r.height < 3 and r.width >= LONG_RULE * page.width]
    tops = [r.bottom for r in long if r.top < 0.25 * page.height]
    bottoms = [r.top for r in long if r.top > 0.85 * page.height]
    return (max(tops) if tops else 0.0), (min(bottoms) if bottoms else page.height)


def _without_furniture(blocks: list[Block], pictures: list[Box], frames: list[Box]) -> tuple[list[Block], list[Box]]:
    """Drop index boxes and advertisements, with everything inside their frames."""
    dropped = []
    for frame in frames:
        inside = sorted((b for b in blocks if frame.contains(b.box, 2)), key=lambda b: (b.box.top, b.box.x0))
        if inside and (FURNITURE_FRAME.match(inside[0].text) or any(ADVERT.match(line.text) for b in inside for line in b.lines)):
            dropped.append(frame)
    return ([b for b in blocks if not any(f.contains(b.box, 2) for f in dropped)],
            [p for p in pictures if not any(f.contains(p, 2) for f in dropped)])


def _captions(blocks: list[Block], pictures: list[Box], body: float) -> dict[Box, Block]:
    """The block of small text right under a picture and within its width is its caption."""
    found = {}
    for picture in pictures:
        for block in blocks:
            near = picture.bottom - 2 <= block.box.top <= picture.bottom + 2.5 * block.size
            if near and block.size <= body * 1.05 and picture.x_overlap(block.box) >= 0.8 * block.box.width:
                block.role = "caption"
                found[picture] = block
                break
    return found


def _heads(blocks: list[Block], body: float) -> list[Head]:
    """Runs of large blocks, one above the other; those without a title-sized line are subheads."""
    large = sorted((b for b in blocks if b.size >= HEAD * body and b.role == "body"), key=lambda b: b.box.top)
    groups: list[list[Block]] = []
    for block in large:
        for group in groups:
            box = bounds([b.box for b in group])
            gap = block.box.top - box.bottom
            if -2 < gap < 1.2 * max(block.size, group[-1].size) and box.x_overlap(block.box) > 0:
                group.append(block)
                break
        else:
            groups.append([block])
    heads = []
    for group in groups:
        if max(b.size for b in group) >= TITLE * body:
            for block in group:
                block.role = "head"
            heads.append(Head(group, bounds([b.box for b in group])))
        else:
            for block in group:
                block.role = "subhead"
    return heads


def _reach(heads: list[Head], blocks: list[Block], pictures: list[Box], rules: list[Box]) -> None:
    """How far each headline reaches sideways: to the nearest thing beside it, or the page's text."""
    left = min((b.box.x0 for b in blocks), default=0.0)
    right = max((b.box.x1 for b in blocks), default=0.0)
    for head in heads:
        beside = [b.box for b in blocks if b not in head.blocks] + pictures + [r for r in rules if r.width < 2]
        beside = [b for b in beside if b.y_overlap(head.box) > 0.3 * min(head.box.height, max(b.height, 1))]
        lefts = [b.x1 for b in beside if b.x1 <= head.box.x0 + 1]
        rights = [b.x0 for b in beside if b.x0 >= head.box.x1 - 1]
        head.reach = (max(lefts, default=left), min(rights, default=right))


def _owner(box: Box, heads: list[Head], rules: list[Box]) -> int | None:
    best, best_bottom = None, -1.0
    for index, head in enumerate(heads):
        reach_from, reach_to = head.reach
        covered = max(0.0, min(box.x1, reach_to) - max(box.x0, reach_from))
        if head.box.bottom <= box.top + 2 and covered >= 0.6 * box.width and head.box.bottom > best_bottom and not _rule_between(head.box, box, rules):
            best, best_bottom = index, head.box.bottom
    return best


def _rule_between(above: Box, below: Box, rules: list[Box]) -> bool:
    return any(r.height < 2 and above.bottom - 1 <= r.top <= below.top + 1 and r.x_overlap(below) > 0.5 * below.width for r in rules)


def _orphan(orphans: list[Found], box: Box, rules: list[Box], body: float) -> Found:
    """The headless story a block under no headline joins: one it touches, with no rule between."""
    for found in orphans:
        for other in found.boxes:
            near = other.x_overlap(box) > 0 and (-2 * body < box.top - other.bottom < 2.5 * body or -2 * body < other.top - box.bottom < 2.5 * body)
            beside = other.y_overlap(box) > 0 and abs(box.x0 - other.x1) < 2 * body
            if (near and not _rule_between(other, box, rules) and not _rule_between(box, other, rules)) or beside:
                return found
    orphans.append(Found(None))
    return orphans[-1]
