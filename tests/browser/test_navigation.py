"""A resident finds their way: from one language to the other, through the site search and
the services catalogue, with or without JavaScript."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

from tests.browser.support import assert_accessible, structure_problems

pytestmark = pytest.mark.browser

PERMITS_AND_LICENCES = [
    "Demande de permis de rénovation",
    "Licence pour chien ou chat",
    "Permis d'abattage d'arbre",
]


def language_switch(page: Page, language: str) -> Locator:
    return page.locator(f".language-switch a[hreflang='{language}']")


def test_language_switch_leads_to_the_same_section_in_english(page: Page) -> None:
    page.goto("/fr/services/")
    assert_accessible(page)
    english = page.get_by_role("link", name="English", exact=True)
    expect(english).to_have_attribute("lang", "en")
    english.click()
    expect(page).to_have_url(re.compile(r"/en/services/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    expect(page.locator("h1")).to_have_text("Services and resources")
    expect(page).to_have_title(re.compile(r"^Services and resources \| "))
    assert_accessible(page)


def test_language_switch_on_a_news_item_leads_to_its_translation_and_back(page: Page) -> None:
    page.goto("/fr/nouvelles/debut-deneigement/")
    assert_accessible(page)
    page.get_by_role("link", name="English", exact=True).click()
    # The translation has a slug of its own: the switch follows the page, not the address.
    expect(page).to_have_url(re.compile(r"/en/news/snow-removal-begins/$"))
    expect(page.locator("h1")).to_have_text("Snow removal operations begin")
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    assert_accessible(page)

    french = language_switch(page, "fr")
    expect(french).to_have_attribute("lang", "fr")
    french.click()
    expect(page).to_have_url(re.compile(r"/fr/nouvelles/debut-deneigement/$"))
    expect(page.locator("h1")).to_have_text("Début des opérations de déneigement")
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    assert_accessible(page)


def test_header_search_finds_a_service_and_says_when_nothing_matches(page: Page) -> None:
    page.goto("/fr/")
    assert_accessible(page)
    page.locator("header").get_by_role("link", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/fr/recherche/$"))
    page.get_by_label("Que cherchez-vous?").fill("permis")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/fr/recherche/\?q=permis$"))
    expect(page.locator("h1")).to_have_text("Recherche")
    expect(page.get_by_role("status")).to_contain_text("« permis »")
    results = page.locator(".result-list .result__title")
    expect(results.filter(has_text="Demande de permis de rénovation")).to_have_count(1)
    assert_accessible(page)

    # Searching again from the results page, for a word found nowhere.
    searchbox = page.get_by_label("Que cherchez-vous?")
    expect(searchbox).to_have_value("permis")
    searchbox.fill("xylophone")
    searchbox.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/recherche/\?q=xylophone$"))
    expect(page.get_by_role("status")).to_contain_text("0 résultat pour « xylophone »")
    expect(page.locator(".result")).to_have_count(0)
    expect(page.locator(".empty-state")).to_contain_text("Aucun résultat.")
    assert_accessible(page)


def test_services_catalogue_filters_by_category_and_searches_within_it(page: Page) -> None:
    page.goto("/fr/services/")
    assert_accessible(page)
    categories = page.get_by_role("navigation", name="Catégories")
    categories.get_by_role("link", name="Permis et licences").click()
    expect(page).to_have_url(re.compile(r"/fr/services/\?categorie=permis-et-licences$"))
    expect(categories.get_by_role("link", name="Permis et licences")).to_have_attribute(
        "aria-current", "page"
    )
    titles = page.locator(".card__title")
    expect(titles).to_have_text(PERMITS_AND_LICENCES)
    assert_accessible(page)

    # The search keeps the category: a word of another category finds nothing here.
    searchbox = page.get_by_label("Chercher un service ou une ressource")
    searchbox.fill("arbre")
    searchbox.press("Enter")
    expect(page).to_have_url(re.compile(r"\?(?=.*categorie=permis-et-licences)(?=.*q=arbre)"))
    expect(titles).to_have_text(["Permis d'abattage d'arbre"])
    assert_accessible(page)

    searchbox.fill("compost")
    searchbox.press("Enter")
    expect(page).to_have_url(re.compile(r"\?(?=.*categorie=permis-et-licences)(?=.*q=compost)"))
    expect(titles).to_have_count(0)
    expect(page.locator(".empty-state")).to_contain_text("Aucun service ne correspond")
    assert_accessible(page)


def test_portal_works_without_javascript(
    new_context: Callable[..., BrowserContext], check_accessible_at: Callable[[str], None]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    navigations: list[Response] = []
    page.on(
        "response",
        lambda response: (
            navigations.append(response) if response.request.is_navigation_request() else None
        ),
    )
    visited: list[str] = []

    def arrived(url_pattern: str) -> None:
        expect(page).to_have_url(re.compile(url_pattern))
        assert structure_problems(page, "fr") == [], page.url
        visited.append(page.url)

    page.goto("/fr/")
    arrived(r"/fr/$")
    expect(page.locator("h1")).to_have_text("Bienvenue à Ville de Démo")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Services et ressources"
    ).click()
    arrived(r"/fr/services/$")
    page.get_by_role("navigation", name="Catégories").get_by_role(
        "link", name="Permis et licences"
    ).click()
    arrived(r"/fr/services/\?categorie=permis-et-licences$")
    expect(page.locator(".card__title")).to_have_text(PERMITS_AND_LICENCES)

    page.locator("header").get_by_role("link", name="Rechercher").click()
    arrived(r"/fr/recherche/$")
    searchbox = page.get_by_label("Que cherchez-vous?")
    searchbox.fill("permis")
    searchbox.press("Enter")
    arrived(r"/fr/recherche/\?q=permis$")
    expect(page.get_by_role("link", name="Demande de permis de rénovation")).to_be_visible()

    page.get_by_role("link", name="Ville de Démo").click()
    arrived(r"/fr/$")
    page.get_by_role("link", name="Début des opérations de déneigement").click()
    arrived(r"/fr/nouvelles/debut-deneigement/$")
    expect(page.locator("h1")).to_have_text("Début des opérations de déneigement")

    failed = [f"{response.url}: {response.status}" for response in navigations if not response.ok]
    assert not failed, f"Pages that failed without JavaScript: {failed}"
    # axe needs JavaScript: the same addresses are checked in a context that has it.
    for url in dict.fromkeys(visited):
        check_accessible_at(url)
