"""The riverside park's survey end to end, as a resident without an account: from the project
page to the introduction, two sections whose second one asks where to park a bike only after
"Oui" to the bike question, the error summary of a page sent empty, "Précédent" keeping the
answers, the answers checked and sent, the thank-you page, the public results counting the
new response, and no second response (the survey's "once" policy), not even by sending the
last step's form again. The same journey works with JavaScript turned off; every page seen
passes axe, the error state included."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

from agora.surveys.demo import PARK_SURVEY_SLUG
from tests.browser.support import assert_accessible, structure_problems

pytestmark = pytest.mark.browser


def address(language: str, name: str, **kwargs: int) -> str:
    """The park survey's page `name` in `language`, as the server's URLconf spells it (the
    English addresses follow the translations)."""
    with translation.override(language):
        return reverse(name, kwargs={"slug": PARK_SURVEY_SLUG, **kwargs})


PROJECTS = "/fr/projets/"
PROJECT = "/fr/projets/parc-riverain/"
ENGLISH_PROJECT = "/en/projects/riverside-park/"
SURVEY_TITLE = "L'accès à l'eau au parc riverain"
ENGLISH_TITLE = "Access to the water at the riverside park"
INTRODUCTION = address("fr", "surveys:detail")
THANKS = address("fr", "surveys:thanks")
RESULTS = address("fr", "results:detail")
FIRST_SECTION = address("fr", "surveys:section", number=1)
ENGLISH_INTRODUCTION = address("en", "surveys:detail")
ENGLISH_RESULTS = address("en", "results:detail")

ACCESS = "Quel accès à l'eau préférez-vous?"
WHEN = "Quand iriez-vous au parc?"
BIKE = "Iriez-vous au parc à vélo?"
PARKING = "Où aimeriez-vous garer votre vélo?"
LIGHTING = "Quelle importance accordez-vous à l'éclairage du sentier?"
DISTRICT = "Dans quel quartier habitez-vous?"
REQUIRED = (ACCESS, BIKE)
CHOSEN_ACCESS = "Une petite plage"
CHOSEN_PARKING = "Près de l'eau"
ALREADY_ANSWERED = "Vous avez déjà répondu à ce sondage"

type Check = Callable[[Page], None]


@dataclass(frozen=True)
class Counts:
    """What the public results page says: respondents, and the resident's chosen answers
    (the parking one is asked only after "Oui" to the bike question)."""

    respondents: int
    chosen_access: int
    chosen_parking: int

    def plus_one(self) -> "Counts":
        return Counts(self.respondents + 1, self.chosen_access + 1, self.chosen_parking + 1)


def number_in(text: str) -> int:
    """A count as the page writes it ("1 234", with a narrow no-break space in French)."""
    digits = re.sub(r"\D", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def question_block(page: Page, label: str) -> Locator:
    """A question of a section page: its fieldset, or the field holding its label."""
    fieldset = page.locator("main form fieldset").filter(has=page.locator("legend", has_text=label))
    field = page.locator("main form .field").filter(has=page.locator("label", has_text=label))
    return fieldset.or_(field).first


def count_in_table(page: Page, question: str, answer: str) -> int:
    """An answer's count in the data table of its question's chart (folded under "Voir les
    données": its text is there, unseen until the reader opens it)."""
    results = page.locator("main section.results-question").filter(
        has=page.get_by_role("heading", name=question, exact=True)
    )
    row = results.locator("table.agora-chart__table tbody tr").filter(
        has=page.locator("th", has_text=answer)
    )
    expect(row).to_have_count(1)
    return number_in(row.locator("td").first.text_content() or "")


def results_counts(page: Page) -> Counts:
    """The public results page's counts (read on the page the browser is on)."""
    return Counts(
        respondents=number_in(page.locator("main .results-facts__respondents").inner_text()),
        chosen_access=count_in_table(page, ACCESS, CHOSEN_ACCESS),
        chosen_parking=count_in_table(page, PARKING, CHOSEN_PARKING),
    )


# The results promise to count a response within STALE_SECONDS (20) plus one computation
# when computing them is slow (surveys/results.py), as it can be on a busy machine.
RESULTS_PROMISE_SECONDS = 30


def counts_once_they_count(page: Page, expected: Counts) -> Counts:
    """The results page's counts, reloaded until they are `expected` or the results' promise
    has passed."""
    deadline = time.monotonic() + RESULTS_PROMISE_SECONDS
    counts = results_counts(page)
    while counts != expected and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        page.reload()
        counts = results_counts(page)
    return counts


def read_results(page: Page, check: Check) -> Counts:
    page.goto(RESULTS)
    expect(page.locator("h1")).to_have_text(SURVEY_TITLE)
    check(page)
    return results_counts(page)


def open_the_survey_from_the_project(page: Page, check: Check) -> str:
    """From the projects index to the riverside park, then its survey's introduction;
    returns the introduction's address."""
    page.goto(PROJECTS)
    check(page)
    page.locator(f"main a[href='{PROJECT}']").first.click()
    expect(page.locator("h1")).to_contain_text("parc riverain")
    check(page)
    page.locator(f"main a[href='{INTRODUCTION}']").first.click()
    expect(page).to_have_url(re.compile(rf"{INTRODUCTION}$"))
    expect(page.locator("h1")).to_have_text(SURVEY_TITLE)
    expect(page.locator("main")).to_contain_text("Une réponse par personne")
    assert structure_problems(page, "fr") == []
    check(page)
    return page.url


def submit_empty_first_section(page: Page, check: Check) -> None:
    """Sent with nothing answered ("Suivant"): the page comes back with an error summary,
    focused, that names each required question and links to its first input."""
    expect(page.locator("main .survey-progress")).to_contain_text("Section 1 sur 2")
    page.get_by_role("button", name="Suivant").click()
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # `autofocus`: no script needed
    expect(page).to_have_title(re.compile(r"^Erreur"))
    links = summary.locator("a[href^='#']")
    expect(links).to_have_count(len(REQUIRED))
    for link, label in zip(links.all(), REQUIRED, strict=True):
        expect(link).to_contain_text(label)
        target_id = (link.get_attribute("href") or "#")[1:]
        # The link leads to an input of that very question, which says what is wrong.
        block = question_block(page, label)
        expect(block.locator(f"input[id='{target_id}']")).to_have_count(1)
        expect(block).to_have_class(re.compile(r"\bfield--invalid\b"))
    # Following a link of the summary moves the focus to the question's first input.
    first = links.first
    target_id = (first.get_attribute("href") or "#")[1:]
    first.click()
    expect(page).to_have_url(re.compile(rf"#{re.escape(target_id)}$"))
    expect(page.locator(f"[id='{target_id}']")).to_be_focused()
    expect(page.locator(f"[id='{target_id}']")).to_be_in_viewport()
    check(page)


def answer_first_section(page: Page, bike: str) -> None:
    question_block(page, ACCESS).get_by_label(CHOSEN_ACCESS).check()
    question_block(page, WHEN).get_by_label("Les fins de semaine").check()
    question_block(page, BIKE).get_by_label(bike, exact=True).check()
    page.get_by_role("button", name="Suivant").click()


def expect_second_section(page: Page, *, asks_parking: bool) -> None:
    expect(page.locator("main .survey-progress")).to_contain_text("Section 2 sur 2")
    expect(page.locator("main .error-summary")).to_have_count(0)
    expect(question_block(page, LIGHTING)).to_be_visible()
    expect(question_block(page, DISTRICT)).to_be_visible()
    parking = page.locator("main form").get_by_text(PARKING)
    if asks_parking:
        expect(parking).to_be_visible()
    else:
        expect(parking).to_have_count(0)


def walk_through_the_survey(page: Page, check: Check) -> None:
    """From the introduction to the page that checks the answers before sending."""
    page.get_by_role("link", name="Commencer").click()
    expect(page.locator("h1")).to_be_visible()
    check(page)
    submit_empty_first_section(page, check)

    answer_first_section(page, "Non")
    expect_second_section(page, asks_parking=False)
    check(page)

    page.get_by_role("button", name="Précédent").click()
    expect(page.locator("main .survey-progress")).to_contain_text("Section 1 sur 2")
    expect(question_block(page, ACCESS).get_by_label(CHOSEN_ACCESS)).to_be_checked()
    expect(question_block(page, WHEN).get_by_label("Les fins de semaine")).to_be_checked()
    expect(question_block(page, BIKE).get_by_label("Non", exact=True)).to_be_checked()
    check(page)

    answer_first_section(page, "Oui")
    expect_second_section(page, asks_parking=True)
    check(page)
    question_block(page, PARKING).get_by_label(CHOSEN_PARKING).check()
    question_block(page, LIGHTING).locator("input[value='4']").check()
    district = question_block(page, DISTRICT)
    if district.locator("select").count():
        district.locator("select").select_option(label="Les Berges")
    else:
        district.get_by_label("Les Berges").check()
    page.get_by_role("button", name="Vérifier mes réponses").click()

    expect(page.locator("h1")).to_have_text("Vérifier et envoyer")
    review = page.locator("main")
    for words in (CHOSEN_ACCESS, "Les fins de semaine", "Oui", CHOSEN_PARKING, "Les Berges"):
        expect(review).to_contain_text(words)
    expect(review).to_contain_text(PARKING)
    check(page)


def send_and_try_again(context: BrowserContext, page: Page, check: Check) -> None:
    """Sends the answers, then the same last step again from a second tab opened before
    sending (a resubmission): refused. Then follows the thank-you page to the results."""
    again = context.new_page()
    again.goto(page.url)
    expect(again.locator("h1")).to_have_text("Vérifier et envoyer")

    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("h1")).to_have_text("Réponses envoyées")
    expect(page).to_have_url(re.compile(rf"{THANKS}$"))
    results_link = page.locator("main a", has_text="Voir les résultats")
    expect(results_link).to_have_attribute("href", RESULTS)
    check(page)

    with again.expect_response(lambda answer: answer.request.method == "POST") as posted:
        again.get_by_role("button", name="Envoyer mes réponses").click()
    refusal: Response = posted.value
    assert refusal.status == 409, f"a second response answered {refusal.status}"
    expect(again.locator("h1")).to_have_text("Réponse impossible")
    expect(again.locator("main")).to_contain_text(ALREADY_ANSWERED)
    check(again)
    again.close()
    results_link.click()
    expect(page).to_have_url(re.compile(rf"{RESULTS}$"))


