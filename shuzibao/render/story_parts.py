"""What the pages listing every story of an issue show of each story, kept from build to build.

The preview rebuilds the issue an editor saves, with the files that hold every one of its
stories whole (its open data, the feeds), although one story changed. Each story's part of
them is kept here, keyed by everything it is made of (its file's digest, its jumps, its page,
the script), so that the others are neither converted nor rendered again. A Renderer, which
holds these, is made anew whenever the site, the templates or the program change (a full
build), so keys leave those out. Only the last few issues' parts are kept: an archive's would
fill the memory. A story's body HTML is kept here too, so that its page and its issue's open
data render it once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..model import Article
from . import story_html

T = TypeVar("T")
ISSUES = 4  # the feeds' three latest issues and one more


class StoryParts:
    def __init__(self) -> None:
        self._issues: OrderedDict[str, dict[Hashable, Any]] = OrderedDict()

    def get(self, folder: str, key: Hashable, make: Callable[[], T]) -> T:
        """The part of the story that `key` names in issue `folder`, made by `make` if not kept."""
        parts = self._issues.setdefault(folder, {})
        self._issues.move_to_end(folder)
        while len(self._issues) > ISSUES:
            self._issues.popitem(last=False)
        if key not in parts:
            parts[key] = make()
        value: T = parts[key]
        return value

    def body(self, article: Article, script: str, heading: int, make: Callable[[], str]) -> str:
        """A story's body as HTML, made once for its page and its issue's open data. A body with
        a photo is made each time: the photo's address is relative to the file that shows it."""
        if story_html.has_images(article.body):
            return make()
        return self.get(article.page.issue.folder, ("body", script, article.path, article.digest, heading), make)
