"""The layout check every browser test runs with axe (support.layout_problems): it names what
is wider than a 360 or 320 px screen and the text under 12 CSS px, SVG text scaled with its
drawing included; it lets a region that scrolls on purpose hold what is wide, and ignores what
nobody sees; and it gives the page back its size."""

import pytest
from playwright.sync_api import Page

from tests.browser.support import PHONE, layout_problems

pytestmark = pytest.mark.browser

# Each test only reads pages, so the tests of this module may run on any worker.
READS_ONLY = True


def on_phone(page: Page, body: str) -> Page:
    page.set_viewport_size(PHONE)
    page.set_content(
        "<!doctype html><html lang='fr-CA'><head><title>Essai</title>"
        "<meta name='viewport' content='width=device-width'>"
        "<style>body { margin: 0; font-size: 16px; }"
        ".visually-hidden { position: absolute !important; width: 1px; height: 1px;"
        " overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }"
        ".honeypot { position: absolute; left: -10000px; width: 1px; height: 1px;"
        " overflow: hidden; }</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return page


def test_an_element_wider_than_the_phone_is_named_with_its_width(page: Page) -> None:
    on_phone(page, "<div class='banner' style='width: 425px'>Bannière</div>")

    problems = layout_problems(page)

    assert "At 360 px wide" in problems
    assert "the page is 425 px wide" in problems
    assert "main > div.banner spans 0 to 425 px (425 px wide)" in problems
    assert "At 320 px wide" in problems


def test_an_element_that_fits_at_360_but_not_at_320_px_is_named_at_320(page: Page) -> None:
    on_phone(page, "<div class='card' style='width: 340px'>Carte</div>")

    problems = layout_problems(page)

    assert "At 360 px wide" not in problems
    assert "At 320 px wide" in problems
    assert "div.card spans 0 to 340 px" in problems


def test_a_word_too_long_to_wrap_is_named_though_its_paragraph_fits(page: Page) -> None:
    on_phone(page, "<p class='address'>suivi.0123456789012345678901234567@exemple.org</p>")

    problems = layout_problems(page)

    assert "the page is" in problems
    assert (
        "the text 'suivi.0123456789012345678901234567@exemple.org' of main > p.address" in problems
    )


def test_a_wide_table_in_a_region_that_scrolls_is_not_a_problem(page: Page) -> None:
    on_phone(
        page,
        "<div style='overflow-x: auto' tabindex='0'><table style='width: 600px'>"
        "<tr><td>Une longue rangée de données</td></tr></table></div>",
    )

    assert layout_problems(page) == ""


def test_text_under_12_px_is_named_with_its_size(page: Page) -> None:
    on_phone(page, "<p>Lisible <small style='font-size: 11px'>trop petit</small></p>")

    problems = layout_problems(page)

    assert "p > small 'trop petit' is 11 px, under 12 px" in problems


def test_svg_text_is_measured_at_the_size_its_drawing_is_shown(page: Page) -> None:
    # A 720-unit-wide chart drawn 360 px wide halves its text: 14 units become 7 px.
    on_phone(
        page,
        "<svg viewBox='0 0 720 100' width='360' height='50' role='img' aria-label='Graphique'>"
        "<text x='0' y='50' font-size='14'>Réponse</text></svg>",
    )

    problems = layout_problems(page)

    assert "svg > text 'Réponse' is 7 px, under 12 px" in problems


def test_what_nobody_sees_is_not_a_problem(page: Page) -> None:
    on_phone(
        page,
        "<div style='display: none; width: 900px; font-size: 8px'>Caché</div>"
        "<details><summary>Le tableau</summary>"
        "<table style='width: 900px; font-size: 8px'><tr><td>Plié</td></tr></table></details>"
        "<span class='visually-hidden' style='font-size: 8px'>"
        "Pour les lecteurs d'écran, une phrase bien plus longue que la largeur d'un téléphone"
        "</span>"
        "<div class='honeypot'><label>Ne pas remplir <input name='site'></label></div>"
        "<p style='visibility: hidden; font-size: 8px'>Invisible</p>",
    )

    assert layout_problems(page) == ""


def test_the_page_gets_its_size_back(page: Page) -> None:
    page.set_viewport_size({"width": 1024, "height": 700})
    page.set_content("<!doctype html><html lang='fr-CA'><title>Essai</title><p>Texte</p></html>")

    layout_problems(page)

    assert page.viewport_size == {"width": 1024, "height": 700}
