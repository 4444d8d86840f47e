"""The idea box end to end, as residents and the city's team use it, reading the e-mails from
the server's real SMTP mailbox: a resident without an account reads a project, posts an
idea, supports it once, comments and flags a comment; someone follows the idea; the
project's moderator hides the comment with a reason and answers the idea; the follower is
told. The resident's part works the same with JavaScript turned off."""

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from agora.accounts.demo import DEMO_TEAM_PASSWORD
from tests.browser.support import Server, assert_accessible, log_in_to_back_office
from tests.browser.test_account_journeys import link_in
from tests.loopback import text_of

pytestmark = pytest.mark.browser

PROJECT = "/fr/projets/parc-riverain/"
MODERATOR = "moderation@ville-demo.test"


def post_an_idea(page: Page, check: Callable[[Page], None], title: str) -> str:
    """From the project page to a published idea; returns the idea's address."""
    page.goto(PROJECT)
    check(page)
    page.locator("main a[href$='/idees/']").first.click()
    expect(page).to_have_url(re.compile(r"/idees/$"))
    check(page)
    page.locator("main a[href$='/idees/nouvelle/']").first.click()
    check(page)
    form = page.locator("main form.idea-form")
    form.locator("[type='submit']").click()  # empty: the error summary links to the fields
    expect(page.locator("main .error-summary, main [role='alert']").first).to_be_visible()
    check(page)
    form = page.locator("main form.idea-form")
    form.locator("input[name='title']").fill(title)
    form.locator("textarea[name='description']").fill(
        "Des bancs à l'ombre tous les 200 mètres, pour les aînés qui marchent le long de l'eau."
    )
    form.locator("[type='submit']").click()
    expect(page.locator("h1")).to_have_text(title)
    check(page)
    return page.url


def support_once(context: BrowserContext, idea_url: str, check: Callable[[Page], None]) -> None:
    """Two tabs of the same browser: the second support is refused politely."""
    first, second = context.new_page(), context.new_page()
    first.goto(idea_url)
    second.goto(idea_url)
    first.locator("main form.reaction-form button[value='support']").click()
    expect(first.locator("main form.reaction-form button[value='withdraw']")).to_be_visible()
    check(first)
    second.locator("main form.reaction-form button[value='support']").click()
    expect(second.locator("body")).to_contain_text("déjà réagi")
    check(second)
    expect(second.locator("main")).to_contain_text("1 appui")
    first.close()
    second.close()


def comment_and_flag(page: Page, idea_url: str, words: str, check: Callable[[Page], None]) -> None:
    page.goto(idea_url)
    form = page.locator("main form.comment-form").first
    form.locator("textarea[name='body']").fill(words)
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    comment = page.locator("main li", has_text=words).first
    expect(comment).to_be_visible()
    check(page)
    comment.locator("details.flag-form summary").first.click()
    comment.locator("details.flag-form input[value='off_topic']").check()
    with page.expect_navigation():
        comment.locator("details.flag-form [type='submit']").click()
    expect(page.locator("body")).to_contain_text("signalement")
    check(page)


def follow_the_idea(page: Page, server: Server, idea_url: str, email: str) -> None:
    already = len(server.inbox.messages)
    page.goto(idea_url)
    with page.expect_navigation():
        page.locator("main a[href$='/suivre/']").first.click()
    assert_accessible(page)
    form = page.locator("main form[method='post']").first
    form.locator("input[name='email']").fill(email)
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    assert_accessible(page)
    confirmation = server.inbox.wait_for(email, after=already)
    page.goto(link_in(text_of(confirmation), "/confirmer/"))
    assert_accessible(page)
    confirm = page.locator("main form[method='post'] [type='submit']")
    if confirm.count():
        confirm.first.click()
    expect(page.locator("main")).to_be_visible()
    assert_accessible(page)


def moderator_hides_and_answers(
    page: Page, server: Server, words: str, title: str, email: str
) -> None:
    log_in_to_back_office(page, server, MODERATOR, DEMO_TEAM_PASSWORD)
    page.goto("/gestion/moderation/")
    page.locator("main a", has_text="Parc riverain").first.click()
    page.goto(page.url.split("?")[0] + "?liste=signalements")
    entry = page.locator("main article, main li, main section", has_text=words).last
    entry.locator("textarea[name='reason']").last.fill(
        "Hors sujet : ce commentaire ne parle pas du parc."
    )
    entry.locator("form[action*='/masquer/'] [type='submit']").click()
    expect(page.locator("body")).to_contain_text("masqu")

    already = len(server.inbox.messages)
    page.goto("/gestion/moderation/")
    page.locator("main a", has_text="Parc riverain").first.click()
    page.locator("main a", has_text="Réponses aux idées").first.click()
    page.locator("main a", has_text=title).first.click()
    form = page.locator("main form[method='post']").last
    form.locator("select[name='status']").select_option("accepted")
    form.locator("textarea[name='explanation']").fill(
        "La Ville installera douze bancs ombragés au printemps."
    )
    form.locator("[type='submit']").click()
    answer = server.inbox.wait_for(email, after=already)
    assert "douze bancs" in text_of(answer)


def test_a_resident_without_an_account_takes_part_and_the_team_answers(
    new_context: Callable[..., BrowserContext], server: Server
) -> None:
    stamp = int(time.time() * 1000)
    resident = new_context()
    page = resident.new_page()
    title = f"Des bancs ombragés {stamp}"
    idea_url = post_an_idea(page, assert_accessible, title)
    support_once(resident, idea_url, assert_accessible)
    words = f"Et une fontaine d'eau potable, svp {stamp}"
    comment_and_flag(page, idea_url, words, assert_accessible)

    follower_email = f"suivi.{stamp}@exemple.org"
    follow_the_idea(new_context().new_page(), server, idea_url, follower_email)

    moderator_hides_and_answers(
        new_context(locale="fr-CA").new_page(), server, words, title, follower_email
    )

    page.goto(idea_url)
    expect(page.locator("main")).to_contain_text("Commentaire masqué par la modération")
    expect(page.locator("main")).to_contain_text("douze bancs ombragés")
    assert_accessible(page)


def test_the_same_journey_works_without_javascript(
    new_context: Callable[..., BrowserContext],
    check_accessible_at: Callable[[str], None],
) -> None:
    """Axe needs JavaScript: each page is checked again in a JavaScript-enabled browser."""

    def check(page: Page) -> None:
        check_accessible_at(page.url)

    stamp = int(time.time() * 1000)
    resident = new_context(java_script_enabled=False)
    page = resident.new_page()
    idea_url = post_an_idea(page, lambda _page: None, f"Un jardin communautaire {stamp}")
    check(page)
    support_once(resident, idea_url, lambda _page: None)
    comment_and_flag(page, idea_url, f"Avec des bacs surélevés {stamp}", lambda _page: None)
    check(page)
