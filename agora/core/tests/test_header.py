"""The header leaves the screen to the content: the city, the language switch, a Menu that
opens without JavaScript (a native <details>), a search button, and the way to one's account
("Connexion", or "Mon compte" once signed in), in both languages."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.cache import has_vary_header
from django.utils.translation import gettext

from agora.accounts.tests.factories import ResidentFactory
from agora.core.tests.html import Element, find, find_all
from agora.pages.models import HomePage
from agora.pages.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]


def header_of(content: bytes) -> Element:
    return find(content, "header", class_="site-header")


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


def words_in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def account_link(content: bytes) -> Element:
    return find(header_of(content), "a", class_="site-bar__account")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menu_is_a_details_that_holds_the_main_navigation(
    client: Client, home: HomePage, language: str
) -> None:
    section = StandardPageFactory.create(parent=home, title="Participer", show_in_menus=True)

    header = header_of(client.get(f"/{language}/").content)

    menu = find(header, "details", class_="site-menu")
    assert "open" not in menu.attrs
    assert find(menu, "summary").text == words_in(language, "Menu")
    nav = find(menu, "nav", class_="main-nav")
    assert nav["aria-label"] == words_in(language, "Menu principal")
    if language == "fr":
        assert [(link.text, link["href"]) for link in find_all(nav, "a")] == [
            ("Participer", section.url)
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_button_leads_to_the_search_page(
    client: Client, home: HomePage, language: str
) -> None:
    search = find(header_of(client.get(f"/{language}/").content), "a", class_="site-bar__search")

    assert search["href"] == url_in(language, "search")
    assert search.text == words_in(language, "Rechercher")
    assert "aria-current" not in search.attrs


def test_the_search_button_is_marked_current_on_the_search_page(
    client: Client, home: HomePage
) -> None:
    response = client.get(url_in("fr", "search"), {"q": "permis"})

    search = find(header_of(response.content), "a", class_="site-bar__search")
    assert search["aria-current"] == "page"
    assert not find_all(header_of(response.content), "form")  # the page has its own


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_switches_language(client: Client, home: HomePage, language: str) -> None:
    other = "en" if language == "fr" else "fr"

    header = header_of(client.get(f"/{language}/").content)

    switch = find(header, "nav", class_="language-switch")
    assert [link["hreflang"] for link in find_all(switch, "a")] == [other]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_anonymous_visitor_is_offered_to_log_in_and_come_back(
    client: Client, home: HomePage, language: str
) -> None:
    link = account_link(client.get(f"/{language}/").content)

    assert link.text == words_in(language, "Connexion")
    assert link["href"] == f"{url_in(language, 'account_login')}?next=%2F{language}%2F"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signed_in_resident_is_offered_their_account(
    client: Client, home: HomePage, language: str
) -> None:
    client.force_login(ResidentFactory.create())

    link = account_link(client.get(f"/{language}/").content)

    assert link.text == words_in(language, "Mon compte")
    assert link["href"] == url_in(language, "account_home")


def test_the_login_page_marks_its_link_current_and_does_not_come_back_to_itself(
    client: Client, home: HomePage
) -> None:
    login = url_in("fr", "account_login")

    link = account_link(client.get(login).content)

    assert link["href"] == login
    assert link["aria-current"] == "page"


def test_an_anonymous_page_stays_shareable_by_the_page_cache(
    client: Client, home: HomePage
) -> None:
    """The header decides "Connexion" without opening a session: no Vary: Cookie."""
    response = client.get("/fr/")

    assert account_link(response.content).text == "Connexion"
    assert not has_vary_header(response, "Cookie")
    assert not response.cookies
