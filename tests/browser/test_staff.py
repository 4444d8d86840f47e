"""Staff reach the back-office at /gestion/ through the accounts login page (ours: axe runs on
it). Wagtail's own admin is not ours to make accessible, so axe does not run there."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import Server, assert_accessible

pytestmark = pytest.mark.browser


def test_back_office_asks_staff_to_log_in_then_opens_the_dashboard(
    page: Page, server: Server
) -> None:
    response = page.goto("/gestion/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/(fr|en)/[a-z-]+/login/\?next=/gestion/$"))
    assert_accessible(page)
    login_form = page.locator("main form[method='post']").first
    email = login_form.locator("input[name='login']")
    password = login_form.locator("input[name='password']")
    submit = login_form.locator("[type='submit']").last

    email.fill(server.staff_email)
    password.fill(f"not-{server.staff_password}")
    submit.click()
    expect(page).to_have_url(re.compile(r"/login/"))
    assert_accessible(page)
    expect(page.locator("#wagtail-sidebar")).to_have_count(0)

    login_form.locator("input[name='login']").fill(server.staff_email)
    login_form.locator("input[name='password']").fill(server.staff_password)
    login_form.locator("[type='submit']").last.click()
    expect(page).to_have_url(f"{server.url}/gestion/")
    expect(page.locator("#wagtail-sidebar")).to_be_attached()
