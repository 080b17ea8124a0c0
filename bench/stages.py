"""Where a full build's time goes: milliseconds of CPU per article, stage by stage, in one process.

Runs what a build worker runs (load and check an issue, compute its page keys, convert it to each
script, render every page, write the files) on the first N issues of a generated archive, timing
each stage, and the naive floor on the same articles for comparison.

    python bench/stages.py --days 365 --issues 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

from generate import generate

from build import OUT, ROOT, naive_floor

sys.path.insert(0, str(ROOT))

from shuzibao.build.page_keys import issue_keys
from shuzibao.build.pipeline import theme_versions
from shuzibao.build.worker import write
from shuzibao.content import load, validate
from shuzibao.faults import Faults
from shuzibao.model import Edition, Issue
from shuzibao.render import pages as render
from shuzibao.render.routes import issue_routes
from shuzibao.scripts.conversion import localize_issue
from shuzibao.scripts.site_words import words_for


def stages(content: Path, out: Path) -> tuple[int, dict[str, float]]:
    faults = Faults()
    site = load.load_site(content, faults)
    folders = load.issue_folders(content, site, faults)
    stubs = [Issue(dt.date.fromisoformat(f)) for f in folders]
    renderer = render.Renderer(render.make_environment(ROOT / "templates"), theme_versions(ROOT / "theme"))
    renderer.compile_templates()
    spent: dict[str, float] = {}
    articles = 0

    def lap(stage: str, since: float) -> float:
        now = time.process_time()
        spent[stage] = spent.get(stage, 0.0) + now - since
        return now

    for index, folder in enumerate(folders):
        clock = time.process_time()
        issue = load.load_issue(content, folder, site, faults)
        assert issue is not None, folder  # None only for a folder whose name is no real date
        validate.check_issue(issue, False, faults)
        clock = lap("load and check", clock)
        issues = list(stubs)
        issues[index] = issue
        edition = Edition(site, issues)
        issue_keys(edition, index)
        clock = lap("page keys", clock)
        for variant in site.variants:
            shown = localize_issue(issue, site, variant)
            for article in shown.articles():
                list(article.body)  # bodies convert on first use
            clock = lap("convert (OpenCC)", clock)
            outputs = []
            for route in issue_routes(edition, index, shown, variant):
                outputs.append(render.Output(route.path, renderer.route(route, renderer.localized(site, variant), variant, words_for(variant))))
                clock = lap(f"render {route.template}", clock)
            for output in outputs:
                write(output, out)
            clock = lap("write", clock)
        articles += sum(1 for _ in issue.articles())
    return articles, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365, help="the generated archive to take issues from")
    parser.add_argument("--issues", type=int, default=30, help="how many of its issues to build")
    args = parser.parse_args()
    archive = OUT / f"archive-{args.days}"
    if not (archive / "site.yaml").exists():
        generate(archive, args.days)
    work = OUT / "stages"
    shutil.rmtree(work, ignore_errors=True)
    content = work / "content"
    content.mkdir(parents=True)
    shutil.copy(archive / "site.yaml", content)
    for folder in sorted(p.name for p in archive.iterdir() if p.is_dir())[: args.issues]:
        shutil.copytree(archive / folder, content / folder)
    try:
        articles, spent = stages(content, work / "ours")
        clock = time.process_time()
        floor_pages, _ = naive_floor(content, work / "floor")
        floor = (time.process_time() - clock) / floor_pages
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = sum(spent.values())
    print(f"\n{args.issues} issues, {articles} articles (drafts left out), 2 scripts, CPU time\n")
    print("| stage | ms per article (both scripts) | share |")
    print("|---|---|---|")
    for stage, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {seconds / articles * 1000:.3f} | {seconds / total:.0%} |")
    print(f"| **all** | **{total / articles * 1000:.3f}** | |")
    print(f"| naive floor, one page per article | {floor * 1000:.3f} | |")


if __name__ == "__main__":
    main()
