"""Addresses that outlive a move: an article moved to another page or renamed lists where it was
(`moved_from: [02/old-name]`), and the build leaves a redirect page at each old address, in
every script, so that links and bookmarks made before the move still lead to it."""

from __future__ import annotations

from ..faults import Faults
from ..model import Issue


def check_moves(issue: Issue, faults: Faults) -> None:
    """An old address must be free: not the address of an article of the issue, and not claimed
    by two articles."""
    current = {f"{a.page.label}/{a.slug}": a for a in issue.articles()}
    claimed: dict[str, str] = {}
    for article in issue.articles():
        for ref in article.moved_from:
            where = (article.path, article.moved_from_line)
            if current.get(ref) is article:
                faults.add(*where, f"moved_from 写的 {ref} 是这篇稿件现在的地址：只写它以前的地址")
            elif ref in current:
                faults.add(*where, f"旧地址 {ref} 现在是 {current[ref].path} 的地址，不能再跳转到这篇：请删去这一项，或给那篇改名")
            elif ref in claimed:
                faults.add(*where, f"旧地址 {ref} 已由 {claimed[ref]} 认领，一个旧地址只能跳转到一篇稿件")
            else:
                claimed[ref] = article.path
