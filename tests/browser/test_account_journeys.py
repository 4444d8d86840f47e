"""Two journeys end to end, reading the e-mails from the server's real SMTP mailbox:
a resident signs up, verifies the address, logs in with a one-time code, downloads their data
and deletes the account; an administrator invites a moderator, who accepts, sets up a second
factor and reaches /gestion/."""

import json
import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from agora.accounts.demo import DEMO_TEAM_PASSWORD
from tests.browser.support import (
    Server,
    assert_accessible,
    log_in_to_back_office,
    set_up_authenticator_app,
)
from tests.loopback import text_of

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+")
CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def link_in(message_text: str, contains: str) -> str:
    links: list[str] = [link for link in LINK.findall(message_text) if contains in link]
    assert links, f"no link with {contains!r} in:\n{message_text}"
    return links[0]


def submit(page: Page) -> None:
    page.locator("main form[method='post']").first.locator("[type='submit']").first.click()


def test_a_resident_signs_up_verifies_logs_in_with_a_code_exports_and_deletes(
    page: Page, server: Server
) -> None:
    email = f"marie.{int(time.time() * 1000)}@exemple.org"
    already = len(server.inbox.messages)

    page.goto("/fr/compte/signup/")
    assert_accessible(page)
    form = page.locator("main form[method='post']").first
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='first_name']").fill("Marie")
    form.locator("input[name='last_name']").fill("Lavoie")
    form.locator("input[name='password1']").fill("une phrase de passe solide")
    form.locator("input[name='password2']").fill("une phrase de passe solide")
    submit(page)
    assert_accessible(page)

    verification = server.inbox.wait_for(email, after=already)
    page.goto(link_in(text_of(verification), "/confirm-email/"))
    assert_accessible(page)
    submit(page)  # confirms the address, and logs in
    page.goto("/fr/compte/mon-compte/")
    expect(page.locator("h1")).to_have_text("Mon compte")
    assert_accessible(page)

    page.locator(
        "main form[action$='/logout/'] [type='submit'], main a[href$='/logout/']"
    ).first.click()
    if "/logout/" in page.url:
        submit(page)

    already = len(server.inbox.messages)
    page.goto("/fr/compte/login/code/")
    assert_accessible(page)
    page.locator("main form[method='post'] input[name='email']").first.fill(email)
    submit(page)
    code_message = text_of(server.inbox.wait_for(email, after=already))
    code = CODE.search(code_message)
    assert code, code_message
    assert_accessible(page)
    page.locator("main form[method='post'] input[name='code']").first.fill(code.group(1))
    submit(page)

    page.goto("/fr/compte/mon-compte/")
    with page.expect_download() as download:
        page.locator("main a[href*='mes-donnees']").first.click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert email in json.dumps(data, ensure_ascii=False)

    page.goto("/fr/compte/supprimer/")
    assert_accessible(page)
    form = page.locator("main form[method='post']").first
    form.locator("input[type='email'], input[name='email'], input[name='confirmation']").first.fill(
        email
    )
    submit(page)
    assert_accessible(page)
    page.goto("/fr/compte/login/")
    form = page.locator("main form[method='post']").first
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill("une phrase de passe solide")
    submit(page)
    expect(page).to_have_url(re.compile(r"/login/"))


def test_an_administrator_invites_a_moderator_who_accepts_and_reaches_the_back_office(
    browser: Browser, server: Server
) -> None:
    moderator_email = f"moderateur.{int(time.time() * 1000)}@ville-demo.test"
    admin = browser.new_context(base_url=server.url, bypass_csp=True).new_page()
    # The demo's administrator role (not the superuser the staff test uses), whose second
    # factor another module of this worker may have set up already.
    log_in_to_back_office(admin, server, "administration@ville-demo.test", DEMO_TEAM_PASSWORD)

    already = len(server.inbox.messages)
    admin.goto("/gestion/equipe/invitations/new/")
    admin.locator("input[name='email']").fill(moderator_email)
    admin.locator("select[name='role']").select_option("project_moderator")
    admin.locator("select[name='department']").select_option(label="Travaux publics")
    admin.locator("form [type='submit']").last.click()
    invitation = text_of(server.inbox.wait_for(moderator_email, after=already))
    accept_url = link_in(invitation, f"{server.url}/fr/compte/invitation/")

    moderator = browser.new_context(base_url=server.url, bypass_csp=True).new_page()
    moderator.goto(accept_url)
    assert_accessible(moderator)
    moderator.locator("main a[href*='signup']").first.click()
    form = moderator.locator("main form[method='post']").first
    form.locator("input[name='email']").fill(moderator_email)
    form.locator("input[name='first_name']").fill("Nadia")
    form.locator("input[name='last_name']").fill("Pelletier")
    form.locator("input[name='password1']").fill("une autre phrase de passe")
    form.locator("input[name='password2']").fill("une autre phrase de passe")
    already = len(server.inbox.messages)
    submit(moderator)
    verification = server.inbox.wait_for(moderator_email, after=already)
    moderator.goto(link_in(text_of(verification), "/confirm-email/"))
    submit(moderator)

    moderator.goto(accept_url)
    assert_accessible(moderator)
    submit(moderator)  # accept
    set_up_authenticator_app(moderator, "une autre phrase de passe")
    moderator.goto("/gestion/")
    expect(moderator.locator("#wagtail-sidebar")).to_be_attached()
