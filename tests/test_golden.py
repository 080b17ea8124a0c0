"""Golden files: the sample edition's key pages, byte for byte. Refresh with `make goldens`."""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.html",
    "archive/index.html",
    "2021-12-10/index.html",
    "2021-12-10/01/index.html",
    "2021-12-10/01/xinghualing.html",
    "2021-12-10/03/xinghualing-xu.html",
    "2021-12-10/01/tupian-xinwen.html",
    "zh-hant/2021-12-10/01/weitao-anyong.html",
    "zh-hk/2021-12-10/01/weitao-anyong.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_sample_page_matches_its_golden_file(sample_site: Path, update_goldens: bool, page: str) -> None:
    golden = GOLDEN / page.replace("/", "__")
    actual = (sample_site / page).read_text(encoding="utf-8")
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file for {page}: run `make goldens`"
    assert actual == golden.read_text(encoding="utf-8"), f"{page} changed: review the diff, then run `make goldens`"
