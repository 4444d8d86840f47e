"""Every type of public page, in both languages, is well-formed and passes axe-core (WCAG 2.1 A
and AA and best practices), and the keyboard reaches the content first."""

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from agora.surveys.demo import PARK_SURVEY_SLUG
from tests.browser.support import (
    Server,
    accessibility_problems,
    assert_accessible,
    language_of,
    structure_problems,
)

pytestmark = pytest.mark.browser

# Each test only reads pages, so the tests of this module may run on any worker.
READS_ONLY = True
# A bound on the crawl, far above the number of page types: reaching it fails the test.
MAX_PAGES = 150
SKIPPED_PREFIXES = ("/gestion/", "/documents/", "/static/", "/media/", "/cap/")
# Files, not pages: the project poster, calendars and feeds, a survey's results exports and
# picture; and the cards other sites embed (a project's, a survey's results).
SKIPPED_SUFFIXES = (
    ".webmanifest",
    ".png",
    "/affiche/",
    "/poster/",
    "/calendrier/",
    "/calendar/",
    "/flux-rss/",
    "/rss-feed/",
    "/flux-atom/",
    "/atom-feed/",
    "/csv/",
    "/xlsx/",
    "/pdf/",
    "/carte-integrable/",
    "/integrer/",
    "/embed/",
)
# The catalogue's category filter is the one query string worth a visit of its own.
KEPT_QUERY_PARAMETER = "categorie"


def _address(language: str, name: str, **kwargs: str) -> str:
    """An address as the server's URLconf spells it in `language`."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# Pages the crawl must reach, proof that it followed the menus, the catalogue, the news and
# the survey results hub, the survey of a project's phase, the citizen requests with their
# indicators and public list, and the alerts with the list of those sent.
MUST_REACH = (
    "/fr/projets/",
    "/fr/projets/parc-riverain/",
    "/fr/projets/parc-riverain/idees/",
    _address("fr", "surveys:detail", slug=PARK_SURVEY_SLUG),
    "/fr/services/?categorie=permis-et-licences",
    "/fr/nouvelles/",
    "/fr/nouvelles/debut-deneigement/",
    _address("fr", "results:index"),
    _address("fr", "results:detail", slug=PARK_SURVEY_SLUG),
    _address("fr", "citizen_requests:choose"),
    _address("fr", "citizen_requests:indicators"),
    _address("fr", "citizen_requests:public_list"),
    _address("fr", "alerts:subscribe"),
    _address("fr", "alerts:ask_link"),
    _address("fr", "alert_notices:list"),
    "/en/projects/",
    "/en/projects/riverside-park/",
    "/en/projects/riverside-park/ideas/",
    _address("en", "surveys:detail", slug=PARK_SURVEY_SLUG),
    "/en/services/?categorie=permits-and-licences",
    "/en/news/",
    "/en/news/snow-removal-begins/",
    _address("en", "results:index"),
    _address("en", "results:detail", slug=PARK_SURVEY_SLUG),
    _address("en", "citizen_requests:choose"),
    _address("en", "citizen_requests:indicators"),
    _address("en", "citizen_requests:public_list"),
    _address("en", "alerts:subscribe"),
    _address("en", "alerts:ask_link"),
    _address("en", "alert_notices:list"),
)


def crawl_target(url: str, origin: str) -> str | None:
    """The path (and kept query) to visit for a link, or None when the crawl leaves it."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:  # mailto:, tel:, other hosts
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(SKIPPED_SUFFIXES):
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not query:
        return parts.path
    if [name for name, _value in query] == [KEPT_QUERY_PARAMETER]:
        return f"{parts.path}?{urlencode(query)}"
    return None


