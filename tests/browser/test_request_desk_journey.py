"""A pothole from the street to the desk and back: a resident without an account, on a 360 px
phone, reports a pothole at an address where one is already open, is shown that request and
files anyway with a photo and their e-mail address; the tracking number arrives by e-mail
through the real SMTP server. The clerk logs in with their second factor, acknowledges the
request, assigns it to Travaux publics and resolves it with a public note; the resident's
e-mail tells them, their status page shows it, and the public indicators count the request.
With JavaScript and without. Every page seen passes axe and the layout checks."""

import datetime
import re
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import PHONE, Server, assert_accessible, log_in_to_back_office
from tests.loopback import text_of

pytestmark = pytest.mark.browser

CLERK = "services.citoyens@ville-demo.test"
TEAM_PASSWORD = "demo-equipe-agora"  # the demo team's development-only password
TRACKING = re.compile(r"R-\d{4}-\d{6}")
NOTE = "Le trou est bouché depuis ce matin. Merci de nous l'avoir signalé!"


def describe_and_send(page: Page, description: str, photo: Path | None, email: str) -> None:
    page.get_by_label("Description du problème").fill(description)
    for question in page.locator("main fieldset input[type=radio]").all():
        name = question.get_attribute("name")
        if name and not page.locator(f"input[name='{name}']:checked").count():
            question.check()
    if photo is not None:
        page.locator("input[type=file]").first.set_input_files(str(photo))
    if email:
        page.get_by_label("Votre courriel").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la requête").click()
    expect(page.locator("main .messages")).to_contain_text("Merci! Votre requête")


def start_a_pothole(page: Page, address: str) -> None:
    page.goto("/fr/requetes/")
    page.get_by_label("Chercher un service").fill("nid")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name=re.compile("Nid-de-poule")).first.click()
    page.get_by_label("Adresse ou lieu").fill(address)
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer").click()


def tracking_number_on(page: Page) -> str:
    found = TRACKING.search(page.locator("main").inner_text())
    assert found, page.locator("main").inner_text()
    return found.group(0)


def requests_counted(page: Page, since_days: int, until_days: int = 0) -> int:
    """The requests received from `since_days` ago to `until_days` ago, as the public
    indicators count them ("Requêtes reçues"). The figures are cached a minute per period:
    each reading asks for a period of its own, so that it is computed afresh."""
    today = datetime.datetime.now(ZoneInfo("America/Toronto")).date()  # the city's day
    start = today - datetime.timedelta(days=since_days)
    end = today - datetime.timedelta(days=until_days)
    page.goto(f"/fr/requetes/indicateurs/?du={start.isoformat()}&au={end.isoformat()}")
    expect(page.locator("main h1")).to_have_text("Indicateurs des requêtes")
    term = page.locator("main dl.facts dt", has_text="Requêtes reçues")
    figure = term.locator("xpath=following-sibling::dd[1]")
    return int(re.sub(r"\D", "", figure.inner_text()))


def clerk_resolves(page: Page, server: Server, number: str) -> None:
    log_in_to_back_office(page, server, CLERK, TEAM_PASSWORD)
    page.goto("/gestion/requetes/?tri=recentes")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=number).first.click()
    expect(page.locator("main h1")).to_contain_text(number)
    assert_accessible(page)

    change_status(page, "Prise en charge")
    assign = page.locator("main form[action$='/attribuer/']")
    assign.get_by_label("Service municipal").select_option(label="Travaux publics")
    with page.expect_navigation():
        assign.get_by_role("button", name="Enregistrer l'attribution").click()
    expect(page.locator("main")).to_contain_text("Travaux publics")
    change_status(page, "Résolue", note=NOTE)
    expect(page.locator("main")).to_contain_text(NOTE)
    assert_accessible(page)


def change_status(page: Page, status: str, note: str = "") -> None:
    form = page.locator("main form", has=page.get_by_label("Nouvel état"))
    form.get_by_label("Nouvel état").select_option(label=status)
    if note:
        form.get_by_label("Note publique").fill(note)
    with page.expect_navigation():
        form.get_by_role("button", name="Changer l'état").click()
    expect(page.locator("main dl").first).to_contain_text(status)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_pothole_is_reported_triaged_resolved_and_counted(
    new_context: Callable[..., BrowserContext],
    check_accessible_at: Callable[[str], None],
    server: Server,
    tmp_path: Path,
    javascript: bool,
) -> None:
    from PIL import Image

    def check(page: Page) -> None:
        """axe runs in the page: without JavaScript, the same address is checked in a
        browser that runs it (a page a form's answer shows is checked with JavaScript on)."""
        if javascript:
            assert_accessible(page)
        else:
            check_accessible_at(page.url)

    photo = tmp_path / "trou.jpg"
    Image.new("RGB", (400, 300), "gray").save(photo, format="JPEG")
    stamp = int(time.time() * 1000)
    address = f"{stamp % 100000}, rue Principale"
    email = f"residente.{stamp}@example.org"

    # A neighbour reported this pothole already.
    neighbour = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    start_a_pothole(neighbour, address)
    describe_and_send(neighbour, "Un trou dans la voie de droite.", None, "")
    earlier = tracking_number_on(neighbour)

    page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    since = 2 + stamp % 300
    counted_before = requests_counted(page, since)
    start_a_pothole(page, address)
    nearby = page.locator("main .report-nearby")
    expect(nearby).to_contain_text("Ce problème est peut-être déjà signalé")
    expect(nearby).to_contain_text(earlier)
    check(page)
    with page.expect_navigation():
        nearby.get_by_role("link", name="Ce n'est pas le même problème : continuer").click()
    expect(page.locator("main h1")).to_have_text("Décrivez le problème")
    check(page)
    already = len(server.inbox.messages)
    describe_and_send(page, "Un deuxième trou, plus profond, juste à côté.", photo, email)
    check(page)
    number = tracking_number_on(page)
    assert number != earlier
    confirmation = text_of(server.inbox.wait_for(email, after=already))
    assert number in confirmation
    assert "/fr/requetes/suivi-prive/" in confirmation

    clerk = new_context(locale="fr-CA").new_page()
    clerk_resolves(clerk, server, number)

    # Each change of status is told: acknowledged, then resolved with the public note.
    acknowledged = server.inbox.wait_for(email, after=already + 1)
    assert str(acknowledged["Subject"]) == f"Requête {number} : Prise en charge"
    resolved = server.inbox.wait_for(email, after=server.inbox.messages.index(acknowledged) + 1)
    assert str(resolved["Subject"]) == f"Requête {number} : Résolue"
    assert NOTE in text_of(resolved)

    page.goto(f"/fr/requetes/suivi/{number}/")
    main = page.locator("main")
    expect(main).to_contain_text("Résolue")
    expect(main).to_contain_text(NOTE)
    assert email not in main.inner_text()
    check(page)

    # Counted afresh over a period one day longer: the requests of that extra day, those
    # counted before, and this one.
    extra_day = requests_counted(page, since + 1, since + 1)
    assert requests_counted(page, since + 1) == extra_day + counted_before + 1
