"""Every type of public page, and every /gestion/ page a project moderator uses, on a 360 x 740
phone and on a 1280 x 800 desk: axe-core passes at both sizes, nothing is wider than the
screen at 1280, 360 or 320 px (WCAG 2.1 Reflow) outside a region that scrolls on purpose, and
no text is smaller than 12 CSS px. The home, a project, a survey's results and the
moderator's home are kept as full-page screenshots at 360 px (support.SCREENSHOTS) for a
person to look at."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, StorageState, ViewportSize

from agora.accounts.demo import DEMO_TEAM, DEMO_TEAM_PASSWORD
from agora.accounts.roles import Role
from agora.surveys.demo import ORGANICS_SLUG, PARK_SURVEY_SLUG, SATISFACTION_SLUG
from tests.browser.support import (
    LAYOUT_WIDTHS,
    PHONE,
    SCREENSHOTS,
    Server,
    axe_violations,
    describe_violations,
    layout_problems,
    log_in_to_back_office,
)

pytestmark = pytest.mark.browser

# Each test only reads pages (the moderator's login sets up their second factor once per
# server, as any login would), so the tests of this module may run on any worker.
READS_ONLY = True

DESK: ViewportSize = {"width": 1280, "height": 800}
MODERATOR = next(email for role, email, *_names in DEMO_TEAM if role == Role.PROJECT_MODERATOR)
PROJECT = "/fr/projets/parc-riverain/"
# What the demo moderator's project and survey are called in the back-office's lists.
MODERATED = "parc riverain"


def _address(name: str, language: str = "fr", query: str = "", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + query


@dataclass(frozen=True)
class Linked:
    """An address read from a link on another page, as a person would follow it: the first
    link of `on`'s main content whose address matches `pattern` and whose text holds `text`;
    `then` is added to it."""

    on: "str | Linked"
    pattern: str
    text: str = ""
    then: str = ""


# One page of each type, in French; test_accessibility.py crawls both languages, and the
# pages of the journeys (accounts, surveys, ideas) are checked the same way where they pass.
PUBLIC_PAGES: dict[str, str | Linked] = {
    "home": "/fr/",
    "standard-page": "/fr/alertes/",
    "requests-choose": "/fr/requetes/",
    "requests-search": "/fr/requetes/?q=nid",
    "requests-place": Linked("/fr/requetes/", r"/requetes/signaler/[^/]+/$"),
    "requests-details": "/fr/requetes/signaler/nid-de-poule/precisions/?adresse=12+rue+Principale",
    "requests-lookup": "/fr/requetes/suivi/?numero=R-2026-999999",
    "requests-indicators": _address("citizen_requests:indicators"),
    "requests-indicators-wrong-period": _address(
        "citizen_requests:indicators", query="?du=2026-13-01"
    ),
    "requests-public": _address("citizen_requests:public_list"),
    "privacy-policy": "/fr/confidentialite/",
    "news-index": "/fr/nouvelles/",
    "news-item": "/fr/nouvelles/debut-deneigement/",
    "services-catalogue": "/fr/services/",
    "services-category": "/fr/services/?categorie=permis-et-licences",
    "project-index": "/fr/projets/",
    "project": PROJECT,
    "project-awaiting-feedback": "/fr/projets/reseau-cyclable/",
    "project-finished": "/fr/projets/centre-communautaire/",
    "project-follow": f"{PROJECT}suivre/",
    "idea-list": f"{PROJECT}idees/",
    "idea-map": f"{PROJECT}idees/carte/",
    "idea-form": f"{PROJECT}idees/nouvelle/",
    "idea-detail": Linked(f"{PROJECT}idees/", r"/idees/\d+/$"),
    "idea-follow": Linked(f"{PROJECT}idees/", r"/idees/\d+/$", then="suivre/"),
    "survey": _address("surveys:detail", slug=PARK_SURVEY_SLUG),
    "results-index": _address("results:index"),
    "results-one-off": _address("results:detail", slug=ORGANICS_SLUG),
    "results-continuous": _address("results:detail", slug=SATISFACTION_SLUG),
    "search": _address("search", query="?q=permis"),
    "login": _address("account_login"),
    "signup": _address("account_signup"),
    "not-found": "/fr/page-qui-n-existe-pas/",
}
STATUS = {"not-found": 404, "requests-lookup": 404}

_PROJECTS = "/gestion/projets/"
_DASHBOARD = Linked(_PROJECTS, r"/gestion/projets/\d+/tableau-de-bord/$", MODERATED)
_EDITOR = Linked(_DASHBOARD, r"/gestion/pages/\d+/edit/$")
_QUEUE = Linked("/gestion/moderation/", r"/gestion/moderation/\d+/$", MODERATED)
_SURVEYS = "/gestion/sondages/"
_BUILDER = Linked(_SURVEYS, r"/gestion/sondages/\d+/$", MODERATED)
_RESPONSES = Linked(_QUEUE, r"/idees/$")

STAFF_PAGES: dict[str, str | Linked] = {
    "moderator-home": "/gestion/",
    "project-list": _PROJECTS,
    "project-dashboard": _DASHBOARD,
    "project-editor": _EDITOR,
    "page-explorer": Linked(_EDITOR, r"/gestion/pages/\d+/$"),
    "new-project": Linked(_PROJECTS, r"/gestion/pages/add/"),
    "moderation-projects": "/gestion/moderation/",
    "moderation-queue": _QUEUE,
    "moderation-hidden": Linked(_QUEUE, r"\?liste=masquees$"),
    "moderation-log": Linked(_QUEUE, r"/journal/$"),
    "held-contributions": "/gestion/contributions-retenues/",
    "idea-responses": _RESPONSES,
    "idea-response-form": Linked(_RESPONSES, r"/idees/\d+/reponse/$"),
    "survey-list": _SURVEYS,
    "new-survey": Linked(_SURVEYS, r"/nouveau/$"),
    "survey-builder": _BUILDER,
    "survey-settings": Linked(_BUILDER, r"/reglages/$"),
    "survey-results": Linked(_BUILDER, r"/resultats/$"),
    "survey-section": Linked(_BUILDER, r"/sections/\d+/$"),
    "survey-question": Linked(_BUILDER, r"/questions/\d+/$"),
    "question-kinds": Linked(_BUILDER, r"/questions/nouvelle/$"),
    "staff-account": "/gestion/account/",
}

# The pages a person looks at on a phone, kept as screenshots at 360 px.
SCREENSHOT_PAGES = {"home", "project", "results-one-off", "moderator-home"}

_LINKS = """(links) => links.map(
  (link) => [link.getAttribute("href"), link.textContent.replace(/\\s+/g, " ").trim()])"""


@pytest.fixture(scope="session")
def found_addresses() -> dict[Linked, str]:
    """The addresses read from links, once per server."""
    return {}


def address_of(page: Page, target: str | Linked, found: dict[Linked, str]) -> str:
    if isinstance(target, str):
        return target
    if target not in found:
        page.goto(address_of(page, target.on, found))
        links: list[list[str]] = page.eval_on_selector_all("main a[href]", _LINKS)
        matching = [
            href
            for href, text in links
            if re.search(target.pattern, href) and target.text.lower() in text.lower()
        ]
        assert matching, f"No link to {target.pattern!r} ({target.text!r}) on {page.url}"
        found[target] = matching[0]
    return found[target] + target.then


def problems_on_every_screen(page: Page) -> str:
    """Axe on the phone, then on the desk, and the layout at 360, 320 and 1280 px wide."""
    problems = []
    for size in (PHONE, DESK):
        page.set_viewport_size(size)
        if violations := axe_violations(page):
            problems.append(
                f"At {size['width']} px wide: " + describe_violations(page.url, violations)
            )
    page.set_viewport_size(PHONE)
    if layout := layout_problems(page, widths=[*LAYOUT_WIDTHS, DESK]):
        problems.append(layout)
    return "\n".join(problems)


def check(page: Page, address: str, name: str, status: int = 200) -> None:
    response = page.goto(address)
    assert response is not None
    assert response.status == status, f"{address} answered {response.status}"
    problems = problems_on_every_screen(page)
    if name in SCREENSHOT_PAGES:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-360.png", full_page=True)
    assert not problems, problems


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_fits_phone_and_desk_and_passes_axe(
    new_context: Callable[..., BrowserContext], found_addresses: dict[Linked, str], name: str
) -> None:
    page = new_context(viewport=PHONE).new_page()
    address = address_of(page, PUBLIC_PAGES[name], found_addresses)

    check(page, address, name, STATUS.get(name, 200))


@pytest.fixture(scope="session")
def moderator_state(browser: Browser, server: Server) -> StorageState:
    """The demo moderator's logged-in browser state, once per server."""
    context = browser.new_context(base_url=server.url, bypass_csp=True)
    try:
        log_in_to_back_office(context.new_page(), server, MODERATOR, DEMO_TEAM_PASSWORD)
        return context.storage_state()
    finally:
        context.close()


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_back_office_page_of_a_moderator_fits_phone_and_desk_and_passes_axe(
    new_context: Callable[..., BrowserContext],
    moderator_state: StorageState,
    found_addresses: dict[Linked, str],
    name: str,
) -> None:
    page = new_context(viewport=PHONE, storage_state=moderator_state).new_page()
    address = address_of(page, STAFF_PAGES[name], found_addresses)

    check(page, address, name)


