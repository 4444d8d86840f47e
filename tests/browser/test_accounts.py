"""The account pages (allauth's and Agora's) pass axe in both languages, for a visitor and
for a logged-in resident; a form with errors focuses its summary; security keys are offered
where the browser has WebAuthn. Nothing here changes the demo resident's account."""

import re

import pytest
from playwright.sync_api import Page, expect

from agora.accounts.demo import DEMO_RESIDENT_EMAIL, DEMO_TEAM_PASSWORD
from agora.accounts.tests.support import url
from tests.browser.support import Server, accessibility_problems, structure_problems

pytestmark = pytest.mark.browser

LANGUAGES = ("fr", "en")
VISITOR_PAGES = (
    "account_login",
    "account_signup",
    "account_request_login_code",
    "account_reset_password",
    "account_deleted",
)
RESIDENT_PAGES = (
    "account_home",
    "account_change_name",
    "account_consents",
    "account_delete",
    "account_email",
    "account_change_password",
    "mfa_index",
    "account_logout",
)


def problems_on(page: Page, path: str, language: str) -> list[str]:
    response = page.goto(path)
    if response is None or response.status != 200:
        return [f"{path}: HTTP status {response.status if response else None}"]
    found = [f"{path}: {problem}" for problem in structure_problems(page, language)]
    if axe := accessibility_problems(page):
        found.append(axe)
    return found


def log_in(page: Page) -> None:
    page.goto(url("account_login"))
    form = page.locator("main form.form")
    form.locator("input[name='login']").fill(DEMO_RESIDENT_EMAIL)
    form.locator("input[name='password']").fill(DEMO_TEAM_PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(re.escape(url("account_home")) + "$"))


def test_visitor_account_pages_pass_axe_in_both_languages(page: Page, server: Server) -> None:
    problems = [
        problem
        for language in LANGUAGES
        for name in VISITOR_PAGES
        for problem in problems_on(page, url(name, language), language)
    ]

    assert not problems, "\n".join(problems)


def test_resident_account_pages_pass_axe_in_both_languages(page: Page, server: Server) -> None:
    log_in(page)

    problems = [
        problem
        for language in LANGUAGES
        for name in RESIDENT_PAGES
        for problem in problems_on(page, url(name, language), language)
    ]

    assert not problems, "\n".join(problems)


def test_a_form_with_errors_passes_axe_and_focuses_its_summary(page: Page, server: Server) -> None:
    page.goto(url("account_signup"))
    form = page.locator("main form.form")
    form.locator("input[name='email']").fill("nouvelle@example.org")
    form.locator("input[name='first_name']").fill("Nora")
    form.locator("input[name='last_name']").fill("Nouvelle")
    form.locator("input[name='password1']").fill("12345678")
    form.locator("input[name='password2']").fill("12345678")
    form.locator("button[type='submit']").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    assert not accessibility_problems(page)


def test_security_keys_are_offered_where_the_browser_has_webauthn(
    page: Page, server: Server
) -> None:
    log_in(page)
    page.goto(url("mfa_index"))

    expect(page.locator("[data-requires-webauthn]")).to_be_visible()


def test_the_page_after_logging_in_passes_axe_with_its_message(page: Page, server: Server) -> None:
    log_in(page)

    assert not accessibility_problems(page)
