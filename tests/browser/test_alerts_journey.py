"""A boil-water notice from the city to a resident's phone and inbox, through a real Kannel
gateway: a resident without an account subscribes by e-mail and text message for their
home's water sector, confirms the e-mail's link (read from the real SMTP mailbox) and the
code texted to them (read from fakesmsc, Kannel's fake phone network). The communications
person, logged in with their second factor, writes the notice for that sector with its own
text per channel in French and English (the text message's counter live under the field),
finds how many it will reach and listens to the voice preview; the administrator approves
it (an emergency needs a second person), and it is sent: the resident receives the e-mail
and the text message. The resident answers ARRET and gets the reply; the next alert reaches
their e-mail, not their phone. The notice's public page, the RSS and Atom feeds and its CAP
message (valid against the OASIS schema and the Canadian profile) are read. Subscribing by
e-mail works the same without JavaScript. Every page seen passes axe and the layout checks
at 360 and 320 px, the alerts' staff screens and delivery reports included.

This module serves its own copy of the demo city, with Kannel's bearerbox, smsbox and
fakesmsc on loopback (agora/alerts/tests/kannel_gateway.py): the other browser tests' server
has no gateway."""

import datetime
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import capvalidator
import pytest
from defusedxml import ElementTree
from playwright.sync_api import BrowserContext, Page, expect

from agora.accounts.demo import DEMO_TEAM, DEMO_TEAM_PASSWORD
from agora.accounts.roles import Role
from agora.alerts.cap import cap_cp_problems
from agora.alerts.tests.kannel_gateway import (
    CITY_NUMBER,
    KannelGateway,
    PhoneMessage,
    kannel_missing,
)
from tests.browser.city import copy_of_city, served_environment, serving
from tests.browser.support import (
    PHONE,
    Server,
    assert_accessible,
    log_in_to_back_office,
)
from tests.databases import shared_dir
from tests.loopback import Inbox, text_of

pytestmark = pytest.mark.browser

COMMUNICATIONS = next(email for role, email, *_names in DEMO_TEAM if role == Role.COMMUNICATIONS)
ADMINISTRATOR = next(email for role, email, *_names in DEMO_TEAM if role == Role.ADMINISTRATOR)
# The demo's water-network sector, and the topics the notices are about.
WATER_SECTOR = "Réseau d'aqueduc : secteur nord"
BOIL_WATER = "Avis d'ébullition"
WORKS = "Travaux"
# A number no demo subscriber has: theirs are 555-01xx in other area codes.
MOBILE = "418 555-0142"
MOBILE_E164 = "+14185550142"
CODE = re.compile(r"\b(\d{6})\b")
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
# Long enough for a fan-out to a few hundred demo subscribers on a loaded machine.
DELIVERY_TIMEOUT = 60.0


# The server, with its Kannel gateway ------------------------------------------------------


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KannelGateway]:
    """bearerbox, smsbox and fakesmsc on loopback, for this module only; a watchdog stops
    them if pytest dies first."""
    if (missing := kannel_missing()) is not None:
        pytest.fail(f"Kannel is missing: {missing}", pytrace=False)
    gateway = KannelGateway(tmp_path_factory.mktemp("kannel"))
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    mailbox: tuple[Inbox, int],
    gateway: KannelGateway,
) -> Iterator[Server]:
    """A copy of the demo city served as conftest's `server` is, on the port the gateway
    calls back (delivery reports, residents' messages), and sending its text messages
    through the gateway. Overrides conftest's server for this module's contexts."""
    var_dir = tmp_path_factory.mktemp("agora-alerts-server")
    seeded = copy_of_city(shared_dir(request.config), var_dir)
    inbox, smtp_port = mailbox
    port = gateway.callback_port
    env = {
        **served_environment(var_dir, port=port, smtp_port=smtp_port),
        "SMS_PROVIDER": "kannel",
        "KANNEL_SENDSMS_URL": gateway.sendsms_url,
        "KANNEL_USERNAME": gateway.username,
        "KANNEL_PASSWORD": gateway.password,
        "KANNEL_INBOUND_SECRET": gateway.inbound_secret,
        "SMS_SENDER": CITY_NUMBER,
        "SMS_PUBLIC_BASE_URL": gateway.callback_base_url,
        "SMS_MESSAGES_PER_SECOND": "1000",
        "VOICE_CALLS_PER_SECOND": "1000",
    }
    with serving(var_dir, env, port=port, seeded=seeded, inbox=inbox) as running:
        yield running


