"""Ville de Démo's content: home page, sections, news and the services catalogue, in French
and in English, as demo_data/pages.toml and demo_data/catalogue.toml describe them.
Idempotent: existing pages and entries are found by slug or key and kept."""

import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.db import models
from wagtail.models import Locale, Page, Site

from agora.accounts.demo import ensure_privacy_policy
from agora.core.data_files import RecordError, Text, load, texts_in
from agora.pages.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    ServiceCategory,
    ServiceEntry,
    ServiceIndexPage,
    StandardPage,
)

DEMO_NAMESPACE = uuid.UUID("7a1c4a52-1f7e-4d0e-9a55-6b0f2f6a0d11")
DATA = Path(__file__).with_name("demo_data")

type Fields = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class PageRecord:
    """A page in French and in English, as a data file describes it."""

    title: Text
    slug: Text
    show_in_menus: bool = False
    search_description: Text | None = None
    summary: Text | None = None
    intro: Text | None = None
    body: Text | None = None


@dataclass(frozen=True, kw_only=True)
class NewsRecord(PageRecord):
    date: datetime.date


@dataclass(frozen=True)
class Pages:
    """demo_data/pages.toml"""

    home: PageRecord
    sections: tuple[PageRecord, ...]
    services: PageRecord
    news_index: PageRecord
    news: tuple[NewsRecord, ...]


@dataclass(frozen=True)
class CategoryRecord:
    key: str
    name: Text
    slug: Text


@dataclass(frozen=True)
class ServiceRecord:
    key: str
    category: str  # a category's key
    kind: ServiceEntry.Kind
    featured: bool
    url: str
    title: Text
    summary: Text
    keywords: Text


@dataclass(frozen=True)
class Catalogue:
    """demo_data/catalogue.toml"""

    categories: tuple[CategoryRecord, ...]
    services: tuple[ServiceRecord, ...]

    def __post_init__(self) -> None:
        keys = {category.key for category in self.categories}
        for number, service in enumerate(self.services):
            if service.category not in keys:
                raise RecordError(f"services[{number}].category", "no category has this key")


PAGES = load(DATA / "pages.toml", Pages)
CATALOGUE = load(DATA / "catalogue.toml", Catalogue)


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_page(parent: Page, model: type[Page], french: Fields, english: Fields) -> Page:
    """The page under `parent` with French `slug`, and its English translation."""
    page = parent.get_children().filter(slug=french["slug"]).specific().first()
    if page is None:
        page = model(**french)
        parent.add_child(instance=page)
        page = _publish(page)
    english_locale = Locale.objects.get(language_code="en")
    if page.get_translation_or_none(english_locale) is None:
        english_parent = parent if parent.is_root() else parent.get_translation(english_locale)
        fields = {name: value for name, value in french.items() if name not in english}
        translation = model(
            **fields, **english, locale=english_locale, translation_key=page.translation_key
        )
        english_parent.add_child(instance=translation)
        _publish(translation)
    return page.specific


def ensure_page_from(parent: Page, model: type[Page], record: PageRecord, **fields: Any) -> Page:
    """The page that `record` describes, under `parent`, and its translation; `fields` are
    more of its French fields, which the translation shares."""
    french = {**texts_in(record, "fr"), "show_in_menus": record.show_in_menus, **fields}
    return ensure_page(parent, model, french, texts_in(record, "en"))


def ensure_home(site: Site) -> HomePage:
    french_locale = Locale.objects.get(language_code="fr")
    home: HomePage | None = HomePage.objects.filter(locale=french_locale, depth=2).first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(**texts_in(PAGES.home, "fr"), locale=french_locale)
        root.add_child(instance=home)
        home = cast(HomePage, _publish(home).specific)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    # Wagtail's "Welcome" page is replaced by the city's home page.
    for welcome in root.get_children().exact_type(Page).filter(slug="home"):
        welcome.delete()
    ensure_page(root, HomePage, {"slug": home.slug}, texts_in(PAGES.home, "en"))
    return home


def _ensure_translatable(
    model: type[models.Model], key: str, locale: Locale, fields: Fields
) -> models.Model:
    translation_key = uuid.uuid5(DEMO_NAMESPACE, f"{model.__name__}:{key}")
    instance, _created = model._default_manager.get_or_create(
        translation_key=translation_key, locale=locale, defaults=fields
    )
    return instance


def seed_catalogue() -> None:
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    categories: dict[tuple[str, str], models.Model] = {}
    for order, category in enumerate(CATALOGUE.categories, start=1):
        for code in ("fr", "en"):
            categories[(category.key, code)] = _ensure_translatable(
                ServiceCategory,
                category.key,
                locales[code],
                {**texts_in(category, code), "sort_order": order},
            )
    for service in CATALOGUE.services:
        for code in ("fr", "en"):
            _ensure_translatable(
                ServiceEntry,
                service.key,
                locales[code],
                {
                    **texts_in(service, code),
                    "kind": service.kind,
                    "featured": service.featured,
                    "url": service.url,
                    "category": categories[(service.category, code)],
                },
            )


def seed(report: list[str]) -> None:
    site = Site.objects.get(is_default_site=True)
    home = ensure_home(site)
    ensure_privacy_policy(home)
    for section in PAGES.sections:
        ensure_page_from(home, StandardPage, section)
    ensure_page_from(home, ServiceIndexPage, PAGES.services)
    news_index = ensure_page_from(home, NewsIndexPage, PAGES.news_index)
    for news in PAGES.news:
        ensure_page_from(news_index, NewsPage, news, date=news.date)
    seed_catalogue()
    report.append(
        f"Demo city: {Page.objects.live().count()} pages, {ServiceEntry.objects.count()} catalogue entries."
    )
