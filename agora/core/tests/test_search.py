"""Site search: residents find published pages and catalogue entries in their own language."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.core.views import SEARCH_QUERY_MAX_LENGTH, SEARCH_RESULTS_PER_PAGE
from agora.pages.models import HomePage, ServiceEntry, StandardPage
from agora.pages.tests.factories import (
    ServiceCategoryFactory,
    ServiceEntryFactory,
    StandardPageFactory,
    locale,
    translate,
)
from agora.participation.models import ProjectPage

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def search_url(language: str) -> str:
    with translation.override(language):
        return reverse("search")


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def titles(response: ClientResponse) -> list[str]:
    return [hit.title for hit in response.context["results"]]


@pytest.fixture
def pool(home: HomePage) -> StandardPage:
    page = StandardPageFactory.create(
        parent=home, title="Piscine municipale", summary="Horaire des bains libres."
    )
    translate(page, "en", title="Municipal pool", slug="municipal-pool", summary="Swim times.")
    return page


@pytest.fixture
def dog_licence(home: HomePage) -> ServiceEntry:
    category = ServiceCategoryFactory.create(name="Permis", slug="permis", locale=locale("fr"))
    french = ServiceEntryFactory.create(
        title="Licence pour chien", keywords="animal, médaille", category=category
    )
    english_category = ServiceCategoryFactory.create(
        name="Permits",
        slug="permits",
        locale=locale("en"),
        translation_key=category.translation_key,
    )
    ServiceEntryFactory.create(
        title="Dog licence",
        keywords="animal, tag",
        category=english_category,
        translation_key=french.translation_key,
    )
    return french


def test_search_finds_a_published_page_in_french(client: Client, pool: StandardPage) -> None:
    response = client.get(search_url("fr"), {"q": "piscine"})

    assert response.status_code == 200
    assert titles(response) == ["Piscine municipale"]
    result = find(response.content, "h2", class_="result__title")
    assert result.text == "Piscine municipale"
    assert find_all(response.content, "a", href=pool.url)


def test_search_finds_the_english_translation_in_english(
    client: Client, pool: StandardPage
) -> None:
    response = client.get(search_url("en"), {"q": "pool"})

    assert response.status_code == 200
    assert titles(response) == ["Municipal pool"]
    assert find(response.content, "html")["lang"] == "en-CA"


def test_a_french_query_never_returns_english_content(
    client: Client, pool: StandardPage, dog_licence: ServiceEntry
) -> None:
    response = client.get(search_url("fr"), {"q": "pool"})

    assert titles(response) == []
    assert client.get(search_url("fr"), {"q": "dog"}).context["total"] == 0
    assert client.get(search_url("fr"), {"q": "animal"}).context["results"][0].title == (
        "Licence pour chien"
    )


def test_an_english_query_never_returns_french_content(
    client: Client, pool: StandardPage, dog_licence: ServiceEntry
) -> None:
    assert titles(client.get(search_url("en"), {"q": "piscine"})) == []
    assert titles(client.get(search_url("en"), {"q": "animal"})) == ["Dog licence"]


def test_search_finds_catalogue_entries_by_keyword(
    client: Client, dog_licence: ServiceEntry
) -> None:
    response = client.get(search_url("fr"), {"q": "médaille"})

    assert titles(response) == ["Licence pour chien"]
    hit = response.context["results"][0]
    assert hit.url == dog_licence.url
    assert str(hit.kind) == str(dog_licence.get_kind_display())


def test_an_empty_search_shows_guidance_instead_of_results(
    client: Client, pool: StandardPage
) -> None:
    response = client.get(search_url("fr"), {"q": "   "})

    assert response.status_code == 200
    assert response.context["total"] == 0
    assert not find_all(response.content, "ol", class_="result-list")
    guidance = in_language("fr", "Tapez un mot ou deux : un service, une nouvelle, un sujet.")
    assert escape(guidance) in response.content.decode()


def test_a_search_without_results_says_so(client: Client, pool: StandardPage) -> None:
    response = client.get(search_url("fr"), {"q": "astronaute"})

    assert response.status_code == 200
    assert find_all(response.content, "div", class_="empty-state")


def test_a_query_longer_than_200_characters_answers_400_with_the_message(
    client: Client, pool: StandardPage
) -> None:
    response = client.get(search_url("fr"), {"q": "p" * (SEARCH_QUERY_MAX_LENGTH + 1)})

    assert response.status_code == 400
    message = find(response.content, "p", id="search-error")
    assert message.text == in_language(
        "fr", "Votre recherche est trop longue : %(max)d caractères au plus."
    ) % {"max": 200}
    assert message["role"] == "alert"
    assert find(response.content, "input", id="search-q")["aria-invalid"] == "true"


def test_the_too_long_message_is_in_english_on_the_english_search(
    client: Client, home: HomePage
) -> None:
    response = client.get(search_url("en"), {"q": "p" * 201})

    assert response.status_code == 400
    assert find(response.content, "p", id="search-error").text == in_language(
        "en", "Votre recherche est trop longue : %(max)d caractères au plus."
    ) % {"max": 200}


def test_a_query_of_exactly_200_characters_is_accepted(client: Client, pool: StandardPage) -> None:
    assert client.get(search_url("fr"), {"q": "p" * 200}).status_code == 200


def test_results_come_20_to_a_page(client: Client, home: HomePage) -> None:
    for number in range(SEARCH_RESULTS_PER_PAGE + 5):
        StandardPageFactory.create(parent=home, title=f"Déneigement secteur {number}")

    first = client.get(search_url("fr"), {"q": "déneigement"})
    second = client.get(search_url("fr"), {"q": "déneigement", "page": "2"})

    assert first.context["total"] == 25
    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert not set(titles(first)) & set(titles(second))
    next_link = find(first.content, "a", rel="next")
    assert "page=2" in next_link["href"]
    assert "q=d%C3%A9neigement" in next_link["href"]


def test_an_unpublished_page_is_not_found(client: Client, home: HomePage) -> None:
    StandardPageFactory.create(parent=home, title="Piscine secrète", publish=False)

    assert titles(client.get(search_url("fr"), {"q": "piscine"})) == []


def test_a_page_restricted_to_some_visitors_is_not_found(
    client: Client, pool: StandardPage
) -> None:
    PageViewRestriction.objects.create(
        page=pool, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert titles(client.get(search_url("fr"), {"q": "piscine"})) == []


def test_publishing_updates_the_search_index_at_once(client: Client, home: HomePage) -> None:
    """Index updates are tasks; the test settings run tasks immediately, as a worker would."""
    page = StandardPageFactory.create(parent=home, title="Brouillon", publish=False)
    assert titles(client.get(search_url("fr"), {"q": "aréna"})) == []

    page.title = "Aréna municipal"
    page.save_revision().publish()

    assert titles(client.get(search_url("fr"), {"q": "aréna"})) == ["Aréna municipal"]


def test_each_result_says_what_it_is_in_residents_words(
    client: Client, pool: StandardPage, project: ProjectPage, dog_licence: ServiceEntry
) -> None:
    kinds = {
        find(result, "h2").text: find(result, "p", class_="result__kind").text
        for result in find_all(
            client.get(search_url("fr"), {"q": "piscine"}).content, "li", class_="result"
        )
        + find_all(client.get(search_url("fr"), {"q": "riverain"}).content, "li", class_="result")
        + find_all(client.get(search_url("fr"), {"q": "chien"}).content, "li", class_="result")
    }

    assert kinds == {
        "Piscine municipale": "Page",
        "Parc riverain": "Projet",
        "Licence pour chien": "Service en ligne",
    }


def test_the_empty_state_suggests_other_words(client: Client, pool: StandardPage) -> None:
    response = client.get(search_url("fr"), {"q": "astronaute"})

    assert response.context["total"] == 0
    empty = find(response.content, "div", class_="empty-state")
    assert "Essayez un autre mot" in empty.text
    assert find(response.content, "p", class_="search-count")["role"] == "status"


def test_a_search_costs_the_same_few_queries_however_many_results(
    client: Client, home: HomePage, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        StandardPageFactory.create(parent=home, title=f"Alerte de quartier {number}")

    with django_assert_max_num_queries(25):
        response = client.get(search_url("fr"), {"q": "alertes"})

    assert response.context["total"] == 30


@pytest.mark.parametrize(
    "query",
    ['"', '""', "'", "\x00", "piscine\x00", "%", "_", "\\", "(", ")", "*", "&|!", "a:b", "<>"],
    ids=repr,
)
def test_any_text_gets_a_results_page(client: Client, pool: StandardPage, query: str) -> None:
    response = client.get(search_url("fr"), {"q": query, "page": query})

    assert response.status_code == 200
    assert find(response.content, "h1")


def test_a_quoted_word_still_finds_the_page(client: Client, pool: StandardPage) -> None:
    response = client.get(search_url("fr"), {"q": '"piscine'})

    assert titles(response) == [pool.title]
