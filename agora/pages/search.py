from collections.abc import Sequence

from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from agora.core.search import SearchHit
from agora.pages.models import ServiceEntry


class ServiceSearchSource:
    """Entries of the catalogue of online services and practical resources."""

    def search(self, query: str, *, locale: Locale, limit: int) -> Sequence[SearchHit]:
        entries = get_search_backend().search(
            query, ServiceEntry.objects.in_locale(locale), operator="and"
        )
        return [
            SearchHit(
                title=entry.title,
                url=entry.link,
                summary=entry.summary,
                kind=entry.get_kind_display(),
            )
            for entry in entries[:limit]
        ]
