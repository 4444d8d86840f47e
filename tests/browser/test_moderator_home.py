"""A moderator's workspace: the demo moderator's /gestion/ home lists "Mes projets" with the
riverside park and what waits there; they post an update through the short form, which goes
to the park's department for approval (the confirmation says to whom); the platform's
administrator publishes one at once, and the park's public page shows it first. Every page
seen passes axe, the green confirmation banner included."""

import re
import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import Server, assert_accessible, log_in_to_back_office

pytestmark = pytest.mark.browser

MODERATOR = "moderation@ville-demo.test"
ADMINISTRATOR = "administration@ville-demo.test"
TEAM_PASSWORD = "demo-equipe-agora"  # the demo team's development-only password
PROJECT = "Aménagement du parc riverain"


def home_of(page: Page, server: Server, email: str) -> None:
    log_in_to_back_office(page, server, email, TEAM_PASSWORD)
    page.goto("/gestion/")


def test_a_moderator_reads_what_waits_and_posts_an_update(
    new_context: Callable[..., BrowserContext], server: Server
) -> None:
    moderator = new_context(locale="fr-CA").new_page()
    home_of(moderator, server, MODERATOR)
    expect(moderator.locator(".agora-home-projects")).to_contain_text("Mes projets")
    park = moderator.locator(".agora-home-projects__project", has_text=PROJECT)
    expect(park).to_contain_text(re.compile(r"Ce qui vous attend|Rien ne vous attend"))
    expect(park).to_contain_text("Dernière mise à jour")
    assert_accessible(moderator)

    park.get_by_role("link", name=f"Publier une mise à jour : {PROJECT}").click()
    expect(moderator.locator("h1")).to_contain_text("Publier une mise à jour")
    expect(moderator.get_by_label("Date")).not_to_have_value("")
    assert_accessible(moderator)

    moderator.get_by_role("button", name="Soumettre la mise à jour").click()
    expect(moderator.locator("main")).to_contain_text("Donnez un titre à la mise à jour.")
    assert_accessible(moderator)

    title = f"Visite du chantier {secrets.token_hex(3)}"
    moderator.get_by_label("Titre").fill(title)
    moderator.get_by_label("Texte").fill("Rendez-vous samedi à 10 h au pavillon.")
    moderator.get_by_role("button", name="Soumettre la mise à jour").click()
    expect(moderator.locator(".messages")).to_contain_text(
        re.compile(r"paraîtra une fois approuvée\. .*Travaux publics \(Bruno Tremblay\)")
    )
    # The banner as it first shows, before any reload.
    assert_accessible(moderator)

    admin = new_context(locale="fr-CA").new_page()
    home_of(admin, server, ADMINISTRATOR)
    park = admin.locator(".agora-home-projects__project", has_text=PROJECT)
    park.get_by_role("link", name=f"Publier une mise à jour : {PROJECT}").click()
    published = f"Ouverture du sentier {secrets.token_hex(3)}"
    admin.get_by_label("Titre").fill(published)
    admin.get_by_label("Texte").fill("Le sentier riverain est ouvert.")
    admin.get_by_role("button", name="Publier la mise à jour").click()
    expect(admin.locator(".messages")).to_contain_text(
        f"La mise à jour « {published} » est publiée sur la page du projet."
    )
    assert_accessible(admin)

    admin.get_by_role("link", name="Voir la page publique").click()
    updates = admin.locator(".project-updates > li h3")
    expect(updates.first).to_have_text(published)
    expect(admin.locator(".project-updates")).not_to_contain_text(title)
    assert_accessible(admin)
