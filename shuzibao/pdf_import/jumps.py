"""Jumps across pages (转版): a continuation （上接第1版） gets a `continues:` line to its head.

The head is a story on the page the marker names that jumps to this page (its （下转第N版）),
imported in the same run or already in the content tree; among several, the one whose title is
nearest the continuation's own heading. A continuation whose heading repeats the head's title
leaves `title` to the head, as the contract allows.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..content.article_body import MARKER
from ..content.sources import split_front_matter
from ..faults import Faults
from ..model import LABEL, shown_label

SAME_TITLE = 0.8  # similarity at which a continuation's heading is the head's title


@dataclass
class Part:
    """A story that may be one end of a jump: where it is, its title and its printed markers."""

    label: str  # its page folder
    slug: str
    title: str | None
    jumps_to: str | None  # the page label its （下转第N版） names, as readers see it
    jumps_from: str | None
    continues: str | None = None  # "01/slug", once linked
    own_title: bool = True  # False when it repeats its head's title


def link(parts: list[Part], existing: list[Part]) -> list[Part]:
    """Give each continuation its head; return the continuations no head was found for."""
    unmatched = []
    heads = [p for p in parts + existing if p.jumps_to]
    taken: set[tuple[str, str]] = set()
    for part in parts:
        if not part.jumps_from:
            continue
        here = shown_label(part.label)
        candidates = [h for h in heads if shown_label(h.label) == part.jumps_from.upper() and h.jumps_to == here and (h.label, h.slug) not in taken]
        if not candidates:
            unmatched.append(part)
            continue
        head = max(candidates, key=lambda h: _likeness(h.title, part.title))
        if len(candidates) > 1 and part.title and _likeness(head.title, part.title) < 0.3:
            unmatched.append(part)
            continue
        taken.add((head.label, head.slug))
        part.continues = f"{head.label}/{head.slug}"
        part.own_title = _likeness(head.title, part.title) < SAME_TITLE
    return unmatched


def _likeness(a: str | None, b: str | None) -> float:
    return difflib.SequenceMatcher(None, a or "", b or "").ratio() if a and b else 0.0


def existing_heads(issue: Path, skip: set[str]) -> list[Part]:
    """The stories of an issue already in the content tree that end in a typed （下转第N版）,
    on pages other than those being imported."""
    heads: list[Part] = []
    if not issue.is_dir():
        return heads
    for folder in sorted(p for p in issue.iterdir() if p.is_dir() and LABEL.match(p.name) and p.name not in skip):
        for file in sorted(folder.glob("*.md")):
            source = split_front_matter(file.read_text(encoding="utf-8", errors="replace"), file.name, Faults())
            if source is None or not isinstance(source.front.data, dict):
                continue
            outgoing = [m for m in MARKER.finditer(source.body) if m.group(1) in ("下转", "转")]
            if outgoing:
                title = source.front.data.get("title")
                heads.append(Part(folder.name, file.stem, str(title) if title else None, shown_label(outgoing[-1].group(2).upper()), None))
    return heads
