"""Staff reach the back-office at /gestion/ through the accounts login page (ours: axe runs on
it), after setting up a second factor. Wagtail's own admin is not ours to make accessible, so
axe does not run there."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import Server, assert_accessible, totp_code

pytestmark = pytest.mark.browser


def set_up_authenticator_app(page: Page, password: str) -> str:
    """On the way to the page that activates an authenticator app (confirming the password
    first, as allauth asks before any change of security): read the secret as a person would
    type it into their app, and confirm with the app's code."""
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        form = page.locator("main form[method='post']").first
        form.locator("input[name='password']").fill(password)
        form.locator("[type='submit']").first.click()
    expect(page).to_have_url(re.compile(r"/totp/activate/"))
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    form = page.locator("main form[method='post']").first
    # As a person would: a code about to expire is left for the next one, since the server
    # accepts only the current 30-second step.
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    form.locator("input[name='code']").fill(totp_code(secret))
    form.locator("[type='submit']").first.click()
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    return secret


def test_back_office_asks_staff_to_log_in_and_set_up_a_second_factor_then_opens(
    page: Page, server: Server
) -> None:
    response = page.goto("/gestion/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/(fr|en)/[a-z-]+/login/\?next=/gestion/$"))
    assert_accessible(page)
    login_form = page.locator("main form[method='post']").first

    login_form.locator("input[name='login']").fill(server.staff_email)
    login_form.locator("input[name='password']").fill(f"not-{server.staff_password}")
    login_form.locator("[type='submit']").last.click()
    expect(page).to_have_url(re.compile(r"/login/"))
    assert_accessible(page)
    expect(page.locator("#wagtail-sidebar")).to_have_count(0)

    login_form.locator("input[name='login']").fill(server.staff_email)
    login_form.locator("input[name='password']").fill(server.staff_password)
    login_form.locator("[type='submit']").last.click()
    # No second factor yet: the back-office waits until one is set up.
    set_up_authenticator_app(page, server.staff_password)
    page.goto("/gestion/")
    expect(page.locator("#wagtail-sidebar")).to_be_attached()
