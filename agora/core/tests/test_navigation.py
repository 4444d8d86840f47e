"""The main menu: the sections staff placed in menus, live and public, of the home page in the
visitor's language. It is cached, and renews as soon as staff publish."""

from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries, Settings
from wagtail.models import Page, PageViewRestriction, Site

from agora.core.cache import content_version
from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage, StandardPage
from agora.pages.tests.factories import (
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ServiceCategoryFactory,
    ServiceEntryFactory,
    StandardPageFactory,
    translate,
)

pytestmark = pytest.mark.django_db

# Measured at 19 with the menu cached: the site, the page and its view restrictions, the
# branding, the home page's sections, featured services and news. It must not grow with the
# number of sections, entries or news.
HOME_PAGE_QUERY_BOUND = 20


def menu(response: ClientResponse) -> list[tuple[str, str]]:
    nav = find(response.content, "nav", class_="main-nav")
    return [(link.text, link["href"]) for link in find_all(nav, "a")]


def section(home: HomePage, title: str, **fields: Any) -> StandardPage:
    return StandardPageFactory.create(parent=home, title=title, **fields)


def test_the_menu_lists_live_public_sections_marked_for_menus(
    client: Client, home: HomePage
) -> None:
    take_part = section(home, "Participer", show_in_menus=True)
    section(home, "Plan du site", show_in_menus=False)
    section(home, "En préparation", show_in_menus=True, publish=False)
    private = section(home, "Réservé au conseil", show_in_menus=True)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    StandardPageFactory.create(parent=take_part, title="Sous-page", show_in_menus=True)

    response = client.get(home.url)

    assert menu(response) == [("Participer", take_part.url)]


def test_the_menu_keeps_the_order_staff_gave_the_sections(client: Client, home: HomePage) -> None:
    first = section(home, "Participer", show_in_menus=True)
    second = section(home, "Requêtes", show_in_menus=True)
    second.move(first, pos="left")

    assert [title for title, _url in menu(client.get(home.url))] == ["Requêtes", "Participer"]


def test_the_english_menu_lists_the_english_sections(
    client: Client, home: HomePage, english_home: HomePage
) -> None:
    take_part = section(home, "Participer", show_in_menus=True)
    english = translate(take_part, "en", title="Take part", slug="take-part")

    assert menu(client.get(english_home.url)) == [("Take part", english.url)]
    assert menu(client.get(home.url)) == [("Participer", take_part.url)]


def test_an_untranslated_section_stays_out_of_the_english_menu(
    client: Client, home: HomePage, english_home: HomePage
) -> None:
    section(home, "Participer", show_in_menus=True)

    assert menu(client.get(english_home.url)) == []


def test_the_menu_renews_when_staff_publish_a_new_section(client: Client, home: HomePage) -> None:
    section(home, "Participer", show_in_menus=True)
    assert [title for title, _url in menu(client.get(home.url))] == ["Participer"]
    version = content_version()

    section(home, "Alertes", show_in_menus=True)

    assert content_version() > version
    assert [title for title, _url in menu(client.get(home.url))] == ["Participer", "Alertes"]


def test_the_menu_renews_when_staff_unpublish_a_section(client: Client, home: HomePage) -> None:
    alerts = section(home, "Alertes", show_in_menus=True)
    assert menu(client.get(home.url))

    alerts.unpublish()

    assert menu(client.get(home.url)) == []


def test_each_site_keeps_its_own_menu(home: HomePage, settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "loisirs.example"]
    section(home, "Participer", show_in_menus=True)
    other_home = HomePageFactory.create(parent=Page.get_first_root_node(), slug="loisirs")
    section(other_home, "Piscines", show_in_menus=True)
    Site.objects.create(hostname="loisirs.example", port=80, root_page=other_home)
    client = Client()
    for _visit in range(2):  # the second visits find both menus cached
        main = client.get("/fr/")
        other = client.get("/fr/", headers={"host": "loisirs.example"})

        assert [title for title, _url in menu(main)] == ["Participer"]
        assert [title for title, _url in menu(other)] == ["Piscines"]


def test_the_current_section_is_marked_on_its_pages(client: Client, home: HomePage) -> None:
    take_part = section(home, "Participer", show_in_menus=True)
    section(home, "Alertes", show_in_menus=True)
    below = StandardPageFactory.create(parent=take_part, title="Budget participatif")

    for url in (take_part.url, below.url):
        nav = find(client.get(url).content, "nav", class_="main-nav")
        assert [link.text for link in find_all(nav, "a", aria_current="page")] == ["Participer"]
    home_nav = find(client.get(home.url).content, "nav", class_="main-nav")
    assert not find_all(home_nav, "a", aria_current="page")


def test_the_footer_repeats_the_menu(client: Client, home: HomePage) -> None:
    take_part = section(home, "Participer", show_in_menus=True)

    footer = find(client.get(home.url).content, "footer")

    assert find(footer, "a", href=take_part.url).text == "Participer"


@pytest.mark.parametrize("number_of_sections", [1, 8])
def test_the_home_page_needs_a_bounded_number_of_queries(
    home: HomePage, number_of_sections: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(number_of_sections):
        section(home, f"Section {number}", show_in_menus=True)
    news = NewsIndexPageFactory.create(parent=home)
    for _ in range(4):
        NewsPageFactory.create(parent=news)
    category = ServiceCategoryFactory.create()
    for _ in range(number_of_sections):
        ServiceEntryFactory.create(category=category, featured=True)
    client = Client()
    client.get(home.url)  # warms the menu and the site's root paths

    with django_assert_max_num_queries(HOME_PAGE_QUERY_BOUND):
        response = client.get(home.url)

    assert len(menu(response)) == number_of_sections
