"""The home page: a welcome, the sections of the portal, the most requested services and the
latest news, all in the visitor's language."""

import datetime

import pytest
from django.test import Client
from django.utils import translation

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage
from agora.pages.tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    ServiceCategoryFactory,
    ServiceEntryFactory,
    StandardPageFactory,
    locale,
    translate,
)

pytestmark = pytest.mark.django_db


def tiles(response: ClientResponse) -> list[str]:
    return [tile.text for tile in find_all(response.content, "span", class_="tile__title")]


def cards(response: ClientResponse) -> list[str]:
    return [card.text for card in find_all(response.content, "*", class_="card__title")]


def news(response: ClientResponse) -> list[str]:
    return [item.text for item in find_all(response.content, "*", class_="news-item__title")]


def test_the_home_page_welcomes_in_french_under_fr(client: Client, home: HomePage) -> None:
    response = client.get("/fr/")

    assert response.status_code == 200
    assert find(response.content, "html")["lang"] == "fr-CA"
    assert find(response.content, "h1").text == home.title
    assert find(response.content, "p", class_="lead").text == home.intro


def test_the_home_page_welcomes_in_english_under_en(client: Client, english_home: HomePage) -> None:
    response = client.get("/en/")

    assert response.status_code == 200
    assert find(response.content, "html")["lang"] == "en-CA"
    assert find(response.content, "h1").text == "Welcome"


def test_the_home_page_shows_the_sections_in_menus_as_tiles(client: Client, home: HomePage) -> None:
    StandardPageFactory.create(
        parent=home, title="Participer", show_in_menus=True, search_description="Donnez votre avis."
    )
    StandardPageFactory.create(parent=home, title="Plan du site", show_in_menus=False)

    response = client.get(home.url)

    assert tiles(response) == ["Participer"]
    assert find(response.content, "span", class_="tile__text").text == "Donnez votre avis."


def test_the_home_page_shows_at_most_six_featured_services_of_its_language(
    client: Client, home: HomePage
) -> None:
    permits = ServiceCategoryFactory.create(name="Permis", sort_order=1)
    leisure = ServiceCategoryFactory.create(name="Loisirs", sort_order=2)
    for number in range(4):
        ServiceEntryFactory.create(category=leisure, title=f"Loisir {number}", featured=True)
        ServiceEntryFactory.create(category=permits, title=f"Permis {number}", featured=True)
    ServiceEntryFactory.create(category=permits, title="Pas en vedette", featured=False)
    english = ServiceCategoryFactory.create(
        locale=locale("en"), translation_key=permits.translation_key
    )
    ServiceEntryFactory.create(category=english, title="Featured in English", featured=True)

    assert cards(client.get(home.url)) == [
        "Permis 0",
        "Permis 1",
        "Permis 2",
        "Permis 3",
        "Loisir 0",
        "Loisir 1",
    ]


def test_the_home_page_shows_the_three_latest_news_and_links_to_all_news(
    client: Client, home: HomePage
) -> None:
    news_index = NewsIndexPageFactory.create(parent=home)
    for day in range(1, 5):
        NewsPageFactory.create(
            parent=news_index, title=f"Jour {day}", date=datetime.date(2026, 5, day)
        )

    response = client.get(home.url)

    assert news(response) == ["Jour 4", "Jour 3", "Jour 2"]
    link = find(response.content, "a", href=news_index.url)
    assert link.text == translation.gettext("Toutes les nouvelles")


def test_the_english_home_page_shows_only_english_news(
    client: Client, home: HomePage, english_home: HomePage
) -> None:
    news_index = NewsIndexPageFactory.create(parent=home)
    item = NewsPageFactory.create(parent=news_index, title="Collecte des feuilles")
    translate(news_index, "en", title="News", slug="news")
    translate(item, "en", title="Leaf collection", slug="leaf-collection")
    NewsPageFactory.create(parent=news_index, title="Seulement en français")

    assert news(client.get(english_home.url)) == ["Leaf collection"]


def test_a_home_page_without_news_says_so(client: Client, home: HomePage) -> None:
    response = client.get(home.url)

    assert news(response) == []
    assert find(response.content, "p", class_="empty-state").text == translation.gettext(
        "Aucune nouvelle pour le moment."
    )
