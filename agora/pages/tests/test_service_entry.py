"""A catalogue entry points to exactly one place (an online service or a page of the site)
and sits in a category of its own language; staff learn why when they get it wrong."""

from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from agora.pages.models import HomePage, ServiceCategory, ServiceEntry
from agora.pages.tests.factories import (
    ServiceCategoryFactory,
    ServiceEntryFactory,
    StandardPageFactory,
    locale,
)

pytestmark = pytest.mark.django_db

ONE_OR_THE_OTHER = (
    "Donnez soit un lien vers le service en ligne, soit une page du site (un seul des deux)."
)
SAME_LANGUAGE = "La catégorie doit être dans la même langue que le service."


@pytest.fixture
def category(locales: dict[str, Locale]) -> ServiceCategory:
    return ServiceCategoryFactory.create(name="Permis", slug="permis", locale=locales["fr"])


def unsaved_entry(category: ServiceCategory, **fields: Any) -> ServiceEntry:
    return ServiceEntryFactory.build(category=category, **fields)


def errors_of(entry: ServiceEntry) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        entry.full_clean()
    return raised.value.message_dict


def test_an_entry_with_an_online_service_link_is_valid(category: ServiceCategory) -> None:
    entry = unsaved_entry(category, url="https://permis.example/renovation", page=None)

    entry.full_clean()


def test_an_entry_with_a_page_of_the_site_is_valid(
    category: ServiceCategory, home: HomePage
) -> None:
    entry = unsaved_entry(category, url="", page=StandardPageFactory.create(parent=home))

    entry.full_clean()


def test_an_entry_with_both_a_link_and_a_page_is_refused(
    category: ServiceCategory, home: HomePage
) -> None:
    entry = unsaved_entry(
        category,
        url="https://permis.example/renovation",
        page=StandardPageFactory.create(parent=home),
    )

    assert errors_of(entry) == {NON_FIELD_ERRORS: [ONE_OR_THE_OTHER]}
    assert ServiceEntry.objects.count() == 0


def test_an_entry_with_neither_a_link_nor_a_page_is_refused(category: ServiceCategory) -> None:
    entry = unsaved_entry(category, url="", page=None)

    assert errors_of(entry) == {NON_FIELD_ERRORS: [ONE_OR_THE_OTHER]}
    assert ServiceEntry.objects.count() == 0


def test_an_entry_in_a_category_of_another_language_is_refused(
    category: ServiceCategory, locales: dict[str, Locale]
) -> None:
    entry = unsaved_entry(category, locale=locales["en"])

    assert errors_of(entry) == {"category": [SAME_LANGUAGE]}
    assert ServiceEntry.objects.count() == 0


def test_staff_see_the_message_and_nothing_is_saved_when_both_are_given(
    admin_client: Client, category: ServiceCategory, home: HomePage
) -> None:
    page = StandardPageFactory.create(parent=home)
    url = reverse("wagtailsnippets_pages_serviceentry:add") + "?locale=fr"

    response = admin_client.post(
        url,
        {
            "title": "Permis de rénovation",
            "category": category.pk,
            "kind": "service",
            "summary": "Demandez un permis.",
            "keywords": "",
            "url": "https://permis.example/renovation",
            "page": page.pk,
        },
    )

    assert response.status_code == 200
    assert ONE_OR_THE_OTHER in response.content.decode().replace("&#x27;", "'")
    assert ServiceEntry.objects.count() == 0


def test_staff_see_the_message_and_nothing_is_saved_for_a_category_of_another_language(
    admin_client: Client, category: ServiceCategory, locales: dict[str, Locale]
) -> None:
    url = reverse("wagtailsnippets_pages_serviceentry:add") + "?locale=en"

    response = admin_client.post(
        url,
        {
            "title": "Renovation permit",
            "category": category.pk,
            "kind": "service",
            "summary": "Apply for a permit.",
            "url": "https://permis.example/renovation",
        },
    )

    assert response.status_code == 200
    assert ServiceEntry.objects.count() == 0
    assert response.context["form"].errors["category"] == [SAME_LANGUAGE]


def test_an_entry_links_to_its_page_or_to_the_online_service(
    category: ServiceCategory, home: HomePage
) -> None:
    page = StandardPageFactory.create(parent=home, title="Permis")
    on_the_site = ServiceEntryFactory.create(category=category, url="", page=page)
    elsewhere = ServiceEntryFactory.create(category=category, url="https://permis.example/")

    assert (on_the_site.link, on_the_site.is_external) == (page.url, False)
    assert (elsewhere.link, elsewhere.is_external) == ("https://permis.example/", True)


def test_keywords_are_read_as_a_comma_separated_list(category: ServiceCategory) -> None:
    entry = unsaved_entry(category, keywords=" permis,  rénovation , ,travaux")

    assert entry.keyword_list() == ["permis", "rénovation", "travaux"]


def test_the_same_entry_may_exist_in_each_language(
    category: ServiceCategory, locales: dict[str, Locale]
) -> None:
    french = ServiceEntryFactory.create(category=category)
    english_category = ServiceCategoryFactory.create(
        locale=locales["en"], translation_key=category.translation_key
    )
    english = ServiceEntryFactory.create(
        category=english_category, translation_key=french.translation_key
    )

    assert french.get_translation(locale("en")) == english
