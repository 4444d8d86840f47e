"""Factories for content: pages are added under a parent and published the way editors do it
(a revision, then publish), so signals, search indexing and the content version all run."""

import datetime
from typing import Any

from django.utils.text import slugify
from factory.declarations import BaseDeclaration, LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page

from agora.pages.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    ServiceCategory,
    ServiceEntry,
    ServiceIndexPage,
    StandardPage,
)


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


class PageFactory[P: Page](DjangoModelFactory[P]):
    """`parent` is required; `publish=False` leaves a draft that visitors cannot see."""

    class Meta:
        abstract = True

    # A declaration here, a plain value in some pages' factories.
    title: BaseDeclaration | str = Sequence(lambda n: f"Page {n}")
    slug: BaseDeclaration | str = LazyAttribute(lambda page: slugify(page.title))

    @classmethod
    def _create(
        cls, model_class: type[P], *args: Any, parent: Page, publish: bool = True, **fields: Any
    ) -> P:
        page: P = model_class(*args, live=False, **fields)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page


class HomePageFactory(PageFactory[HomePage]):
    class Meta:
        model = HomePage

    title = "Bienvenue"
    slug = "accueil"
    intro = "Votre porte d'entrée à l'hôtel de ville."


class StandardPageFactory(PageFactory[StandardPage]):
    class Meta:
        model = StandardPage

    summary = LazyAttribute(lambda page: f"À propos de {page.title}.")
    body = "<p>Contenu de la page.</p>"
    show_in_menus = False


class ServiceIndexPageFactory(PageFactory[ServiceIndexPage]):
    class Meta:
        model = ServiceIndexPage

    title = "Services et ressources"
    slug = "services"
    intro = "Tous les services en ligne."
    show_in_menus = True


class NewsIndexPageFactory(PageFactory[NewsIndexPage]):
    class Meta:
        model = NewsIndexPage

    title = "Nouvelles"
    slug = "nouvelles"


class NewsPageFactory(PageFactory[NewsPage]):
    class Meta:
        model = NewsPage

    title = Sequence(lambda n: f"Nouvelle {n}")
    date = Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    summary = LazyAttribute(lambda page: f"Résumé de {page.title}.")
    body = "<p>Le texte de la nouvelle.</p>"


def translate[P: Page](page: P, code: str = "en", *, publish: bool = True, **fields: Any) -> P:
    """The page's translation as an editor makes it: copied into `code`, retitled, published."""
    translation = page.specific.copy_for_translation(locale(code))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    revision = translation.save_revision()
    if publish:
        revision.publish()
    translation.refresh_from_db()
    specific: P = translation.specific  # the same page type as `page`
    return specific


class ServiceCategoryFactory(DjangoModelFactory[ServiceCategory]):
    class Meta:
        model = ServiceCategory

    name = Sequence(lambda n: f"Catégorie {n}")
    slug = LazyAttribute(lambda category: slugify(category.name))
    locale = LazyFunction(lambda: locale("fr"))
    sort_order = Sequence(lambda n: n)


class ServiceEntryFactory(DjangoModelFactory[ServiceEntry]):
    class Meta:
        model = ServiceEntry

    title = Sequence(lambda n: f"Service {n}")
    category = SubFactory(ServiceCategoryFactory)
    locale = LazyAttribute(lambda entry: entry.category.locale)
    kind = ServiceEntry.Kind.ONLINE_SERVICE
    summary = LazyAttribute(lambda entry: f"Faites votre démarche : {entry.title}.")
    keywords = ""
    url = Sequence(lambda n: f"https://services.ville-test.example/{n}")
