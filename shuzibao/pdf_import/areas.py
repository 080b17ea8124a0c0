"""A story's area (热区) on the page image: its own blocks, as a rectangle or, where the story is
L-shaped, a polygon.

The blocks are read in rows (blocks side by side, then the row below); each row spans from its
leftmost to its rightmost block, the headline takes the width of the row under it, and rows of
the same width merge. One row is a rectangle [x1, y1, x2, y2]; more make a staircase polygon, down
the right side and back up the left.
"""

from __future__ import annotations

from .lines import bounds
from .reading import Box
from .stories import Story

Area = list[int] | list[list[int]]


def area(story: Story, scale: float, width: int, height: int) -> Area:
    rows = _rows(story.parts) or ([story.head_box] if story.head_box else [])
    if story.head_box is not None and rows:
        first = rows[0]
        rows[0] = Box(min(first.x0, story.head_box.x0), min(first.top, story.head_box.top), max(first.x1, story.head_box.x1), first.bottom)
    merged: list[Box] = []
    for row in rows:
        last = merged[-1] if merged else None
        if last and abs(last.x0 - row.x0) < 12 and abs(last.x1 - row.x1) < 12:
            merged[-1] = bounds([last, row])
        else:
            merged.append(row)

    def px(x: float, y: float) -> list[int]:
        return [max(0, min(width, round(x * scale))), max(0, min(height, round(y * scale)))]

    if len(merged) == 1:
        box = merged[0]
        return [*px(box.x0, box.top), *px(box.x1, box.bottom)]
    for index in range(1, len(merged)):  # rows meet: no gap in the outline
        lower = merged[index]
        merged[index] = Box(lower.x0, merged[index - 1].bottom, lower.x1, lower.bottom)
    right = [p for row in merged for p in (px(row.x1, row.top), px(row.x1, row.bottom))]
    left = [p for row in reversed(merged) for p in (px(row.x0, row.bottom), px(row.x0, row.top))]
    points: list[list[int]] = []
    for point in right + left:
        if not points or point != points[-1]:
            points.append(point)
    return points


def _rows(boxes: list[Box]) -> list[Box]:
    rows: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.top):
        if rows and box.top < rows[-1].bottom - 2:
            rows[-1] = bounds([rows[-1], box])
        else:
            rows.append(box)
    return rows