def page_type(path: str) -> tuple[str, ...]:
    """What kind of page an address shows, in its language: one of each is checked.

    Addresses of Django views are typed by their URL name. Wagtail pages are typed by their
    place in the tree: the section (`projets`, `nouvelles`…), then any page inside it (`*`),
    then the route below it, with numbers as `#`; a kept query string adds its name."""
    parts = urlsplit(path)
    language = language_of(path)
    with translation.override(language):
        try:
            match = resolve(parts.path)
        except Resolver404:
            match = None
    query = tuple(name for name, _value in parse_qsl(parts.query, keep_blank_values=True))
    if match is not None and match.view_name != "wagtail_serve":
        return (language, match.view_name, *query)
    segments = parts.path.strip("/").split("/")[1:]
    shape = [
        "#" if segment.isdigit() else "*" if position == 1 else segment
        for position, segment in enumerate(segments)
    ]
    return (language, *shape, *query)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_type_of_public_page_passes_axe(page: Page, server: Server, language: str) -> None:
    """From the home page of a language, every page of that language the links reach, one
    of each type (plus the pages of MUST_REACH)."""
    start = f"/{language}/"
    queue = deque([start])
    seen = {start}
    types_seen = {page_type(start)}
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        visited.append(path)
        response = page.goto(path)
        status = response.status if response else None
        if status != 200:
            problems.append(f"{path}: HTTP status {status}")
            continue
        language = language_of(page.url)
        problems.extend(f"{path}: {problem}" for problem in structure_problems(page, language))
        if found := accessibility_problems(page):
            problems.append(found)
        links = page.eval_on_selector_all("a[href]", "links => links.map((link) => link.href)")
        for link in links:
            target = crawl_target(link, server.url)
            if target is None or target in seen or language_of(target) != language:
                continue
            seen.add(target)
            kind = page_type(target)
            if kind not in types_seen or target in MUST_REACH:
                types_seen.add(kind)
                queue.append(target)
    assert not queue, (
        f"The crawl stopped at {MAX_PAGES} pages with {len(queue)} left unvisited: {list(queue)}"
    )
    assert not problems, f"{len(problems)} problem(s) in {len(visited)} pages:\n" + "\n".join(
        problems
    )
    missed = [path for path in MUST_REACH if language_of(path) == language and path not in visited]
    assert not missed, f"The crawl never reached {missed}; it visited {visited}"


@pytest.mark.parametrize(("language", "query"), [("fr", "permis"), ("en", "permit")])
def test_search_results_page_passes_axe_in_both_languages(
    page: Page, language: str, query: str
) -> None:
    page.goto(f"/{language}/")
    assert_accessible(page)
    page.locator("header a.site-bar__search").click()
    searchbox = page.locator("#search-q")
    searchbox.fill(query)
    searchbox.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{language}/[^/]+/\?q={query}$"))
    expect(page.locator(".result-list .result").first).to_be_visible()
    assert structure_problems(page, language) == []
    assert_accessible(page)


@pytest.mark.parametrize(("language", "path"), [("fr", "/fr/hors-ligne/"), ("en", "/en/offline/")])
def test_offline_page_passes_axe_in_both_languages(page: Page, language: str, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(
        "Vous êtes hors ligne" if language == "fr" else "You are offline"
    )
    assert structure_problems(page, language) == []
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "path"),
    [("fr", "/fr/page-qui-n-existe-pas/"), ("en", "/en/page-that-does-not-exist/")],
)
def test_missing_page_answers_404_in_the_branded_layout_and_passes_axe(
    page: Page, language: str, path: str
) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 404
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("header.site-header .brand")).to_contain_text("Ville de Démo")
    expect(page.locator("footer.site-footer")).to_be_visible()
    if language == "fr":
        expect(page.locator("h1")).to_have_text("Page introuvable")
    assert structure_problems(page, language) == []
    assert_accessible(page)


def test_first_tab_reaches_the_skip_link_which_jumps_to_the_content(page: Page) -> None:
    page.goto("/fr/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    outline_style, outline_width = page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return [style.outlineStyle, style.outlineWidth];
        }"""
    )
    assert outline_style != "none", "the focused skip link has no visible outline"
    assert float(outline_width.removesuffix("px")) >= 2, f"outline only {outline_width} wide"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/#contenu$"))
    expect(page.locator("main#contenu")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), (
        "the Tab after the skip link should reach the content, not the header"
    )


def test_catalogue_search_results_headings_do_not_skip_a_level(page: Page) -> None:
    problems = []
    for path in ("/fr/services/?q=permis", "/en/services/?categorie=permits-and-licences&q=permit"):
        page.goto(path)
        expect(page.locator(".card").first).to_be_visible()
        if found := accessibility_problems(page):
            problems.append(found)
    assert not problems, "\n".join(problems)
