"""schema.org structured data (JSON-LD): what search engines and news aggregators read of a page.

An article is a NewsArticle that says where it stood in print: its page (printPage), the page's
name (printSection), the day's edition (printEdition), and the PublicationIssue it is part of,
whose pagination lists every page the story spans (a jumped story: "1, 3"). An issue page is the
PublicationIssue itself. Addresses are absolute, so they are given only with base_url.
"""

from __future__ import annotations

from typing import Any

from ..model import Article, Issue, Site, Variant
from ..scripts.site_words import Words
from ..urls import Links


def periodical(site: Site) -> dict[str, Any]:
    return {"@type": "Periodical", "name": site.title}


def publication_issue(issue: Issue, site: Site, words: Words, pages: list[str], url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "PublicationIssue",
        "name": words.date(issue.date),
        "datePublished": issue.date.isoformat(),
        "pagination": ", ".join(pages),
        "isPartOf": periodical(site),
    }
    if issue.number is not None:
        data["issueNumber"] = str(issue.number)
    if url:
        data["url"] = url
    return data


def issue_data(issue: Issue, site: Site, variant: Variant, words: Words, links: Links) -> dict[str, Any]:
    """The issue page's data: the PublicationIssue, all its pages."""
    data = {"@context": "https://schema.org", **publication_issue(issue, site, words, [p.shown for p in issue.pages], links.absolute())}
    data["inLanguage"] = variant.code
    return data


def article_data(article: Article, site: Site, variant: Variant, words: Words, links: Links, image: str | None) -> dict[str, Any]:
    """An article page's data: a NewsArticle (for a continuation, the story it belongs to)."""
    head, page, issue = article.head, article.page, article.page.issue
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "inLanguage": variant.code,
        "datePublished": issue.date.isoformat(),
        "printEdition": words.date(issue.date),
        "printPage": page.shown,
        "printSection": page.name,
        "isPartOf": publication_issue(issue, site, words, [part.page.shown for part in article.story], links.absolute(links.issue_path(issue))),
        "publisher": {"@type": "Organization", "name": site.title},
    }
    alternative = [text for text in (head.kicker, head.subtitle) if text]
    if alternative:
        data["alternativeHeadline"] = alternative[0] if len(alternative) == 1 else alternative
    if head.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in head.authors]
    if head.photographers:
        data["contributor"] = [{"@type": "Person", "name": name, "roleName": words["photo_role"]} for name in head.photographers]
    if links.absolute():
        data["url"] = data["mainEntityOfPage"] = links.absolute()
    if image:
        data["image"] = image
    return data