# The phone network and the mailbox --------------------------------------------------------


def wait_for_text(
    gateway: KannelGateway,
    matches: Callable[[PhoneMessage], bool],
    *,
    after: int = 0,
    timeout: float = DELIVERY_TIMEOUT,
) -> PhoneMessage:
    """The first message that reached the phone network after the first `after`."""
    deadline = time.monotonic() + timeout
    while True:
        for message in gateway.phone_messages()[after:]:
            if matches(message):
                return message
        if time.monotonic() > deadline:
            raise AssertionError(f"no such text message within {timeout} s")
        time.sleep(0.1)


def to_the_resident(text: str) -> Callable[[PhoneMessage], bool]:
    return lambda message: message.receiver == MOBILE_E164 and text in message.text


def links_in(message: EmailMessage, server: Server, pattern: str) -> list[str]:
    """The addresses of the server's pages matching `pattern` in an e-mail, as paths."""
    found = re.findall(re.escape(server.url) + pattern, text_of(message))
    assert found, text_of(message)
    return [link.removeprefix(server.url) for link in found]


# The resident -----------------------------------------------------------------------------


def fill_the_subscription(page: Page, email: str, mobile: str = "", topic: str = "") -> None:
    page.goto("/fr/alertes/")
    expect(page.locator("main h1")).to_have_text("Alertes")
    page.get_by_label("Courriel (facultatif)", exact=True).fill(email)
    if mobile:
        page.get_by_label("Cellulaire, pour les textos (SMS) (facultatif)").fill(mobile)
    expect(page.get_by_label("Français", exact=True)).to_be_checked()  # the page's language
    page.get_by_label("Nom du lieu (facultatif)").fill("Maison")
    page.get_by_label("Adresse (facultatif)", exact=True).fill("12, rue du Moulin")
    # The zones are a list to tick, not a map to read.
    page.get_by_label(WATER_SECTOR, exact=True).check()
    if topic:
        page.get_by_label(re.compile(rf"\b{topic} :")).check()
    page.get_by_label(re.compile("J'accepte de recevoir les alertes")).check()


def subscribe(page: Page) -> None:
    """Sends the form (with JavaScript, ALTCHA's proof of work is solved first) and lands
    on the subscription's private management page."""
    with page.expect_navigation(url=re.compile(r"/fr/alertes/gerer/[^/]+/$")):
        page.get_by_role("button", name="M'abonner aux alertes").click()
    expect(page.locator("main h1")).to_have_text("Mon abonnement aux alertes")
    expect(page.locator(".messages")).to_contain_text("Votre abonnement est enregistré.")


def confirm_the_email(
    page: Page, server: Server, email: str, *, after: int, check: Callable[[Page], None]
) -> str:
    """Opens the confirmation link of the e-mail the resident received (the page passes
    `check`), presses the button (mail scanners only open links), and returns the
    management link the e-mail carries."""
    message = server.inbox.wait_for(email, after=after)
    confirm = links_in(message, server, r"/fr/alertes/confirmer/\d+/[^/\s]+/")[0]
    manage = links_in(message, server, r"/fr/alertes/gerer/[^/\s]+/")[0]
    page.goto(confirm)
    expect(page.locator("main h1")).to_have_text("Confirmer mon courriel")
    check(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("main h1")).to_have_text("Courriel confirmé")
    expect(page.locator("main")).to_contain_text(email)
    return manage


# The back office --------------------------------------------------------------------------


def staff_page(
    new_context: Callable[..., BrowserContext], server: Server, email: str, **options: Any
) -> Page:
    """A member of the team, logged in with their second factor (`options`: the context's)."""
    page = new_context(locale="fr-CA", **options).new_page()
    log_in_to_back_office(page, server, email, DEMO_TEAM_PASSWORD)
    return page


