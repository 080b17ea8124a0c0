"""Jumps between pages (转版): link each `continues` line to its part, then check typed markers.

From one `continues: 01/xinghualing` line the build knows both ends of a jump, so it renders
下转第3版 and 上接第1版 itself. Typed markers in imported print text are checked against the
real layout: one that agrees is dropped (the generated link replaces it), any other is a fault.
"""

from __future__ import annotations

from ..faults import Faults
from ..model import Article, Issue, Jump, shown_label
from .schema import PAGE_REF


def check_issue(issue: Issue, drafts: bool, faults: Faults) -> None:
    """What can only be checked once an issue's files are all read: its jumps and markers.
    Without `drafts`, draft articles are taken out first (and named in faults about them)."""
    link_jumps(issue, set() if drafts else drop_drafts(issue), faults)


def drop_drafts(issue: Issue) -> set[str]:
    """Take draft articles out of the issue; return their paths, for clearer jump faults."""
    left_out: set[str] = set()
    for page in issue.pages:
        left_out.update(a.path for a in page.articles if a.draft)
        page.articles = [a for a in page.articles if not a.draft]
    return left_out


def link_jumps(issue: Issue, drafts_left_out: set[str], faults: Faults) -> None:
    """Jumps stay within an issue, so an issue is checked on its own."""
    _link_issue(issue, drafts_left_out, faults)
    _break_loops(issue, faults)
    for article in issue.articles():
        _check_markers(article, faults)


def _ref(article: Article) -> str:
    return f"{article.page.label}/{article.slug}"


def _link_issue(issue: Issue, drafts_left_out: set[str], faults: Faults) -> None:
    parts = {(shown_label(a.page.label), a.slug): a for a in issue.articles()}
    for article in issue.articles():
        if article.continues is None:
            continue
        found = PAGE_REF.match(article.continues)
        if found is None:
            raise ValueError(f"{article.path}: continues was let through unchecked")  # the schema checks it when the file is read
        date, label, slug = found.groups()
        where = (article.path, article.continues_line)
        if date is not None and date != issue.folder:
            faults.add(*where, f"续文只能接同一期的稿件：{article.continues} 在另一期；请写成“版号/文件名”，例如 01/{slug}")
            continue
        target = parts.get((shown_label(label), slug))
        if target is None and (shown_label(label), slug) in issue.unreadable:
            continue  # the part it continues has faults of its own, reported at its file
        if target is None:
            if f"{issue.folder}/{label}/{slug}.md" in drafts_left_out:
                faults.add(*where, f"接续的 {label}/{slug} 是草稿（draft: true），不会发布：请把这篇续文也标为草稿，或发布前文")
            else:
                faults.add(*where, f"接续的 {label}/{slug} 不存在：请检查版号和文件名（{issue.folder}/{label}/{slug}.md）")
            continue
        if target is article:
            faults.add(*where, "稿件不能接续自己：continues 应指向前一部分所在的版和文件名")
            continue
        if target.page is article.page:
            faults.add(*where, f"接续的 {_ref(target)} 在同一版上，同版稿件无需转版：请合并为一篇")
            continue
        if target.jump_out is not None:
            other = target.jump_out.target
            faults.add(*where, f"{_ref(target)} 已由 {_ref(other)} 接续，一篇稿件只能有一处续文：请让这篇接续 {_ref(other)}")
            continue
        jump = Jump(source=target, target=article)
        target.jump_out = jump
        article.jump_in = jump


def _break_loops(issue: Issue, faults: Faults) -> None:
    """A chain that comes back to itself has no head; report it once and cut it."""
    done: set[int] = set()
    for article in issue.articles():
        chain: list[Article] = []
        part: Article | None = article
        while part is not None and id(part) not in done and part not in chain:
            chain.append(part)
            part = part.jump_in.source if part.jump_in else None
        done.update(id(p) for p in chain)
        if part is None or part not in chain:
            continue
        loop = chain[chain.index(part) :]
        first = min(loop, key=lambda a: a.path)
        names = " ← ".join(_ref(a) for a in [*loop, loop[0]])
        faults.add(first.path, first.continues_line, f"转版接成了一个圈（{names}），找不到开头：请检查这几篇的 continues")
        jump = first.jump_in
        assert jump is not None
        jump.source.jump_out = None
        first.jump_in = None


def _check_markers(article: Article, faults: Faults) -> None:
    for marker in article.markers:
        if marker.outgoing:
            jump, word, partner_word = article.jump_out, "下转", "续文"
            real = shown_label(jump.target.page.label) if jump else None
        else:
            jump, word, partner_word = article.jump_in, "上接", "前文"
            real = shown_label(jump.source.page.label) if jump else None
        if real is None:
            hint = (
                f"请在续文的 front matter 里写 continues: {article.page.label}/{article.slug}"
                if marker.outgoing
                else "请在 front matter 里用 continues 写明接续哪一篇"
            )
            faults.add(article.path, marker.line, f"正文写着“{marker.text}”，但没有对应的{partner_word}：{hint}，或删去这个标记")
        elif real != marker.label:
            faults.add(
                article.path,
                marker.line,
                f"正文写着“{marker.text}”，但{partner_word}实际在第{real}版：请删去这个标记，构建会自动生成正确的“{word}第{real}版”链接",
            )
