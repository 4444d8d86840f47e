"""Staff reach the back-office at /gestion/ through the accounts login page (ours: axe runs on
it), after setting up a second factor. The back-office pages themselves are checked in
test_every_page.py."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import Server, assert_accessible, set_up_authenticator_app

pytestmark = pytest.mark.browser


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
    server.second_factors[server.staff_email] = set_up_authenticator_app(
        page, server.staff_password
    )
    server.last_code_steps[server.staff_email] = int(time.time() // 30)
    page.goto("/gestion/")
    expect(page.locator("#wagtail-sidebar")).to_be_attached()