def cannot_answer_twice(page: Page, introduction: str, check: Check) -> None:
    """Back at the survey's address: the introduction says so and offers no way in; the
    section's address refuses too."""
    page.goto(introduction)
    expect(page.locator("main")).to_contain_text(ALREADY_ANSWERED)
    expect(page.get_by_role("link", name="Commencer")).to_have_count(0)
    check(page)
    page.goto(FIRST_SECTION)
    expect(page.locator("h1")).to_have_text("Réponse impossible")
    expect(page.locator("main")).to_contain_text(ALREADY_ANSWERED)
    expect(page.locator("main form[method='post']")).to_have_count(0)
    check(page)


def the_journey(context: BrowserContext, check: Check) -> None:
    page = context.new_page()
    # The demo's database is shared by the session's tests: counts are relative.
    before = read_results(page, check)
    introduction = open_the_survey_from_the_project(page, check)
    walk_through_the_survey(page, check)
    send_and_try_again(context, page, check)
    expect(page.locator("h1")).to_have_text(SURVEY_TITLE)
    after = counts_once_they_count(page, before.plus_one())
    check(page)
    assert after == before.plus_one(), f"before the response: {before}; after: {after}"
    cannot_answer_twice(page, introduction, check)


def test_a_resident_answers_the_park_survey_once_and_finds_the_counts(
    new_context: Callable[..., BrowserContext],
) -> None:
    the_journey(new_context(), assert_accessible)


