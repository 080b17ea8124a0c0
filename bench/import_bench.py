"""The import of page PDFs measured against the truth of the fixture pages: `make bench-import`.

Imports the eight fixture pages (tests/fixtures/pages/, made by bench/import_pages.py) into a
temporary content tree with the real command, times it, checks and builds the tree with drafts,
and prints per page: stories printed and found, invented, exact titles, exact kickers and
subtitles, the lowest body similarity, paragraphs whole, and areas with IoU >= 0.8.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from import_truth import DATE, FIXTURES, LABELS, score  # noqa: E402

from conftest import run  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        (content / "site.yaml").write_text("title: 太原日报\n", encoding="utf-8")
        start = time.perf_counter()
        result = run("import", *(str(FIXTURES / f"{label}.pdf") for label in LABELS), "--date", DATE, "--content", str(content))
        seconds = time.perf_counter() - start
        if result.code != 0:
            print(result.err)
            return 1
        checked = run("check", "--content", str(content), "--drafts")
        built = run("build", "--content", str(content), "--out", str(Path(folder) / "out"), "--drafts", "--no-search")
        scores = [score(content, label) for label in LABELS]
    print("| page | stories | found | invented | titles exact | kickers and subtitles exact | lowest body similarity | paragraphs whole | areas IoU >= 0.8 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for s in scores:
        print(f"| {s.label} | {s.stories} | {s.found} | {len(s.invented)} | {s.titles} | {s.tiers} | {min(s.bodies):.3f} | {s.whole} | {sum(i >= 0.8 for i in s.ious)} |")
    stories, found = sum(s.stories for s in scores), sum(s.found for s in scores)
    ious = [i for s in scores for i in s.ious]
    print(f"| **all** | {stories} | {found} ({found / stories:.0%}) | {sum(len(s.invented) for s in scores)} | {sum(s.titles for s in scores) / found:.0%} "
          f"| {sum(s.tiers for s in scores) / found:.0%} | {min(b for s in scores for b in s.bodies):.3f} | {sum(s.whole for s in scores) / found:.0%} "
          f"| {sum(i >= 0.8 for i in ious) / len(ious):.0%} (median IoU {sorted(ious)[len(ious) // 2]:.2f}) |")
    print(f"8-page issue imported in {seconds:.1f} s (target 15 s); check --drafts exit {checked.code}, build --drafts exit {built.code}")
    for s in scores:
        for wrong in s.wrong:
            print(f"  {s.label}: {wrong}")
    return 0 if checked.code == 0 and built.code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
