"""The planning of a cached build, rule by rule: which issues are read and for what, which records
are kept, what is removed. Pure functions over a cache and the tree's stamps (build/plan.py);
test_cache.py proves the whole against full builds."""

from __future__ import annotations

import datetime as dt

from shuzibao.build.cache import BuildCache, IssueRecord
from shuzibao.build.plan import Documents, Task, changed_folders, feed_folders, gather, plan, removed_pages, searchable_months, touched_months
from shuzibao.model import Site, Variant
from shuzibao.render.feeds import FeedStory, midnight

DAYS = ["2021-11-29", "2021-11-30", "2021-12-01", "2021-12-02", "2021-12-03"]
STAMPS = {day: f"stamp-{day}" for day in DAYS}
SOURCE, HANT = Variant("zh-Hans", "简体", None, ""), Variant("zh-Hant", "繁體", "s2tw", "zh-hant/")
SITE = Site("测试日报", (SOURCE, HANT))
STORY = FeedStory("2021-12-03", "2021-12-03/01/a.html", "标题", (), "1", "要闻", midnight(dt.date(2021, 12, 3)), "", "")


def record(day: str, searchable: bool = True, feed: bool = False, pages: tuple[str, ...] = ("01/a.html",)) -> IssueRecord:
    keys = {f"{day}/index.html": "k", **{f"{day}/{page}": "k" for page in pages}}
    feed_stories: dict[str, tuple[FeedStory, ...]] | None = {"zh-Hans": (STORY,)} if feed else None
    return IssueRecord(f"stamp-{day}", keys, tuple(keys), "listing", [], ("1",), searchable, (f"{day}/01/page.jpg",), 1, len(pages), feed=feed_stories)


def cache_of(days: list[str], feeds: bool = True) -> BuildCache:
    latest = set(feed_folders(days)) if feeds else set()
    return BuildCache("environment", "token", {day: record(day, feed=day in latest) for day in days})


def planned(tasks: list[Task]) -> dict[str, tuple[bool, Documents, bool]]:
    return {t.folder: (t.render, t.documents, t.feed) for t in tasks}


def test_without_a_cache_every_issue_is_read_rendered_and_indexed_and_the_latest_give_their_feed() -> None:
    todo = plan(None, DAYS, STAMPS, Documents.ALL, render=True, feeds=True)
    assert planned(todo.tasks) == {day: (True, Documents.ALL, day in DAYS[-3:]) for day in DAYS}
    assert todo.changed == set(DAYS) and todo.gone == set()


def test_without_base_url_no_issue_gives_feed_stories() -> None:
    assert not any(t.feed for t in plan(None, DAYS, STAMPS, Documents.ALL, render=True, feeds=False).tasks)


def test_a_tree_with_faults_in_site_yaml_is_only_checked() -> None:
    todo = plan(None, DAYS, STAMPS, Documents.ALL, render=False, feeds=True)
    assert planned(todo.tasks) == dict.fromkeys(DAYS, (False, Documents.NONE, False))


def test_nothing_changed_reads_nothing() -> None:
    todo = plan(cache_of(DAYS), DAYS, STAMPS, Documents.ALL, render=True, feeds=True)
    assert todo.tasks == [] and todo.changed == set() and todo.gone == set()


def test_an_edited_issue_is_rendered_and_its_month_indexed_again() -> None:
    stamps = {**STAMPS, "2021-12-01": "edited"}
    todo = plan(cache_of(DAYS), DAYS, stamps, Documents.ALL, render=True, feeds=True)
    assert todo.changed == {"2021-12-01"}
    # Every issue of December gives its documents, for the shard is made again; November is not read.
    assert planned(todo.tasks) == {"2021-12-01": (True, Documents.ALL, True), "2021-12-02": (False, Documents.ALL, True), "2021-12-03": (False, Documents.ALL, True)}
    assert next(t for t in todo.tasks if t.folder == "2021-12-01").old_keys == cache_of(DAYS).issues["2021-12-01"].keys


