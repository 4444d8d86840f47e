"""Site search across every kind of content, in words residents use.

Each module registers a `SearchSource` (pages here; the catalogue in `agora.pages`; ideas,
surveys and their results in their own modules): what it lets residents find, in which
words, and what each hit is called ("Service en ligne", "Projet", "Sondage").

How it finds French words on SQLite and on PostgreSQL alike. The databases' own full-text
search differs: SQLite's FTS5 has no French stemmer, PostgreSQL's `french` configuration
stems but keeps accents. So Agora keeps its own small inverted index in two plain tables:
`SearchDocument` (one per thing and language) and `SearchTerm` (its distinct terms,
indexed by term). Text and query both go through `search_text.terms` (accents removed,
lower case, Snowball stem, no stop words), and a query is a handful of indexed lookups
(`term IN (…)`) that any database answers the same way and fast, without reading every row.

Synonyms staff edit (`SearchSynonymGroup`) expand the query as it runs, never the index: an
edit counts at the next search, without a rebuild. The index holds words only; whether a
resident may see a thing is asked of its source at every search (published, open, public
now), so a survey that closes or a page made private drops out at once.

Sources keep the index current from the saves and deletions of their models (`models`);
`manage.py rebuild_search_index` rebuilds it whole, and `migrate` builds it when it is empty
(an installation upgraded to this index, a database restored without it).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, overload

from django.apps import AppConfig
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, Model, Q
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from wagtail.models import Locale, Page

from agora.core.models import SearchDocument, SearchSynonymGroup, SearchTerm
from agora.core.search_text import expand, synonym_terms, terms

# The most matches a search weighs; past that, residents refine their words.
MAX_MATCHES = 200


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str
    kind: str | Promise


@dataclass(frozen=True)
class IndexedText:
    """What a thing says in one language: its title weighs more than the rest."""

    language: str
    title: str
    body: str = ""


class SearchSource:
    """What one module lets residents find. A subclass names itself (`name`, stored in the
    index: never rename one), lists the models whose saves change what it indexes, and says:

    - `indexable()`: everything that may be found, to rebuild the index;
    - `texts(obj)`: its words in each language, nothing for a thing nobody may find now;
    - `visible(keys, locale)`: of these keys, those a resident may see now (one query);
    - `hits(keys, locale)`: the hits to show for these keys (a few queries, not one each).
    """

    name: ClassVar[str]
    models: ClassVar[tuple[type[Model], ...]] = ()

    def indexable(self) -> Iterable[Model]:
        raise NotImplementedError

    def texts(self, obj: Any) -> Iterable[IndexedText]:
        raise NotImplementedError

    def visible(self, keys: Sequence[str], *, locale: Locale) -> set[str]:
        raise NotImplementedError

    def hits(self, keys: Sequence[str], *, locale: Locale) -> dict[str, SearchHit]:
        raise NotImplementedError

    def handles(self, obj: Model) -> bool:
        return isinstance(obj, self.models)

    def key(self, obj: Model) -> str:
        return str(obj.pk)

    def current(self, obj: Model) -> Model | None:
        """The object as the database holds it: a page saved as a draft keeps its published
        words in the database, and those are the ones residents read."""
        return type(obj)._default_manager.filter(pk=obj.pk).first()


_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    _sources.setdefault(source.name, source)


def sources() -> list[SearchSource]:
    return list(_sources.values())


# The index


def searchable_text(obj: Model) -> tuple[str, str]:
    """(title, the rest) from the fields a model declares searchable for Wagtail
    (`search_fields`), so that pages and snippets say once what is worth finding."""
    title: list[str] = []
    body: list[str] = []
    for field in obj.get_search_fields():  # type: ignore[attr-defined]
        if isinstance(field, index.SearchField):
            (title if field.field_name == "title" else body).append(_as_text(field.get_value(obj)))
        elif isinstance(field, index.RelatedFields):
            related = getattr(obj, field.field_name, None)
            if isinstance(related, Model):
                for related_field in field.fields:
                    if isinstance(related_field, index.SearchField):
                        body.append(_as_text(related_field.get_value(related)))
    return " ".join(title), " ".join(body)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_as_text(item) for item in value)
    return strip_tags(str(value))


def update_index(source: SearchSource, obj: Model) -> None:
    """Stores what `obj` says now, or removes it when nobody may find it."""
    key = source.key(obj)
    texts = {text.language: text for text in source.texts(obj)}
    with transaction.atomic():
        SearchDocument.objects.filter(source=source.name, key=key).exclude(
            language__in=list(texts)
        ).delete()
        for language, text in texts.items():
            document, _created = SearchDocument.objects.get_or_create(
                source=source.name, key=key, language=language
            )
            title_terms = set(terms(text.title, language))
            all_terms = title_terms | set(terms(text.body, language))
            document.terms.all().delete()
            SearchTerm.objects.bulk_create(
                SearchTerm(document=document, term=term, in_title=term in title_terms)
                for term in sorted(all_terms)
            )


def remove_from_index(source: SearchSource, key: str) -> None:
    SearchDocument.objects.filter(source=source.name, key=key).delete()


def rebuild_index() -> int:
    """Indexes everything every source may let residents find; returns how many things."""
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for source in sources():
            for obj in source.indexable():
                update_index(source, obj)
                count += 1
    return count


# While `indexing_deferred` runs: what was saved or deleted, by source and key (a deleted
# object has lost its primary key by the end).
_deferred: list[dict[tuple[str, str], tuple[SearchSource, Model]]] = []


def _reindex(source: SearchSource, instance: Model, key: str) -> None:
    current = source.current(instance) if instance.pk is not None else None
    if current is None:
        remove_from_index(source, key)
    else:
        update_index(source, current)


def _saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _changed(instance, deleted=False)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    _changed(instance, deleted=True)


def _changed(instance: Model, *, deleted: bool) -> None:
    for source in sources():
        if source.handles(instance):
            key = source.key(instance)
            if _deferred:
                _deferred[-1][(source.name, key)] = (source, instance)
            elif deleted:
                remove_from_index(source, key)
            else:
                _reindex(source, instance, key)


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Inside it, each thing saved or deleted is indexed once, at the end, from what the
    database then holds: for work that saves the same thing many times, such as seeding
    the demo city (a page is saved when created, revised, then published)."""
    _deferred.append({})
    try:
        yield
    except BaseException:
        _deferred.pop()
        raise
    touched = _deferred.pop()
    for (_name, key), (source, instance) in touched.items():
        _reindex(source, instance, key)


