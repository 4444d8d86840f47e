"""The site search on a 360 x 740 phone, as a resident uses it: results of every kind say what
they are in residents' words, accents and plurals need not be typed right, a search that finds
nothing says what to try; and the screens where administrators edit its synonyms in /gestion/.
Every page passes `assert_accessible` (axe, and the layout at 360 and 320 px)."""

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, StorageState, expect

from agora.accounts.demo import DEMO_TEAM, DEMO_TEAM_PASSWORD
from agora.accounts.roles import Role
from tests.browser.support import (
    PHONE,
    SCREENSHOTS,
    Server,
    assert_accessible,
    log_in_to_back_office,
)

pytestmark = pytest.mark.browser

# Each test only reads pages (the administrator's login sets up their second factor once per
# server, as any login would), so the tests of this module may run on any worker.
READS_ONLY = True

ADMINISTRATOR = next(email for role, email, *_names in DEMO_TEAM if role == Role.ADMINISTRATOR)
SYNONYMS = "/gestion/synonymes-recherche/"
STAFF_LOCALE = "fr-CA"
# What a result must never be called: the names of models and page types.
NOT_RESIDENTS_WORDS = re.compile(
    r"page standard|standard ?page|service ?entry|survey ?results? ?source|idea ?box", re.I
)


def search_address(query: str, language: str = "fr") -> str:
    with translation.override(language):
        return f"{reverse('search')}?q={query}"


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=PHONE).new_page()


def keep_screenshot(page: Page, name: str) -> None:
    """For a person to look at: the whole page at 360 px (support.SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-360.png", full_page=True)


def kinds(page: Page) -> list[str]:
    return [kind.strip() for kind in page.locator("main .result__kind").all_inner_texts()]


def titles(page: Page) -> list[str]:
    return [title.strip() for title in page.locator("main .result__title").all_inner_texts()]


def test_a_search_for_parc_names_each_kind_of_result_in_residents_words(phone: Page) -> None:
    response = phone.goto(search_address("parc"))
    assert response is not None
    assert response.ok

    found = kinds(phone)
    assert {"Projet", "Idée", "Sondage", "Résultats de sondage", "Actualité"} <= set(found)
    assert not [kind for kind in found if NOT_RESIDENTS_WORDS.search(kind)]
    expect(phone.locator("main .search-count")).to_contain_text(f"{len(found)} résultats")
    keep_screenshot(phone, "search-results")
    assert_accessible(phone)


def test_an_english_search_names_its_results_in_english(phone: Page) -> None:
    phone.goto(search_address("park", "en"))

    found = kinds(phone)
    assert {"Project", "Survey"} <= set(found)
    assert not [kind for kind in found if NOT_RESIDENTS_WORDS.search(kind)]
    assert_accessible(phone)


def test_a_resident_finds_an_accented_title_typed_without_accents(phone: Page) -> None:
    phone.goto(search_address(""))
    phone.get_by_label("Que cherchez-vous?").fill("deneigement")
    phone.locator("main form[role='search'] button[type='submit']").click()

    expect(phone).to_have_url(re.compile(r"\?q=deneigement$"))
    assert "Début des opérations de déneigement" in titles(phone)
    assert_accessible(phone)


def test_a_resident_finds_a_plural_title_typed_in_the_singular(phone: Page) -> None:
    phone.goto(search_address("feuille"))

    assert "Collecte des feuilles mortes" in titles(phone)


def test_a_synonym_finds_what_the_city_calls_otherwise(phone: Page) -> None:
    phone.goto(search_address("poubelle"))

    assert "Calendrier des collectes" in titles(phone)


def test_a_search_that_finds_nothing_says_what_to_try(phone: Page) -> None:
    response = phone.goto(search_address("xylophone"))
    assert response is not None
    assert response.ok

    expect(phone.locator("main .search-count")).to_have_text("0 résultat pour « xylophone »")
    expect(phone.locator("main .empty-state")).to_contain_text("Essayez un autre mot")
    expect(phone.locator("main .result")).to_have_count(0)
    assert_accessible(phone)


@pytest.fixture(scope="session")
def administrator_state(browser: Browser, server: Server) -> StorageState:
    """The demo platform administrator's logged-in browser state, once per server. Their
    browser asks for Québec French, the city's working language."""
    context = browser.new_context(base_url=server.url, bypass_csp=True, locale=STAFF_LOCALE)
    try:
        log_in_to_back_office(context.new_page(), server, ADMINISTRATOR, DEMO_TEAM_PASSWORD)
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def administrator_phone(
    new_context: Callable[..., BrowserContext], administrator_state: StorageState
) -> Page:
    return new_context(
        viewport=PHONE, storage_state=administrator_state, locale=STAFF_LOCALE
    ).new_page()


def test_the_administrator_reads_the_synonyms_on_a_phone(administrator_phone: Page) -> None:
    response = administrator_phone.goto(SYNONYMS)
    assert response is not None
    assert response.ok

    expect(administrator_phone.locator("main")).to_contain_text("poubelle")
    keep_screenshot(administrator_phone, "search-synonyms")
    assert_accessible(administrator_phone)


def test_the_administrator_opens_a_synonym_group_and_is_told_a_group_needs_two_terms(
    administrator_phone: Page,
) -> None:
    administrator_phone.goto(SYNONYMS)
    administrator_phone.locator("main a", has_text="poubelle").first.click()
    expect(administrator_phone).to_have_url(re.compile(rf"{SYNONYMS}edit/\d+/$"))
    terms = administrator_phone.get_by_role("textbox", name=re.compile("Termes équivalents"))
    expect(terms).to_have_value(re.compile("poubelle"))
    keep_screenshot(administrator_phone, "search-synonyms-edit")
    assert_accessible(administrator_phone)

    terms.fill("poubelle")
    administrator_phone.locator("main form [type='submit']").first.click()

    expect(administrator_phone.locator("main")).to_contain_text("Donnez au moins deux termes")
    assert_accessible(administrator_phone)
