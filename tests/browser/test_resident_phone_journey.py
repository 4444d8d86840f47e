"""One resident, one 360 x 740 phone, the riverside park from start to end: the first screen of
the project shows its image, the days left, how many have taken part and one primary button;
from there they open the ideas, support one from the list and come back to its card; then they
open the park survey's results from the project page and read every chart without scrolling
sideways. Every page on the way passes axe and the layout checks at 360 and 320 px."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.support import (
    PHONE,
    SMALLEST_TEXT_PX,
    assert_accessible,
    bottom_of,
    support_an_idea_on_the_list,
)

PROJECT = "/fr/projets/parc-riverain/"
FIRST_SCREEN_PX = 740

pytestmark = pytest.mark.browser

_SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
_SVG_TEXT_HEIGHTS = """() => Array.from(document.querySelectorAll("main svg text"))
  .map((text) => text.getBoundingClientRect().height).filter((height) => height > 0)"""


def test_a_resident_follows_the_riverside_park_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport=PHONE).new_page()

    # The first screen of the project.
    phone.goto(PROJECT)
    header = phone.locator("main .project__header")
    first_screen = [
        header.locator("img.project__image"),
        header.get_by_text(re.compile(r"^(Il reste \d+ jours|Dernier jour aujourd'hui)$")).first,
        header.locator(".participation-counts"),
        header.locator("a.button").first,
    ]
    assert all(bottom_of(part) <= FIRST_SCREEN_PX for part in first_screen)
    assert_accessible(phone)

    # The ideas, and one supported from the list.
    phone.get_by_role("link", name="Voir les idées").click()
    expect(phone.locator("main h1")).to_be_visible()
    assert_accessible(phone)
    support_an_idea_on_the_list(phone)
    assert_accessible(phone)

    # Back to the project, then the survey's results: every chart, no sideways scroll.
    phone.goto(PROJECT)
    phone.get_by_role("link", name="Voir les résultats").first.click()
    charts = phone.locator("main figure.agora-chart")
    expect(charts.first).to_be_visible()
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        box = charts.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate(_SIDEWAYS) == 0
    assert all(height >= SMALLEST_TEXT_PX for height in phone.evaluate(_SVG_TEXT_HEIGHTS))
    assert_accessible(phone)