def connect() -> None:
    """Saves and deletions of the sources' models keep the index current. Pages are saved as
    their own class (`StandardPage`), so the receivers listen to every model and ask each
    source whether the object is one of its own."""
    post_save.connect(_saved, dispatch_uid="agora-search-index-saved")
    post_delete.connect(_deleted, dispatch_uid="agora-search-index-deleted")


def index_if_empty(
    sender: AppConfig, *, apps: Apps, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """After `migrate` (its `post_migrate` signal): an empty index beside content is an
    installation upgraded to this index or a database restored without it, and it is built
    then. One query when the index holds anything; nothing when a partial `migrate` left a
    table of the index or of a source unmade."""
    if using != DEFAULT_DB_ALIAS:
        return
    needed: list[type[Model]] = [
        SearchDocument,
        SearchTerm,
        *(model for source in sources() for model in source.models),
    ]
    try:
        for model in needed:
            apps.get_model(model._meta.label)
    except LookupError:
        return
    if not SearchDocument.objects.exists():
        rebuild_index()


# Searching


@dataclass(frozen=True)
class Match:
    source: str
    key: str


def _synonym_groups(language: str) -> list[list[tuple[str, ...]]]:
    groups = SearchSynonymGroup.objects.filter(language=language).values_list("terms", flat=True)
    return [synonym_terms(group, language) for group in groups]


def _having(term: tuple[str, ...]) -> Q:
    condition = Q()
    for stem in term:
        condition &= Q(pk__in=SearchTerm.objects.filter(term=stem).values("document_id"))
    return condition


def matches(query: str, *, language: str) -> list[Match]:
    """The documents of the language holding every word of the query (or a synonym), those
    whose titles hold more of its words first. Two queries, whatever the query."""
    clauses = expand(terms(query, language), _synonym_groups(language))
    if not clauses:
        return []
    documents = SearchDocument.objects.filter(language=language)
    stems: set[str] = set()
    for alternatives in clauses:
        condition = Q()
        for term in alternatives:
            condition |= _having(term)
            stems.update(term)
        documents = documents.filter(condition)
    ranked = documents.annotate(
        title_matches=Count("terms", filter=Q(terms__in_title=True, terms__term__in=stems))
    ).order_by("-title_matches", "source", "key")
    return [Match(source, key) for source, key in ranked.values_list("source", "key")[:MAX_MATCHES]]


class SearchResults(Sequence[SearchHit]):
    """The hits of a search, for a paginator: which matches residents may see is asked of
    each source once; the hits themselves are built only for the slice shown."""

    def __init__(self, query: str, *, locale: Locale) -> None:
        self.locale = locale
        found = matches(query, language=locale.language_code)
        keys_by_source: dict[str, list[str]] = defaultdict(list)
        for match in found:
            keys_by_source[match.source].append(match.key)
        visible = {
            name: _sources[name].visible(keys, locale=locale) if name in _sources else set()
            for name, keys in keys_by_source.items()
        }
        self.matches = [match for match in found if match.key in visible[match.source]]

    def __len__(self) -> int:
        return len(self.matches)

    @overload
    def __getitem__(self, position: int) -> SearchHit: ...
    @overload
    def __getitem__(self, position: slice) -> list[SearchHit]: ...
    def __getitem__(self, position: int | slice) -> SearchHit | list[SearchHit]:
        if isinstance(position, int):
            return self._hits(self.matches[position : position + 1 or None])[0]
        return self._hits(self.matches[position])

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self._hits(self.matches))

    def _hits(self, shown: list[Match]) -> list[SearchHit]:
        keys_by_source: dict[str, list[str]] = defaultdict(list)
        for match in shown:
            keys_by_source[match.source].append(match.key)
        built = {
            name: _sources[name].hits(keys, locale=self.locale)
            for name, keys in keys_by_source.items()
        }
        return [
            built[match.source][match.key] for match in shown if match.key in built[match.source]
        ]


