"""The language switch takes a visitor to the same content in the other language: a page's
translation (whose address differs), the same view, or the other home page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage, StandardPage
from agora.pages.tests.factories import StandardPageFactory, translate

pytestmark = pytest.mark.django_db


def switch_links(response: ClientResponse) -> dict[str, str]:
    nav = find(response.content, "nav", class_="language-switch")
    return {link["hreflang"]: link["href"] for link in find_all(nav, "a")}


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def take_part(home: HomePage) -> StandardPage:
    return StandardPageFactory.create(parent=home, title="Participer", show_in_menus=True)


def test_a_french_page_links_to_its_english_translation(
    client: Client, take_part: StandardPage
) -> None:
    english = translate(take_part, "en", title="Take part", slug="take-part")

    response = client.get(take_part.url)

    assert switch_links(response) == {"en": english.url}
    assert english.url == "/en/take-part/"


def test_an_english_page_links_to_its_french_original(
    client: Client, take_part: StandardPage
) -> None:
    english = translate(take_part, "en", title="Take part", slug="take-part")

    assert switch_links(client.get(english.url)) == {"fr": "/fr/participer/"}


def test_a_page_not_yet_translated_links_to_the_english_home_page(
    client: Client, take_part: StandardPage
) -> None:
    assert switch_links(client.get(take_part.url)) == {"en": "/en/"}


def test_a_translation_still_in_draft_is_not_offered(
    client: Client, take_part: StandardPage
) -> None:
    translate(take_part, "en", title="Take part", slug="take-part", publish=False)

    assert switch_links(client.get(take_part.url)) == {"en": "/en/"}


def test_the_home_page_links_to_the_other_home_page(
    client: Client, home: HomePage, english_home: HomePage
) -> None:
    assert switch_links(client.get(home.url)) == {"en": english_home.url}
    assert switch_links(client.get(english_home.url)) == {"fr": home.url}


def test_the_search_links_to_the_english_search_with_the_same_query(
    client: Client, home: HomePage
) -> None:
    response = client.get(url_in("fr", "search"), {"q": "permis"})

    assert switch_links(response) == {"en": url_in("en", "search") + "?q=permis"}


def test_the_offline_page_links_to_the_english_offline_page(client: Client, home: HomePage) -> None:
    assert switch_links(client.get(url_in("fr", "offline"))) == {"en": url_in("en", "offline")}


def test_the_link_names_the_language_in_that_language(
    client: Client, take_part: StandardPage
) -> None:
    link = find(client.get(take_part.url).content, "a", hreflang="en")

    assert link.text == "English"
    assert link["lang"] == "en"
    french_link = find(client.get("/en/").content, "a", hreflang="fr")
    assert french_link.text == "Français"
    assert french_link["lang"] == "fr"
