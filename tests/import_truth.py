"""The import measured against the truth of the fixture pages (tests/fixtures/pages/NN.json).

Used by tests/test_import.py (which asserts the issue's targets) and bench/import_bench.py
(`make bench-import`, which prints them). An imported story is matched to the printed story whose
body it is most like; nothing is matched twice.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
LABELS = ["01", "02", "03", "04", "05", "06", "07", "08"]
DATE = "2021-12-10"


@dataclass
class Imported:
    slug: str
    front: dict[str, Any]
    paragraphs: list[str]


@dataclass
class Score:
    label: str
    stories: int = 0  # printed
    found: int = 0
    invented: list[str] = field(default_factory=list)  # imported stories matching none printed
    titles: int = 0  # exact
    tiers: int = 0  # kicker and subtitle both exact
    bodies: list[float] = field(default_factory=list)  # similarity of each found story's text
    whole: int = 0  # found stories whose paragraphs are as printed, one for one
    ious: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # what was not right, for the message


def truth(label: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{label}.json").read_text(encoding="utf-8"))
    return data


def read_page(folder: Path) -> list[Imported]:
    stories = []
    for file in sorted(folder.glob("*.md")):
        text = file.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        paragraphs = [re.sub(r"\\(.)", r"\1", re.sub(r"\]\([^)]*\)$", "]", p.strip())) for p in body.split("\n\n") if p.strip()]
        stories.append(Imported(file.stem, yaml.safe_load(front) or {}, paragraphs))
    return stories


def similarity(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, "\n".join(a), "\n".join(b), autojunk=False).ratio()


def names(value: Any) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def iou(area: Any, blocks: list[list[int]], size: tuple[int, int]) -> float:
    """Intersection over union of an area and the printed blocks, drawn on a quarter-size grid."""
    scale = 0.25
    grid = (round(size[0] * scale), round(size[1] * scale))
    mine, theirs = Image.new("1", grid), Image.new("1", grid)
    points = [(area[0], area[1]), (area[2], area[1]), (area[2], area[3]), (area[0], area[3])] if not isinstance(area[0], list) else [tuple(p) for p in area]
    ImageDraw.Draw(mine).polygon([(x * scale, y * scale) for x, y in points], fill=1)
    for x0, y0, x1, y1 in blocks:
        ImageDraw.Draw(theirs).rectangle([x0 * scale, y0 * scale, x1 * scale, y1 * scale], fill=1)
    a, b = mine.tobytes(), theirs.tobytes()
    both = sum(bin(x & y).count("1") for x, y in zip(a, b, strict=True))
    either = sum(bin(x | y).count("1") for x, y in zip(a, b, strict=True))
    return both / either if either else 0.0


def score(content: Path, label: str) -> Score:
    record = truth(label)
    imported = read_page(content / DATE / label)
    heads = {f"{lb}/{s.slug}": s.front.get("title") for lb in LABELS if (content / DATE / lb).is_dir() for s in read_page(content / DATE / lb)}
    result = Score(label, stories=len(record["stories"]))
    left = list(imported)
    size = (record["image"][0], record["image"][1])
    for printed in record["stories"]:
        best = max(left, key=lambda s: similarity(s.paragraphs, printed["paragraphs"]), default=None)
        if best is None or similarity(best.paragraphs, printed["paragraphs"]) < 0.5:
            result.wrong.append(f"not found: {printed['key']}")
            continue
        left.remove(best)
        result.found += 1
        title = best.front.get("title") or heads.get(str(best.front.get("continues")))
        result.titles += title == printed["title"]
        tiers = (best.front.get("kicker"), best.front.get("subtitle")) == (printed["kicker"], printed["subtitle"])
        result.tiers += tiers
        body = similarity(best.paragraphs, printed["paragraphs"])
        result.bodies.append(body)
        result.whole += len(best.paragraphs) == len(printed["paragraphs"])
        result.ious.append(iou(best.front["area"], printed["blocks"], size))
        if title != printed["title"] or not tiers or body < 0.98 or names(best.front.get("author")) != printed["authors"]:
            result.wrong.append(f"{printed['key']}: title {title!r}, kicker {best.front.get('kicker')!r}, subtitle {best.front.get('subtitle')!r}, "
                                f"authors {best.front.get('author')!r}, body {body:.3f}")
    result.invented = [s.slug for s in left]
    return result
