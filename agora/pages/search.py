from collections.abc import Iterable, Sequence
from typing import Any

from wagtail.models import Locale

from agora.core.search import IndexedText, SearchHit, SearchSource, searchable_text
from agora.pages.models import ServiceEntry


class ServiceSearchSource(SearchSource):
    """Entries of the catalogue of online services and practical resources, found by their
    title, keywords, description and category."""

    name = "services"
    models = (ServiceEntry,)

    def indexable(self) -> Iterable[ServiceEntry]:
        return ServiceEntry.objects.select_related("locale", "category")

    def texts(self, obj: Any) -> Iterable[IndexedText]:
        entry: ServiceEntry = obj
        title, body = searchable_text(entry)
        return [IndexedText(entry.locale.language_code, title, body)]

    def visible(self, keys: Sequence[str], *, locale: Locale) -> set[str]:
        entries = ServiceEntry.objects.filter(locale=locale, pk__in=keys)
        return {str(pk) for pk in entries.values_list("pk", flat=True)}

    def hits(self, keys: Sequence[str], *, locale: Locale) -> dict[str, SearchHit]:
        return {
            str(entry.pk): SearchHit(
                title=entry.title,
                url=entry.link,
                summary=entry.summary,
                kind=entry.get_kind_display(),
            )
            for entry in ServiceEntry.objects.in_locale(locale).filter(pk__in=keys)
        }
