"""A survey's results read on a 360 x 740 phone: the page never scrolls sideways (a wide table
scrolls in its own region), no text is smaller than 12 CSS pixels (the charts' SVG text
included), every chart names its answers in full, and the page passes axe, with its data
tables folded and opened. `assert_accessible` checks the layout at 360 and 320 px."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import BrowserContext, Page

from agora.surveys.demo import ORGANICS_SLUG, SATISFACTION_SLUG
from tests.browser.support import PHONE, SMALLEST_TEXT_PX, assert_accessible

pytestmark = pytest.mark.browser

# Each test only reads pages, so the tests of this module may run on any worker.
READS_ONLY = True


def results_address(slug: str, language: str = "fr", query: str = "") -> str:
    with translation.override(language):
        return reverse("results:detail", kwargs={"slug": slug}) + query


# The organics survey has answers with long names, a matrix, a ranking and a breakdown by
# district; the satisfaction survey is continuous (its trends, a yes/no share among them).
PAGES = [
    pytest.param(results_address(ORGANICS_SLUG), id="one-off"),
    pytest.param(results_address(ORGANICS_SLUG, "en"), id="one-off-in-english"),
    pytest.param(results_address(SATISFACTION_SLUG), id="continuous-by-month"),
    pytest.param(results_address(SATISFACTION_SLUG, query="?periode=semaine"), id="by-week"),
]

# The labels of the horizontal bars, and whether the SVG text of a chart keeps its size.
_BAR_LABELS = """() => Array.from(document.querySelectorAll("main .agora-bars__label"),
  (label) => label.textContent.trim())"""

_SVG_TEXT_HEIGHTS = """() => Array.from(document.querySelectorAll("main svg text"))
  .map((text) => text.getBoundingClientRect().height).filter((height) => height > 0)"""


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=PHONE).new_page()


def open_every_table(page: Page) -> None:
    page.evaluate("document.querySelectorAll('main details').forEach((d) => { d.open = true; })")


@pytest.mark.parametrize("address", PAGES)
def test_the_results_fit_a_phone_with_readable_text(phone: Page, address: str) -> None:
    response = phone.goto(address)
    assert response is not None
    assert response.ok

    assert phone.locator("main figure.agora-chart").count() > 0
    assert all(height >= SMALLEST_TEXT_PX for height in phone.evaluate(_SVG_TEXT_HEIGHTS))
    assert_accessible(phone)

    open_every_table(phone)
    assert_accessible(phone)


def test_the_answers_are_named_in_full_on_a_phone(phone: Page) -> None:
    phone.goto(results_address(ORGANICS_SLUG))

    labels: list[str] = phone.evaluate(_BAR_LABELS)

    assert "Je ne sais pas toujours quoi y mettre" in labels
    assert "La Ville informe bien les résidents sur le compostage." in labels
    assert not any(label.endswith("…") for label in labels)
    bars = phone.locator("main .agora-bars__item").filter(has_text="Les odeurs")
    assert bars.locator(".agora-bars__value").first.is_visible()


def test_the_breakdown_fits_a_phone(phone: Page) -> None:
    phone.goto(results_address(ORGANICS_SLUG))
    form = phone.locator("main form.results-segment")
    box = form.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]

    form.get_by_label("Répartir par").select_option(label="Dans quel quartier habitez-vous?")
    form.get_by_role("button", name="Afficher").click()

    phone.locator("main .results-breakdown").wait_for()
    assert phone.locator("main .results-breakdown .results-table-wrap").count() > 0
    assert_accessible(phone)