@dataclass(frozen=True)
class Notice:
    """What an alert says, per channel and language."""

    headline: str
    description: str
    sms_fr: str = ""
    sms_en: str = ""
    email_subject_fr: str = ""
    email_subject_en: str = ""
    email_body_fr: str = ""
    email_body_en: str = ""
    voice_fr: str = ""
    voice_en: str = ""


def expires_tomorrow() -> str:
    """Tomorrow at noon in the city's time, as a datetime-local field takes it."""
    tomorrow = datetime.datetime.now(ZoneInfo("America/Toronto")) + datetime.timedelta(days=1)
    return tomorrow.strftime("%Y-%m-%dT12:00")


def compose(page: Page, topic: str, notice: Notice, *, voice: bool, check: bool = True) -> int:
    """Writes the alert for the water sector, checks the live count of each text message,
    saves the draft; returns its number. `check`: axe and the layout checks on the list and
    the empty form (a second alert would only see them again)."""
    page.goto("/gestion/alertes/")
    if check:
        assert_accessible(page)
    page.get_by_role("link", name="Rédiger une alerte").click()
    expect(page).to_have_url(re.compile(r"/gestion/alertes/nouvelle/$"))
    if check:
        assert_accessible(page)
    page.get_by_label("Sujet*", exact=True).select_option(label=topic)
    texts = {
        "Titre (français)": notice.headline,
        "Titre (anglais)": f"[EN] {notice.headline}",
        "Description (français)": notice.description,
        "Description (anglais)": f"[EN] {notice.description}",
        "Objet du courriel (français)": notice.email_subject_fr,
        "Objet du courriel (anglais)": notice.email_subject_en,
        "Courriel (français)": notice.email_body_fr,
        "Courriel (anglais)": notice.email_body_en,
        "Message vocal (français)": notice.voice_fr,
        "Message vocal (anglais)": notice.voice_en,
    }
    for label, text in texts.items():
        if text:
            page.get_by_label(label, exact=True).fill(text)
    for language, text in (("français", notice.sms_fr), ("anglais", notice.sms_en)):
        if text:
            field = page.get_by_label(f"Texto ({language})", exact=True)
            counter = page.locator(f"[data-sms-count-for='{field.get_attribute('id')}']")
            # Empty, the field says the headline and the link: the counter counts them.
            expect(counter).to_contain_text("1 message(s).")
            field.fill(text)
            expect(counter).to_have_text(f"{len(text)} caractères (GSM-7) : 1 message(s).")
            field.fill(text.ljust(161, "x"))
            expect(counter).to_contain_text("161 caractères (GSM-7) : 2 message(s).")
            field.fill(text)
    if voice:
        page.get_by_label("Par appel automatisé").check()
    page.get_by_label(WATER_SECTOR, exact=True).check()
    page.get_by_label("Expire le*", exact=True).fill(expires_tomorrow())
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page).to_have_url(re.compile(r"/gestion/alertes/\d+/$"))
    expect(page.locator("body")).to_contain_text("Brouillon enregistré.")
    found = re.search(r"/gestion/alertes/(\d+)/$", page.url)
    assert found
    return int(found.group(1))


def recipients(page: Page) -> dict[str, int]:
    """The detail page's number of messages per channel, if the alert left now."""
    table = page.locator("main table", has_text="Nombre de messages par moyen d'envoi")
    counts = {}
    for row in table.locator("tbody tr").all():
        counts[row.locator("th").inner_text().strip()] = int(row.locator("td").inner_text())
    return counts


def listen_to_the_voice_preview(page: Page) -> None:
    """Each language's <audio> loads its recording in the browser, and its address answers
    a WAV file."""
    players = page.locator("main audio")
    expect(players).to_have_count(2)
    for player in players.all():
        duration = player.evaluate(
            """(audio) => new Promise((resolve, reject) => {
                 audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
                 audio.addEventListener("error", () => reject(new Error("no audio")));
                 audio.preload = "auto";
                 audio.load();
               })"""
        )
        assert duration > 1, duration
        source = player.get_attribute("src")
        assert source
        answer = page.request.get(source)
        assert answer.status == 200, answer.status
        assert answer.headers["content-type"] == "audio/wav"
        wav = answer.body()
        assert wav[:4] == b"RIFF", wav[:12]
        assert wav[8:12] == b"WAVE", wav[:12]


