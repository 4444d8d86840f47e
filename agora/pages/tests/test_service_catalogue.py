"""The catalogue "Services et ressources": every online service and practical resource of the
city, by category, filterable and searchable, in the visitor's language."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage, ServiceCategory, ServiceEntry, ServiceIndexPage
from agora.pages.tests.factories import (
    ServiceCategoryFactory,
    ServiceEntryFactory,
    ServiceIndexPageFactory,
    StandardPageFactory,
    locale,
    translate,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

# Measured at 27 with an empty cache (site, page, branding created on first visit,
# categories, entries with their category and page, menu and its modules' items: the
# requests' and the alerts'); it must not grow with entries.
QUERY_BOUND = 27


@pytest.fixture
def catalogue(home: HomePage) -> ServiceIndexPage:
    return ServiceIndexPageFactory.create(parent=home)


@pytest.fixture
def permits() -> ServiceCategory:
    return ServiceCategoryFactory.create(name="Permis et licences", slug="permis", sort_order=1)


@pytest.fixture
def environment() -> ServiceCategory:
    return ServiceCategoryFactory.create(name="Environnement", slug="environnement", sort_order=2)


@pytest.fixture
def entries(permits: ServiceCategory, environment: ServiceCategory) -> list[ServiceEntry]:
    return [
        ServiceEntryFactory.create(title="Permis de rénovation", category=permits),
        ServiceEntryFactory.create(title="Licence pour chien", category=permits, keywords="animal"),
        ServiceEntryFactory.create(title="Calendrier des collectes", category=environment),
        ServiceEntryFactory.create(
            title="Écocentre", category=environment, summary="Peinture et électronique."
        ),
    ]


def card_titles(response: ClientResponse) -> list[str]:
    return [heading.text for heading in find_all(response.content, "*", class_="card__title")]


def message(text: str) -> str:
    return escape(translation.gettext(text))


def test_the_catalogue_lists_entries_grouped_by_category_in_order(
    client: Client, catalogue: ServiceIndexPage, entries: list[ServiceEntry]
) -> None:
    response = client.get(catalogue.url)

    assert response.status_code == 200
    headings = [
        heading.text
        for heading in find_all(response.content, "h2")
        if heading.attrs.get("id", "").startswith("categorie-")
    ]
    assert headings == ["Permis et licences", "Environnement"]
    assert card_titles(response) == [
        "Licence pour chien",
        "Permis de rénovation",
        "Calendrier des collectes",
        "Écocentre",
    ]
    assert find(response.content, "section", aria_labelledby="categorie-permis")


def test_a_category_filter_shows_only_its_entries(
    client: Client, catalogue: ServiceIndexPage, entries: list[ServiceEntry]
) -> None:
    response = client.get(catalogue.url, {"categorie": "environnement"})

    assert card_titles(response) == ["Calendrier des collectes", "Écocentre"]
    current = [link.text for link in find_all(response.content, "a", aria_current="page")]
    assert "Environnement" in current
    assert translation.gettext("Toutes les catégories") not in current
    assert response.context["total"] == 2


def test_an_unknown_category_shows_every_entry(
    client: Client, catalogue: ServiceIndexPage, entries: list[ServiceEntry]
) -> None:
    response = client.get(catalogue.url, {"categorie": "n-existe-pas"})

    assert response.status_code == 200
    assert response.context["selected_category"] is None
    assert len(card_titles(response)) == 4


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("rénovation", "Permis de rénovation"),  # title
        ("animal", "Licence pour chien"),  # keywords
        ("électronique", "Écocentre"),  # summary
    ],
)
def test_a_search_finds_entries_by_title_keywords_or_summary(
    client: Client, catalogue: ServiceIndexPage, entries: list[ServiceEntry], query: str, found: str
) -> None:
    response = client.get(catalogue.url, {"q": query})

    assert card_titles(response) == [found]
    assert response.context["grouped"] is False


def test_a_search_within_a_category_keeps_to_it(
    client: Client, catalogue: ServiceIndexPage, entries: list[ServiceEntry]
) -> None:
    response = client.get(catalogue.url, {"q": "licence", "categorie": "environnement"})

    assert response.status_code == 200
    assert card_titles(response) == []


def test_a_search_without_match_says_so(
    client: Client, catalogue: ServiceIndexPage, entries: list[ServiceEntry]
) -> None:
    response = client.get(catalogue.url, {"q": "astronaute"})

    assert card_titles(response) == []
    empty = find(response.content, "div", class_="empty-state")
    assert empty.text == translation.gettext(
        "Aucun service ne correspond à votre recherche. Essayez un autre mot ou une autre catégorie."
    )


def test_an_empty_catalogue_says_so(client: Client, catalogue: ServiceIndexPage) -> None:
    response = client.get(catalogue.url)

    assert response.status_code == 200
    assert message("Aucun service dans cette catégorie pour le moment.") in (
        response.content.decode()
    )


def test_the_english_catalogue_lists_only_english_entries(
    client: Client,
    catalogue: ServiceIndexPage,
    permits: ServiceCategory,
    entries: list[ServiceEntry],
) -> None:
    english_catalogue = translate(catalogue, "en", title="Services and resources")
    english_permits = ServiceCategoryFactory.create(
        name="Permits", slug="permits", locale=locale("en"), translation_key=permits.translation_key
    )
    ServiceEntryFactory.create(title="Dog licence", category=english_permits)

    english = client.get(english_catalogue.url)
    french = client.get(catalogue.url)

    assert card_titles(english) == ["Dog licence"]
    assert "Dog licence" not in card_titles(french)


def test_an_entry_linking_to_a_site_page_links_to_its_url(
    client: Client, home: HomePage, catalogue: ServiceIndexPage, permits: ServiceCategory
) -> None:
    page = StandardPageFactory.create(parent=home, title="Permis de piscine")
    ServiceEntryFactory.create(title="Piscine", category=permits, url="", page=page)

    response = client.get(catalogue.url)

    link = find(response.content, "*", class_="card__title")
    assert find(response.content, "a", href=page.url).text == link.text == "Piscine"


@pytest.mark.parametrize("number_of_entries", [5, 60])
def test_the_catalogue_needs_a_bounded_number_of_queries(
    client: Client,
    home: HomePage,
    catalogue: ServiceIndexPage,
    permits: ServiceCategory,
    environment: ServiceCategory,
    number_of_entries: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    linked_page = StandardPageFactory.create(parent=home, title="Page liée")
    for number in range(number_of_entries):
        linked = number % 5 == 0
        ServiceEntryFactory.create(
            category=permits if number % 2 else environment,
            url="" if linked else f"https://services.example/{number}",
            page=linked_page if linked else None,
        )

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(catalogue.url)

    assert response.status_code == 200
    assert len(card_titles(response)) == min(number_of_entries, 30)


@pytest.mark.parametrize("number_of_entries", [5, 60])
def test_a_catalogue_search_needs_a_bounded_number_of_queries(
    client: Client,
    catalogue: ServiceIndexPage,
    permits: ServiceCategory,
    number_of_entries: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(number_of_entries):
        ServiceEntryFactory.create(category=permits, title=f"Service de collecte {number}")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(catalogue.url, {"q": "collecte"})

    assert response.context["total"] == number_of_entries
