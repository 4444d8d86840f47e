"""Staff reach the back-office at /gestion/ through Wagtail's login. Wagtail's admin is not
ours to make accessible, so axe does not run on these pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import Server

pytestmark = pytest.mark.browser


def test_back_office_asks_staff_to_log_in_then_opens_the_dashboard(
    page: Page, server: Server
) -> None:
    response = page.goto("/gestion/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/gestion/login/\?next=/gestion/$"))
    username = page.locator("input[name='username']")
    password = page.locator("input[name='password']")
    submit = page.locator("form.login-form [type='submit']")

    username.fill(server.staff_email)
    password.fill(f"not-{server.staff_password}")
    submit.click()
    expect(page).to_have_url(re.compile(r"/gestion/login/"))
    expect(page.locator("#wagtail-sidebar")).to_have_count(0)

    username.fill(server.staff_email)
    password.fill(server.staff_password)
    submit.click()
    expect(page).to_have_url(f"{server.url}/gestion/")
    expect(page.locator("#wagtail-sidebar")).to_be_attached()
    expect(password).to_have_count(0)