def act(page: Page, alert: int, action: str, done: str, *, check: bool = True) -> None:
    """Presses an action's button on the alert's page, then confirms on its page (checked
    with axe and the layout checks unless `check` is false: a page seen already)."""
    page.goto(f"/gestion/alertes/{alert}/")
    page.get_by_role("link", name=action, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/gestion/alertes/{alert}/[a-z-]+/$"))
    if check:
        assert_accessible(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page).to_have_url(re.compile(rf"/gestion/alertes/{alert}/$"))
    expect(page.locator("body")).to_contain_text(done)


def text_messages_of_the_report(page: Page, alert: int) -> dict[str, int]:
    """The delivery report's text message row, by column, once none is waiting any more."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while True:
        page.goto(f"/gestion/alertes/rapports/{alert}/")
        table = page.locator("section[aria-labelledby='par-moyen'] table")
        headings = [cell.strip() for cell in table.locator("thead th").all_inner_texts()]
        row = table.locator("tbody tr", has_text="Texto")
        cells = [row.locator("th").inner_text(), *row.locator("td").all_inner_texts()]
        counts = dict(zip(headings[1:], (int(cell) for cell in cells[1:]), strict=True))
        if counts["En attente"] == 0:
            return counts
        assert time.monotonic() < deadline, f"text messages still waiting: {counts}"
        time.sleep(0.5)


# The public alerts ------------------------------------------------------------------------


def read_the_public_notice(page: Page, path: str, headline: str) -> bytes:
    """The notice's page, the list and its feeds; returns the notice's CAP message."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while (response := page.goto(path)) is not None and response.status == 404:
        assert time.monotonic() < deadline, f"{path} is not published"  # still sending
        time.sleep(0.5)
    assert response is not None
    assert response.ok, path
    expect(page.locator("main h1")).to_have_text(headline)
    expect(page.locator("main")).to_contain_text(WATER_SECTOR)
    assert_accessible(page)
    cap_link = page.get_by_role("link", name="Cette alerte au format CAP")
    cap_path = cap_link.get_attribute("href")
    assert cap_path
    assert re.fullmatch(r"/cap/[^/]+\.xml", cap_path), cap_path

    page.get_by_role("link", name="Alertes envoyées").click()
    expect(page.locator("main h1")).to_have_text("Alertes envoyées")
    expect(page.locator("main li", has_text=headline)).to_contain_text("en vigueur")
    assert_accessible(page)

    for name, entry, title in (
        ("Fil RSS des alertes", "item", "title"),
        ("Fil Atom", f"{ATOM}entry", f"{ATOM}title"),
    ):
        address = page.get_by_role("link", name=name).get_attribute("href")
        assert address
        answer = page.request.get(address)
        assert answer.ok, address
        feed = ElementTree.fromstring(answer.body())
        titles = [item.findtext(title) for item in feed.iter(entry)]
        assert headline in titles, (address, titles)

    answer = page.request.get(cap_path)
    assert answer.ok, cap_path
    assert answer.headers["content-type"].startswith("application/cap+xml")
    index = page.request.get("/cap/alertes.atom")
    assert index.ok
    assert cap_path in index.text()
    return answer.body()


def assert_valid_cap(message: bytes, headline: str) -> None:
    result = capvalidator.check_schema(message)
    assert result.passed, result.message
    assert cap_cp_problems(message) == []
    root = ElementTree.fromstring(message)
    infos = {info.findtext(f"{CAP}language"): info for info in root.iter(f"{CAP}info")}
    assert set(infos) == {"fr-CA", "en-CA"}
    french = infos["fr-CA"]
    assert french.findtext(f"{CAP}headline") == headline
    assert [area.findtext(f"{CAP}areaDesc") for area in french.iter(f"{CAP}area")] == [WATER_SECTOR]
    # The topic's CAP-CP event code, the same in both languages.
    for info in infos.values():
        events = [code.findtext(f"{CAP}value") for code in info.iter(f"{CAP}eventCode")]
        assert "drinkingWate" in events, events


# The journeys -----------------------------------------------------------------------------


def test_a_boil_water_notice_reaches_a_subscriber_by_email_and_text_until_they_answer_arret(
    new_context: Callable[..., BrowserContext], server: Server, gateway: KannelGateway
) -> None:
    stamp = int(time.time() * 1000)
    email = f"residente.alertes.{stamp}@example.org"

    # The resident subscribes on their phone for their home's water sector.
    resident = new_context(viewport=PHONE).new_page()
    fill_the_subscription(resident, email, MOBILE, topic=WORKS)
    assert_accessible(resident)
    mails = len(server.inbox.messages)
    texts = len(gateway.phone_messages())
    subscribe(resident)
    expect(resident.locator(".messages")).to_contain_text(
        f"Un code à 6 chiffres est envoyé par texto au {MOBILE}"
    )
    assert_accessible(resident)

    # The code texted to them, typed on the page the form led to.
    texted = wait_for_text(gateway, to_the_resident("code de confirmation"), after=texts)
    assert texted.sender == CITY_NUMBER
    code = CODE.search(texted.text)
    assert code, texted.text
    resident.get_by_label(f"Code reçu au {MOBILE}").fill(code.group(1))
    resident.get_by_role("button", name=f"Confirmer ({MOBILE})").click()
    expect(resident.locator(".messages")).to_contain_text("Ce moyen de contact est confirmé.")

    # The e-mail's link, and its private management link.
    manage = confirm_the_email(resident, server, email, after=mails, check=assert_accessible)
    assert_accessible(resident)
    resident.goto(manage)
    contacts = resident.locator("section[aria-labelledby='manage-contacts'] ol > li")
    expect(contacts).to_have_count(2)
    for contact in contacts.all():
        expect(contact).to_contain_text("Confirmé")
    assert_accessible(resident)

    # Communications writes the notice, with a text per channel and language.
    boil = Notice(
        headline=f"Avis d'ébullition préventif, secteur nord ({stamp})",
        description="Un bris d'aqueduc rue du Moulin a fait baisser la pression.",
        sms_fr=f"Ville de Démo : faites bouillir l'eau 1 minute avant de la boire. ({stamp})",
        sms_en=f"Ville de Démo: boil tap water 1 minute before drinking it. ({stamp})",
        email_subject_fr=f"Avis d'ébullition : secteur nord ({stamp})",
        email_subject_en=f"Boil-water advisory: north sector ({stamp})",
        email_body_fr="Faites bouillir l'eau du robinet une minute avant de la boire.",
        email_body_en="Boil tap water for one minute before drinking it.",
        voice_fr="Avis d'ébullition dans le secteur nord. Faites bouillir l'eau une minute.",
        voice_en="Boil-water advisory in the north sector. Boil tap water for one minute.",
    )
    # On their phone: axe runs at 360 px, the layout checks at 360 and 320 px.
    writer = staff_page(new_context, server, COMMUNICATIONS, viewport=PHONE)
    alert = compose(writer, BOIL_WATER, boil, voice=True)
    expect(writer.locator("main")).to_contain_text(
        "Alerte d'urgence : une deuxième personne doit l'approuver avant l'envoi."
    )
    counts = recipients(writer)
    assert counts["Courriel"] >= 1, counts
    assert counts["Texto"] >= 1, counts
    expect(writer.locator("main")).to_contain_text(boil.sms_fr)
    expect(writer.locator("main")).to_contain_text(boil.sms_en)
    listen_to_the_voice_preview(writer)
    assert_accessible(writer)
    act(writer, alert, "Soumettre pour approbation", "Alerte soumise pour approbation.")

    # An emergency: the administrator approves it, then the writer sends it.
    approver = staff_page(new_context, server, ADMINISTRATOR)
    act(approver, alert, "Approuver", "Alerte approuvée : elle peut être envoyée.")
    mails = len(server.inbox.messages)
    texts = len(gateway.phone_messages())
    act(writer, alert, "Envoyer maintenant", "Envoi commencé.")

    # While it goes out: the list, the alert's delivery report, the subscribers' statistics.
    writer.goto("/gestion/alertes/")
    expect(writer.locator("main tr", has_text=boil.headline)).to_contain_text(
        re.compile("en cours d'envoi|envoyée")
    )
    assert_accessible(writer)
    writer.goto(f"/gestion/alertes/rapports/{alert}/")
    expect(writer.locator("main")).to_contain_text("Messages par moyen de contact")
    assert_accessible(writer)
    writer.goto("/gestion/alertes/rapports/abonnes/")
    assert_accessible(writer)

    received = server.inbox.wait_for(email, after=mails, timeout=DELIVERY_TIMEOUT)
    assert str(received["Subject"]) == boil.email_subject_fr
    assert boil.email_body_fr in text_of(received)
    notice_path = links_in(received, server, r"/fr/alertes/avis/\d+/")[0]
    # An emergency reaches everyone subscribed: its e-mail offers no one-click unsubscribe.
    assert received["List-Unsubscribe"] is None
    texted = wait_for_text(gateway, to_the_resident(boil.sms_fr), after=texts)
    assert texted.text == boil.sms_fr
    assert texted.sender == CITY_NUMBER

    # ARRET from the resident's phone: the reply, in French.
    texts = len(gateway.phone_messages())
    gateway.send_from_phone(MOBILE_E164, "ARRET")
    reply = wait_for_text(
        gateway, to_the_resident("vous ne recevrez plus nos alertes"), after=texts
    )
    assert reply.sender == CITY_NUMBER
    assert len(reply.text) <= 160

    # The next alert, about roadworks the resident chose (not an emergency: no approval).
    works = Notice(
        headline=f"Travaux d'aqueduc rue du Moulin ({stamp})",
        description="La rue du Moulin est fermée entre 8 h et 16 h pour réparer l'aqueduc.",
    )
    alert_after = compose(writer, WORKS, works, voice=False, check=False)
    assert_accessible(writer)
    mails = len(server.inbox.messages)
    texts = len(gateway.phone_messages())
    act(writer, alert_after, "Envoyer maintenant", "Envoi commencé.", check=False)

    # While it goes out: the resident's number is off their subscription, their e-mail on it;
    # the first notice's public page, the list, the feeds and the CAP message.
    resident.goto(manage)
    expect(contacts).to_have_count(1)
    expect(contacts).to_contain_text(email)
    public = new_context(viewport=PHONE).new_page()
    message = read_the_public_notice(public, notice_path, boil.headline)
    assert_valid_cap(message, boil.headline)

    # It reaches the resident's e-mail, not their phone.
    received = server.inbox.wait_for(email, after=mails, timeout=DELIVERY_TIMEOUT)
    assert str(received["Subject"]) == works.headline
    # Not an emergency: one click in the mail program unsubscribes (RFC 8058).
    assert "/fr/alertes/desabonnement/" in str(received["List-Unsubscribe"])
    sms = text_messages_of_the_report(writer, alert_after)
    handed_over = sms["Transmis"] + sms["Reçus"]
    assert handed_over >= 1, sms
    assert_accessible(writer)
    # Every text message of that alert reached the phone network, none the resident's phone.
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while (
        len(reached := [m for m in gateway.phone_messages()[texts:] if works.headline in m.text])
        < handed_over
    ):
        assert time.monotonic() < deadline, f"{len(reached)} of {handed_over} texts arrived"
        time.sleep(0.2)
    assert MOBILE_E164 not in {text.receiver for text in reached}


def test_a_resident_subscribes_by_email_without_javascript(
    new_context: Callable[..., BrowserContext],
    check_accessible_at: Callable[[str], None],
    server: Server,
) -> None:
    email = f"sans.js.{int(time.time() * 1000)}@example.org"
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    fill_the_subscription(page, email)
    check_accessible_at(page.url)
    mails = len(server.inbox.messages)
    subscribe(page)
    expect(page.locator(".messages")).to_contain_text(
        f"Un lien de confirmation est envoyé à {email}"
    )
    check_accessible_at(page.url)

    manage = confirm_the_email(
        page, server, email, after=mails, check=lambda page: check_accessible_at(page.url)
    )
    check_accessible_at(page.url)
    page.goto(manage)
    expect(page.locator("section[aria-labelledby='manage-contacts'] li")).to_contain_text(
        "Confirmé"
    )
    check_accessible_at(page.url)