def search_everything(query: str, *, locale: Locale) -> SearchResults:
    return SearchResults(query, locale=locale)


# Pages


class PageSearchSource(SearchSource):
    """Published, public pages of the visitor's language. A page model names what it is for
    residents with `search_kind` ("Projet", "Actualité"); any other is a "Page"."""

    name = "pages"
    models = (Page,)

    def indexable(self) -> Iterable[Page]:
        pages: Iterable[Page] = (
            Page.objects.live().filter(depth__gt=2).specific().select_related("locale")
        )
        return pages

    def current(self, obj: Model) -> Model | None:
        page: Page | None = (
            Page.objects.filter(pk=obj.pk).specific().select_related("locale").first()
        )
        return page

    def texts(self, obj: Any) -> Iterable[IndexedText]:
        page: Page = obj
        if not page.live or page.depth <= 2:
            return []
        title, body = searchable_text(page)
        summary = page.search_description or getattr(page, "summary", "") or ""
        return [IndexedText(page.locale.language_code, title, f"{summary} {body}")]

    def _pages(self, keys: Sequence[str], locale: Locale) -> Any:
        return Page.objects.live().public().filter(locale=locale, pk__in=keys)

    def visible(self, keys: Sequence[str], *, locale: Locale) -> set[str]:
        return {str(pk) for pk in self._pages(keys, locale).values_list("pk", flat=True)}

    def hits(self, keys: Sequence[str], *, locale: Locale) -> dict[str, SearchHit]:
        return {
            str(page.pk): SearchHit(
                title=page.title,
                url=page.get_url() or "",
                summary=page.search_description or getattr(page, "summary", "") or "",
                kind=getattr(page, "search_kind", _("Page")),
            )
            for page in self._pages(keys, locale).specific()
        }
