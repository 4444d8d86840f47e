"""Site search across every kind of content.

Each module registers a `SearchSource` (pages here; services in `agora.pages`; projects,
ideas and surveys when their modules arrive). A source answers in the visitor's language.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

MAX_HITS_PER_SOURCE = 100


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str
    kind: str | Promise


class SearchSource(Protocol):
    def search(self, query: str, *, locale: Locale, limit: int) -> Sequence[SearchHit]: ...


_sources: list[SearchSource] = []


def register(source: SearchSource) -> None:
    if all(type(existing) is not type(source) for existing in _sources):
        _sources.append(source)


def search_everything(query: str, *, locale: Locale) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for source in _sources:
        hits.extend(source.search(query, locale=locale, limit=MAX_HITS_PER_SOURCE))
    return hits


class PageSearchSource:
    """Published, public pages of the visitor's language."""

    def search(self, query: str, *, locale: Locale, limit: int) -> Sequence[SearchHit]:
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=locale, depth__gt=2)
            .specific()
            .search(query, operator="and")[:limit]
        )
        return [
            SearchHit(
                title=page.title,
                url=page.get_url() or "",
                summary=page.search_description or getattr(page, "summary", "") or "",
                kind=getattr(page._meta, "verbose_name", _("Page")),
            )
            for page in pages
        ]
