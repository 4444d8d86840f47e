"""A survey's way from its moderator to residents: the demo moderator builds a two-question
survey for the riverside park, the second question shown only after "Oui" to the first (the
expected answer picked from a list), and submits it for approval; the manager of the park's
department opens the link of the e-mail they receive, approves the survey, and its public page
answers. Every page seen passes axe."""

import re
import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import Server, assert_accessible, log_in_to_back_office
from tests.loopback import text_of

pytestmark = pytest.mark.browser

MODERATOR = "moderation@ville-demo.test"
MANAGER = "gestion.travaux@ville-demo.test"
TEAM_PASSWORD = "demo-equipe-agora"  # the demo team's development-only password
PROJECT = "Aménagement du parc riverain"
BIKE = "Viendriez-vous au parc à vélo?"
PARKING = "Où garer votre vélo?"


def log_in(page: Page, server: Server, email: str, then: str) -> None:
    """The back office's login, with its second factor, then the page `then`."""
    log_in_to_back_office(page, server, email, TEAM_PASSWORD)
    page.goto(then)
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def assert_page_accessible(page: Page) -> None:
    """Axe on the page once Wagtail's flash message is read (it shows once): that banner's
    colours are Wagtail's own, not this page's."""
    page.reload()
    assert_accessible(page)


def save(page: Page) -> None:
    page.locator("main form[method='post'] button[type='submit']").first.click()


def build_the_survey(page: Page, title: str) -> None:
    page.goto("/gestion/sondages/nouveau/")
    assert_accessible(page)
    page.get_by_label("Titre (français)").fill(title)
    page.get_by_label("Continu").check()
    page.get_by_label("Projet", exact=True).select_option(label=PROJECT)
    save(page)
    expect(page.locator("main")).to_contain_text("Le sondage est créé")
    assert_page_accessible(page)

    page.get_by_role("link", name="Ajouter une section").click()
    page.get_by_label("Titre (français)").fill("Se rendre au parc")
    save(page)
    expect(page.locator("main")).to_contain_text("La section est enregistrée.")

    add_question(page, "Oui ou non", BIKE)
    add_question(page, "Texte court", PARKING, shown_after_yes_to=BIKE)


def add_question(page: Page, kind: str, label: str, shown_after_yes_to: str = "") -> None:
    page.get_by_role("link", name="Ajouter une question").first.click()
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Question (français)").fill(label)
    if shown_after_yes_to:
        # The expected answer is one of a list, under its question: nothing to type.
        expected = page.get_by_label("Réponse attendue")
        group = f"Se rendre au parc — {shown_after_yes_to}"
        expect(expected.locator(f"optgroup[label='{group}'] option")).to_have_text(["Oui", "Non"])
        expect(page.locator("input[name='condition_value']")).to_have_count(0)
        page.get_by_label("Afficher seulement si la question").select_option(label=group)
        page.get_by_label("Condition", exact=True).select_option(label="est égale à")
        expected.select_option(label="Oui")
        assert_accessible(page)
    save(page)
    expect(page.locator("main")).to_contain_text("La question est enregistrée.")


def test_a_moderator_submits_a_survey_and_a_manager_approves_it_from_the_email(
    new_context: Callable[..., BrowserContext], server: Server
) -> None:
    title = f"Stationnement à vélo {secrets.token_hex(3)}"
    moderator = new_context(locale="fr-CA").new_page()
    log_in(moderator, server, MODERATOR, "/gestion/sondages/")
    build_the_survey(moderator, title)
    already = len(server.inbox.messages)

    moderator.get_by_role("button", name="Soumettre pour approbation").click()
    waiting = re.compile(r"En attente des gestionnaires de Travaux publics \(Bruno Tremblay\)")
    expect(moderator.locator("main")).to_contain_text(waiting)
    assert_page_accessible(moderator)
    moderator.goto("/gestion/sondages/")
    expect(moderator.locator("main tr", has_text=title)).to_contain_text(waiting)

    message = server.inbox.wait_for(MANAGER, after=already)
    assert title in str(message["Subject"])
    link = re.search(r"http://\S+/gestion/sondages/\d+/approbation/", text_of(message))
    assert link, text_of(message)
    review = link.group(0).removeprefix(server.url)

    manager = new_context(locale="fr-CA").new_page()
    log_in(manager, server, MANAGER, review)
    expect(manager.locator("main")).to_contain_text(waiting)
    expect(manager.locator("main")).to_contain_text(BIKE)
    assert_accessible(manager)
    manager.get_by_role("button", name="Approuver et publier").click()
    expect(manager.locator("main")).to_contain_text("Le sondage est approuvé et publié.")
    assert_page_accessible(manager)

    public = manager.get_by_role("link", name="Prévisualiser").get_attribute("href")
    assert public
    response = manager.goto(public)
    assert response is not None
    assert response.status == 200
    expect(manager.locator("h1")).to_have_text(title)
    assert_accessible(manager)
