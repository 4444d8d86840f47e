"""A resident on a 360 px phone supports an idea from the list of the riverside park's idea
box, with JavaScript off and on: they come back to the same card, its count one higher, its
button pressed, and the page still passes axe and the layout checks (axe runs in the page:
without JavaScript, the same address is checked in a browser that runs it, while the
pressed button and the "Et maintenant?" block are checked on the phone that runs it)."""

import base64
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import assert_accessible, support_an_idea_on_the_list

pytestmark = pytest.mark.browser

IDEAS = "/fr/projets/parc-riverain/idees/"
PHONE = {"width": 360, "height": 740}


def support_from_the_list(page: Page, check: Callable[[Page], None]) -> None:
    page.goto(f"{IDEAS}?tri=recent")
    check(page)
    again = support_an_idea_on_the_list(page)

    expect(page).to_have_url(re.compile(rf"{re.escape(IDEAS)}\?tri=recent#idea-\d+$"))
    expect(page.locator("main .messages")).to_contain_text("Merci, votre appui est enregistré.")
    expect(again.locator(".next-steps")).to_contain_text("Et maintenant?")
    check(page)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_resident_supports_an_idea_from_the_list_on_a_phone(
    new_context: Callable[..., BrowserContext],
    check_accessible_at: Callable[[str], None],
    javascript: bool,
) -> None:
    def check(page: Page) -> None:
        if javascript:
            assert_accessible(page)
        else:
            # Without the fragment: going to the same page at another card loads nothing.
            check_accessible_at(page.url.split("#")[0])

    context = new_context(viewport=PHONE, java_script_enabled=javascript)
    support_from_the_list(context.new_page(), check)


def test_the_support_button_sends_a_proof_of_work_fetched_when_it_is_pressed(
    new_context: Callable[..., BrowserContext],
) -> None:
    """The list comes from the shared page cache, so it carries no challenge: the browser
    asks /altcha/ for one when the button is pressed, solves it, and sends the answer with
    the support, which the server then counts under the higher limit."""
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{IDEAS}?tri=recent")
    assert page.locator("main input[name='altcha']").first.get_attribute("value") == ""

    with (
        page.expect_request(lambda request: request.url.endswith("/altcha/")) as asked,
        page.expect_request(
            lambda request: request.method == "POST" and "/appui/" in request.url
        ) as sent,
    ):
        support_an_idea_on_the_list(page)

    assert asked.value.method == "GET"
    answer = dict(parse_qsl(sent.value.post_data or ""))["altcha"]
    fields = json.loads(base64.b64decode(answer))
    assert set(fields) == {"algorithm", "challenge", "number", "salt", "signature"}
    assert "cost=" in fields["salt"]
    expect(page.locator("main .messages")).to_contain_text("Merci, votre appui est enregistré.")