def test_the_same_journey_works_without_javascript(
    new_context: Callable[..., BrowserContext],
) -> None:
    """Axe needs JavaScript: each page, exactly as the JavaScript-less browser received it
    (its error state included, which no other visitor could load), is served again to a
    JavaScript-enabled browser and checked there."""
    checker = new_context().new_page()

    def check(page: Page) -> None:
        html, url = page.content(), page.url.split("#")[0]

        def same_url(address: str) -> bool:
            return address.split("#")[0] == url

        checker.route(
            same_url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        try:
            checker.goto(url)
        finally:
            checker.unroute(same_url)
        assert_accessible(checker)

    the_journey(new_context(java_script_enabled=False), check)


@pytest.mark.parametrize(
    ("language", "path", "title"),
    [
        ("fr", INTRODUCTION, SURVEY_TITLE),
        ("en", ENGLISH_INTRODUCTION, ENGLISH_TITLE),
        ("fr", RESULTS, SURVEY_TITLE),
        ("en", ENGLISH_RESULTS, ENGLISH_TITLE),
    ],
)
def test_the_introduction_and_the_results_pass_axe_in_both_languages(
    page: Page, language: str, path: str, title: str
) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(title)
    assert structure_problems(page, language) == []
    assert_accessible(page)


def test_the_english_project_page_leads_to_the_survey_and_its_results(page: Page) -> None:
    page.goto(ENGLISH_PROJECT)
    page.locator(f"main a[href='{ENGLISH_INTRODUCTION}']").first.click()
    expect(page).to_have_url(re.compile(rf"{ENGLISH_INTRODUCTION}$"))
    expect(page.locator("h1")).to_have_text(ENGLISH_TITLE)
    expect(page.locator("main")).to_contain_text("Alongside the idea box")
    assert structure_problems(page, "en") == []
    assert_accessible(page)
    page.goto(ENGLISH_PROJECT)
    page.locator(f"main a[href='{ENGLISH_RESULTS}']").first.click()
    expect(page.locator("h1")).to_have_text(ENGLISH_TITLE)
    assert structure_problems(page, "en") == []
    assert_accessible(page)