def test_a_new_issue_renders_the_day_before_for_its_next_issue_link() -> None:
    todo = plan(cache_of(DAYS[:-1]), DAYS, STAMPS, Documents.NONE, render=True, feeds=True)
    assert planned(todo.tasks) == {"2021-12-02": (True, Documents.NONE, True), "2021-12-03": (True, Documents.NONE, True)}
    assert next(t for t in todo.tasks if t.folder == "2021-12-03").old_keys == {}  # new: every page written


def test_a_removed_issue_renders_its_neighbours_and_the_issue_that_joins_the_feed_is_read_for_it() -> None:
    kept = DAYS[:2] + DAYS[3:]  # 2021-12-01 removed
    todo = plan(cache_of(DAYS), kept, STAMPS, Documents.NONE, render=True, feeds=True)
    assert todo.gone == {"2021-12-01"}
    # Its neighbours get new previous/next links; 2021-11-30 is now among the latest three and
    # its record has no feed stories yet.
    assert planned(todo.tasks) == {"2021-11-30": (True, Documents.NONE, True), "2021-12-02": (True, Documents.NONE, True)}
    latest_removed = plan(cache_of(DAYS), DAYS[:-1], STAMPS, Documents.NONE, render=True, feeds=True)
    assert planned(latest_removed.tasks) == {"2021-11-30": (False, Documents.NONE, True), "2021-12-02": (True, Documents.NONE, True)}


def test_the_preview_makes_the_documents_of_the_pages_it_renders_only() -> None:
    stamps = {**STAMPS, "2021-11-29": "edited"}
    todo = plan(cache_of(DAYS), DAYS, stamps, Documents.RENDERED, render=True, feeds=True)
    assert planned(todo.tasks) == {"2021-11-29": (True, Documents.RENDERED, False)}


def test_changed_folders_are_the_added_edited_and_removed() -> None:
    old = cache_of(DAYS[1:])
    now = DAYS[:-1]
    assert changed_folders(old, now, {**STAMPS, "2021-12-01": "edited"}) == {"2021-11-29", "2021-12-01", "2021-12-03"}


def test_gather_keeps_fresh_records_and_the_feed_stories_of_the_latest_only() -> None:
    old = cache_of(DAYS)
    fresh = {"2021-12-03": record("2021-12-03", feed=True)}
    records = gather(old, [*DAYS, "2021-12-04"], {**fresh, "2021-12-04": record("2021-12-04", feed=True)}, feeds=True)
    assert records["2021-12-03"] is fresh["2021-12-03"]
    assert [day for day, r in records.items() if r.feed] == ["2021-12-02", "2021-12-03", "2021-12-04"]
    assert old.issues["2021-12-01"].feed is not None  # the old cache is left as it was


def test_removed_pages_are_the_pages_no_longer_made_and_the_issues_gone_in_every_script() -> None:
    old = cache_of(DAYS)
    new = BuildCache("environment", "token", {**old.issues, "2021-12-02": record("2021-12-02", pages=("01/b.html",))})
    del new.issues["2021-11-29"]
    removed = removed_pages(old, new, read={"2021-12-02"}, gone={"2021-11-29"}, site=SITE)
    gone = {"2021-11-29", "2021-11-29/index.html", "2021-11-29/01/a.html"}
    assert removed == {"2021-12-02/01/a.html", *gone} | {"zh-hant/" + path for path in {"2021-12-02/01/a.html", *gone}}
    assert removed_pages(None, new, read=set(DAYS), gone=set(), site=SITE) == set()


def test_search_shards_are_the_months_with_stories_and_a_cached_build_remakes_those_it_changed() -> None:
    records = {day: record(day, searchable=day != "2021-11-29" and day != "2021-11-30") for day in DAYS}
    assert searchable_months(records) == {"2021-12"}
    new = BuildCache("environment", "token", records)
    assert touched_months(None, plan(None, DAYS, STAMPS, Documents.ALL, True, True), new) == {"2021-12"}
    stamps = {**STAMPS, "2021-11-30": "edited"}
    cached = plan(cache_of(DAYS), DAYS, stamps, Documents.ALL, True, True)
    assert touched_months(cache_of(DAYS), cached, new) == {"2021-11"}  # its shard goes, for it has no story left
