"""Factories for content: pages are added under a parent and published the way editors do it
(a revision, then publish), so signals, search indexing and the content version all run."""

import datetime
from typing import Any

import factory
from django.utils.text import slugify
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


class PageFactory(factory.django.DjangoModelFactory):
    """`parent` is required; `publish=False` leaves a draft that visitors cannot see."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))

    @classmethod
    def _create(
        cls, model_class: type[Page], *args: Any, parent: Page, publish: bool = True, **fields: Any
    ) -> Page:
        page = model_class(*args, live=False, **fields)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Bienvenue"
    slug = "accueil"
    intro = "Votre porte d'entrée à l'hôtel de ville."


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    summary = factory.LazyAttribute(lambda page: f"À propos de {page.title}.")
    body = "<p>Contenu de la page.</p>"
    show_in_menus = False


class ServiceIndexPageFactory(PageFactory):
    class Meta:
        model = ServiceIndexPage

    title = "Services et ressources"
    slug = "services"
    intro = "Tous les services en ligne."
    show_in_menus = True


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Nouvelles"
    slug = "nouvelles"


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Nouvelle {n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    summary = factory.LazyAttribute(lambda page: f"Résumé de {page.title}.")
    body = "<p>Le texte de la nouvelle.</p>"


def translate(page: Page, code: str = "en", *, publish: bool = True, **fields: Any) -> Page:
    """The page's translation as an editor makes it: copied into `code`, retitled, published."""
    translation = page.specific.copy_for_translation(locale(code))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    revision = translation.save_revision()
    if publish:
        revision.publish()
    translation.refresh_from_db()
    return translation.specific


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.LazyAttribute(lambda category: slugify(category.name))
    locale = factory.LazyFunction(lambda: locale("fr"))
    sort_order = factory.Sequence(lambda n: n)


class ServiceEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceEntry

    title = factory.Sequence(lambda n: f"Service {n}")
    category = factory.SubFactory(ServiceCategoryFactory)
    locale = factory.LazyAttribute(lambda entry: entry.category.locale)
    kind = ServiceEntry.Kind.ONLINE_SERVICE
    summary = factory.LazyAttribute(lambda entry: f"Faites votre démarche : {entry.title}.")
    keywords = ""
    url = factory.Sequence(lambda n: f"https://services.ville-test.example/{n}")
