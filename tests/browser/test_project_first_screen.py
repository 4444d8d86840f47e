"""A resident opens the riverside park's page on a 360 x 740 phone: within the first screen
(740 px) are the project's image, how many days are left, how many have taken part and one
primary button, which leads to the open participation; the page passes axe."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import PHONE, assert_accessible, bottom_of

pytestmark = pytest.mark.browser

# Each test only reads pages, so the tests of this module may run on any worker.
READS_ONLY = True

PROJECT = "/fr/projets/parc-riverain/"
FIRST_SCREEN_PX = 740


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=PHONE).new_page()


def test_the_first_screen_shows_the_image_the_days_left_the_counts_and_the_button(
    phone: Page,
) -> None:
    phone.goto(PROJECT)
    header = phone.locator("main .project__header")

    image = header.locator("img.project__image")
    days_left = header.get_by_text(re.compile(r"^(Il reste \d+ jours|Dernier jour aujourd'hui)$"))
    counts = header.locator(".participation-counts")
    buttons = phone.locator("main a.button:not(.button--secondary)")

    # The test server does not serve media files (no proxy in front of it): the image is
    # checked by its address and by the room its width and height keep for it.
    assert ".webp" in (image.get_attribute("src") or "")
    assert image.get_attribute("alt")
    assert counts.get_by_text(re.compile(r"participants?$")).count() == 1
    assert counts.get_by_text(re.compile(r"idées?$")).count() == 1
    within = [bottom_of(part) for part in (image, days_left.first, counts, buttons.first)]
    assert max(within) <= FIRST_SCREEN_PX, within
    primary_on_first_screen = [
        index
        for index in range(buttons.count())
        if bottom_of(buttons.nth(index)) <= FIRST_SCREEN_PX
    ]
    assert len(primary_on_first_screen) == 1


def test_the_button_leads_to_the_open_participation(phone: Page) -> None:
    phone.goto(PROJECT)

    phone.locator("main .project__header a.button").click()

    # Waits for the next page: right after the click, the old one may still be shown.
    expect(phone).to_have_url(
        re.compile(r"/fr/projets/parc-riverain/idees/nouvelle/$|/fr/sondages/")
    )
    expect(phone.locator("main h1")).to_be_visible()


def test_the_project_page_passes_axe_on_a_phone(phone: Page) -> None:
    phone.goto(PROJECT)

    assert_accessible(phone)
