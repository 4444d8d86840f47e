"""News: the index lists the newest first, ten to a page; a news item shows its date."""

import datetime

import pytest
from django.test import Client
from django.utils import dateformat, translation
from wagtail.models import PageViewRestriction

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import NEWS_PER_PAGE, HomePage, NewsIndexPage, NewsPage
from agora.pages.tests.factories import NewsIndexPageFactory, NewsPageFactory, translate

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2026, 9, 1)


@pytest.fixture
def news_index(home: HomePage) -> NewsIndexPage:
    return NewsIndexPageFactory.create(parent=home)


def listed(response: ClientResponse) -> list[str]:
    return [item.text for item in find_all(response.content, "*", class_="news-item__title")]


def publish_news(news_index: NewsIndexPage, number: int) -> list[NewsPage]:
    return [
        NewsPageFactory.create(
            parent=news_index, title=f"Nouvelle {day:02d}", date=FIRST_DAY + datetime.timedelta(day)
        )
        for day in range(number)
    ]


def test_the_news_index_lists_the_newest_first_ten_to_a_page(
    client: Client, news_index: NewsIndexPage
) -> None:
    publish_news(news_index, 12)

    first = client.get(news_index.url)
    second = client.get(news_index.url, {"page": 2})

    assert NEWS_PER_PAGE == 10
    assert listed(first) == [f"Nouvelle {day:02d}" for day in range(11, 1, -1)]
    assert listed(second) == ["Nouvelle 01", "Nouvelle 00"]
    assert "page=2" in find(first.content, "a", rel="next")["href"]
    assert "page=1" in find(second.content, "a", rel="prev")["href"]


def test_news_of_the_same_day_list_the_last_published_first(
    client: Client, news_index: NewsIndexPage
) -> None:
    NewsPageFactory.create(parent=news_index, title="Le matin", date=FIRST_DAY)
    NewsPageFactory.create(parent=news_index, title="L'après-midi", date=FIRST_DAY)

    assert listed(client.get(news_index.url)) == ["L'après-midi", "Le matin"]


def test_a_page_number_past_the_end_shows_the_last_page(
    client: Client, news_index: NewsIndexPage
) -> None:
    publish_news(news_index, 12)

    response = client.get(news_index.url, {"page": 99})

    assert response.status_code == 200
    assert listed(response) == ["Nouvelle 01", "Nouvelle 00"]


def test_a_page_number_that_is_not_a_number_shows_the_first_page(
    client: Client, news_index: NewsIndexPage
) -> None:
    publish_news(news_index, 12)

    assert listed(client.get(news_index.url, {"page": "deux"}))[0] == "Nouvelle 11"


def test_drafts_and_restricted_news_are_not_listed(
    client: Client, news_index: NewsIndexPage
) -> None:
    NewsPageFactory.create(parent=news_index, title="Publiée")
    NewsPageFactory.create(parent=news_index, title="Brouillon", publish=False)
    restricted = NewsPageFactory.create(parent=news_index, title="Pour le conseil")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert listed(client.get(news_index.url)) == ["Publiée"]


def test_an_empty_news_index_says_so(client: Client, news_index: NewsIndexPage) -> None:
    response = client.get(news_index.url)

    assert find(response.content, "p", class_="empty-state").text == translation.gettext(
        "Aucune nouvelle pour le moment."
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_news_item_shows_its_date_in_the_visitor_language(
    client: Client, news_index: NewsIndexPage, language: str
) -> None:
    item = NewsPageFactory.create(
        parent=news_index, title="Collecte des feuilles", date=datetime.date(2026, 10, 3)
    )
    if language == "en":
        translate(news_index, "en", title="News", slug="news")
        item = translate(item, "en", title="Leaf collection", slug="leaf-collection")

    response = client.get(item.url)

    assert response.status_code == 200
    time = find(find(response.content, "article"), "time")
    assert time["datetime"] == "2026-10-03"
    with translation.override(language):
        assert time.text == dateformat.format(item.date, "j F Y")
    assert time.text == {"fr": "3 octobre 2026", "en": "3 October 2026"}[language]


def test_a_news_item_shows_its_summary_and_links_back_to_all_news(
    client: Client, news_index: NewsIndexPage
) -> None:
    item = NewsPageFactory.create(parent=news_index, summary="Trois collectes en octobre.")

    response = client.get(item.url)

    assert find(response.content, "p", class_="lead").text == "Trois collectes en octobre."
    assert find_all(response.content, "a", href=news_index.url)
    assert find(response.content, "meta", name="description")["content"] == (
        "Trois collectes en octobre."
    )


def test_the_news_index_shows_each_item_date(client: Client, news_index: NewsIndexPage) -> None:
    NewsPageFactory.create(parent=news_index, date=datetime.date(2026, 11, 15))

    time = find(client.get(news_index.url).content, "time")

    assert (time["datetime"], time.text) == ("2026-11-15", "15 novembre 2026")