# The desk of citizen requests, as the demo clerk works at it, and the screens only an
# administrator reaches (the Open311 keys).
CLERK = next(email for role, email, *_names in DEMO_TEAM if role == Role.CLERK)
ADMINISTRATOR = next(email for role, email, *_names in DEMO_TEAM if role == Role.ADMINISTRATOR)
_DESK_QUEUE = "/gestion/requetes/"
DESK_PAGES: dict[str, tuple[str, str | Linked]] = {
    "requests-desk-queue": (CLERK, _DESK_QUEUE),
    "requests-desk-overdue": (CLERK, _DESK_QUEUE + "?en_retard=on&tri=echeance"),
    "requests-desk-request": (CLERK, Linked(_DESK_QUEUE, r"/gestion/requetes/\d+/$")),
    "requests-reply-templates": (CLERK, "/gestion/requetes/reponses-types/"),
    "requests-indicators-dashboard": (CLERK, "/gestion/requetes/indicateurs/"),
    "requests-open311-keys": (ADMINISTRATOR, "/gestion/cles-open311/"),
    "requests-open311-new-key": (ADMINISTRATOR, "/gestion/cles-open311/nouvelle/"),
}


@pytest.fixture(scope="session")
def desk_states(browser: Browser, server: Server) -> dict[str, StorageState]:
    """The logged-in browser state of each member of the team the desk's pages are read as,
    made once per server."""
    states: dict[str, StorageState] = {}
    for email in sorted({email for email, _target in DESK_PAGES.values()}):
        context = browser.new_context(base_url=server.url, bypass_csp=True, locale="fr-CA")
        try:
            log_in_to_back_office(context.new_page(), server, email, DEMO_TEAM_PASSWORD)
            states[email] = context.storage_state()
        finally:
            context.close()
    return states


@pytest.mark.parametrize("name", DESK_PAGES)
def test_back_office_page_of_the_requests_desk_fits_phone_and_desk_and_passes_axe(
    new_context: Callable[..., BrowserContext],
    desk_states: dict[str, StorageState],
    found_addresses: dict[Linked, str],
    name: str,
) -> None:
    email, target = DESK_PAGES[name]
    page = new_context(viewport=PHONE, storage_state=desk_states[email]).new_page()
    address = address_of(page, target, found_addresses)

    check(page, address, name)
