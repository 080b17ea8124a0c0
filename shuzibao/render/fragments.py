"""`{% shared key, ... %}...{% endshared %}`: a piece of a page rendered once for all the pages that
show it the same way (Jinja's fragment cache, as its documentation gives it).

Most of a reader's page is the same for every story of a page (版): the page strip, the footer.
Their links are relative, so they are the same for every page in the same folder. A template
names, in the key, everything the piece shows that could differ (the script, the folder, the
current page); the renderer empties the cache before each issue and before the archive-wide pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup


class SharedFragments(Extension):
    tags = {"shared"}  # noqa: RUF012  # Jinja reads it from the class

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.extend(shared_fragments={})

    def parse(self, parser: Parser) -> nodes.Node:
        line = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endshared",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", [nodes.Tuple(key, "load")]), [], [], body).set_lineno(line)

    def _render(self, key: tuple[Any, ...], caller: Callable[[], str]) -> Markup:
        cache: dict[tuple[Any, ...], Markup] = self.environment.shared_fragments  # type: ignore[attr-defined]  # set in __init__
        if key not in cache:
            cache[key] = Markup(caller())
        return cache[key]
