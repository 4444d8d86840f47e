"""A resident without an account, on a 360 px phone, reports a pothole: they find the service
by searching, give an address (JavaScript off: the address always works; on: the same form),
describe the problem, add a photo and an e-mail address, and land on their private follow-up
page with the tracking number; the public status page by that number shows the request
without their address. Every page passes axe and the layout checks."""

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import PHONE, assert_accessible

pytestmark = pytest.mark.browser

TRACKING = re.compile(r"R-\d{4}-\d{6}")


def report_a_pothole(page: Page, photo: Path, check: Callable[[Page], None]) -> str:
    page.goto("/fr/requetes/")
    check(page)
    page.get_by_label("Chercher un service").fill("nid")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name=re.compile("Nid-de-poule")).first.click()
    check(page)

    # An address of its own: an open pothole at the same address would be offered first
    # (test_request_desk_journey.py walks that way).
    page.get_by_label("Adresse ou lieu").fill(f"{time.time_ns() % 10**9}, rue Principale")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("main h1")).to_have_text("Décrivez le problème")
    check(page)

    page.get_by_label("Description du problème").fill("Un trou profond dans la voie de droite.")
    for question in page.locator("main fieldset input[type=radio]").all():
        name = question.get_attribute("name")
        if name and not page.locator(f"input[name='{name}']:checked").count():
            question.check()
    page.locator("input[type=file]").first.set_input_files(str(photo))
    page.get_by_label("Votre courriel").fill("residente@example.org")
    page.get_by_role("button", name="Envoyer la requête").click()

    expect(page.locator("main .messages")).to_contain_text("Merci! Votre requête")
    check(page)
    found = TRACKING.search(page.locator("main").inner_text())
    assert found
    assert "residente@example.org" not in page.url
    return found.group(0)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_resident_reports_a_pothole_on_a_phone(
    new_context: Callable[..., BrowserContext],
    check_accessible_at: Callable[[str], None],
    tmp_path: Path,
    javascript: bool,
) -> None:
    from PIL import Image

    photo = tmp_path / "trou.jpg"
    Image.new("RGB", (400, 300), "gray").save(photo, format="JPEG")

    def check(page: Page) -> None:
        if javascript:
            assert_accessible(page)
        else:
            check_accessible_at(page.url)

    page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    number = report_a_pothole(page, photo, check)

    page.goto(f"/fr/requetes/suivi/{number}/")
    main = page.locator("main")
    expect(main).to_contain_text(number)
    expect(main).to_contain_text("Reçue")
    assert "residente@example.org" not in main.inner_text()
    check(page)
