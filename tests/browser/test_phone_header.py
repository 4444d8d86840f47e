"""The header on a 360 x 740 phone leaves the screen to the content: the page's heading starts
within the first 100 px, the Menu opens from the keyboard without JavaScript and shows the
sections, "Connexion" leads to the login page and back, nothing scrolls sideways, and the
pages pass axe with the menu closed and open."""

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from agora.accounts.demo import DEMO_RESIDENT_EMAIL, DEMO_TEAM_PASSWORD
from agora.accounts.tests.support import url
from tests.browser.support import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
FIRST_HEADING_WITHIN_PX = 100
PAGES = [
    pytest.param("/fr/", id="home"),
    pytest.param("/fr/projets/parc-riverain/", id="project"),
    pytest.param("/en/projects/riverside-park/", id="project-in-english"),
]
PROJECT = "/fr/projets/parc-riverain/"
# How far the keyboard may have to go from the top of the page to reach the Menu.
HEADER_TAB_STOPS = 6


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=PHONE).new_page()


def sideways_overflow(page: Page) -> int:
    """How many pixels the page would scroll sideways (0 when it fits)."""
    overflow: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def menu_of(page: Page) -> Locator:
    return page.get_by_role("navigation", name=re.compile("^(Menu principal|Main menu)$"))


def outline_of_focused(page: Page) -> str:
    style: str = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    return style


@pytest.mark.parametrize("path", PAGES)
def test_the_heading_starts_on_the_first_screen_and_nothing_scrolls_sideways(
    phone: Page, path: str
) -> None:
    phone.goto(path)

    heading = phone.locator("main h1").bounding_box()
    assert heading is not None
    assert heading["y"] <= FIRST_HEADING_WITHIN_PX, f"the heading starts at {heading['y']} px"
    assert sideways_overflow(phone) == 0
    assert_accessible(phone)

    phone.locator("summary.site-menu__toggle").click()
    expect(menu_of(phone)).to_be_visible()
    assert sideways_overflow(phone) == 0
    assert_accessible(phone)


def test_the_header_offers_menu_search_language_and_login_on_one_screen(phone: Page) -> None:
    phone.goto("/fr/")
    header = phone.locator("header.site-header")

    for control in (
        header.get_by_role("link", name="Ville de Démo"),
        header.get_by_role("link", name="English"),
        header.locator("summary", has_text="Menu"),
        header.get_by_role("link", name="Rechercher"),
        header.get_by_role("link", name="Connexion"),
    ):
        expect(control).to_be_in_viewport()
    expect(menu_of(phone)).to_be_hidden()


def test_the_menu_opens_with_the_keyboard_without_javascript(
    new_context: Callable[..., BrowserContext], check_accessible_at: Callable[[str], None]
) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(PROJECT)
    toggle = page.locator("summary.site-menu__toggle")
    menu = menu_of(page)

    for _stop in range(HEADER_TAB_STOPS):
        page.keyboard.press("Tab")
        assert outline_of_focused(page) != "none", "a focused control shows no outline"
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    expect(toggle).to_be_focused()
    expect(menu).to_be_hidden()

    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Services et ressources")).to_be_visible()
    # The project belongs to "Participer": the menu says so.
    expect(menu.get_by_role("link", name="Participer")).to_have_attribute("aria-current", "page")

    page.keyboard.press("Space")
    expect(menu).to_be_hidden()
    page.keyboard.press("Space")
    expect(menu).to_be_visible()

    page.keyboard.press("Tab")
    first_section = menu.get_by_role("link").first
    expect(first_section).to_be_focused()
    assert outline_of_focused(page) != "none"
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(re.escape(PROJECT) + "$"))
    expect(page.locator("main h1")).to_be_visible()
    # axe needs JavaScript: the page is checked in a context that has it.
    check_accessible_at(PROJECT)


def test_connexion_leads_to_the_login_page_and_back(phone: Page) -> None:
    phone.goto(PROJECT)

    phone.locator("header.site-header").get_by_role("link", name="Connexion").click()

    back_here = urlencode({"next": PROJECT})
    expect(phone).to_have_url(re.compile(re.escape(f"{url('account_login')}?{back_here}") + "$"))
    expect(
        phone.locator("header.site-header").get_by_role("link", name="Connexion")
    ).to_have_attribute("aria-current", "page")
    heading = phone.locator("main h1").bounding_box()
    assert heading is not None
    assert heading["y"] <= FIRST_HEADING_WITHIN_PX
    assert sideways_overflow(phone) == 0
    assert_accessible(phone)

    form = phone.locator("main form.form")
    form.locator("input[name='login']").fill(DEMO_RESIDENT_EMAIL)
    form.locator("input[name='password']").fill(DEMO_TEAM_PASSWORD)
    form.locator("button[type='submit']").click()

    expect(phone).to_have_url(re.compile(re.escape(PROJECT) + "$"))
    account = phone.locator("header.site-header").get_by_role("link", name="Mon compte")
    expect(account).to_be_in_viewport()
    account.click()
    expect(phone).to_have_url(re.compile(re.escape(url("account_home")) + "$"))
    assert sideways_overflow(phone) == 0
    assert_accessible(phone)


@pytest.mark.parametrize(("locale", "language"), [("fr-CA", "fr"), ("en-CA", "en")])
def test_the_usual_login_address_leads_to_the_login_page_in_the_browsers_language(
    new_context: Callable[..., BrowserContext], locale: str, language: str
) -> None:
    page = new_context(viewport=PHONE, locale=locale).new_page()

    page.goto("/accounts/login/")

    expect(page).to_have_url(re.compile(re.escape(url("account_login", language)) + "$"))
    expect(page.locator("main form.form input[name='login']")).to_be_visible()
