"""The trends of a continuous survey: respondents per month or per week, the mean of a rating
and the share of each choice per period, grouped by the database in the city's time zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agora.core.tests.html import find, find_all
from agora.pages.models import HomePage
from agora.surveys.models import Question, ResultsVisibility, Survey, SurveyKind
from agora.surveys.results import MONTH, WEEK, survey_trends
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TORONTO = ZoneInfo("America/Toronto")


def at(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=TORONTO)


@pytest.fixture
def survey() -> Survey:
    with time_machine.travel(at(2025, 12, 1, 9), tick=False):
        return SurveyFactory.create(
            kind=SurveyKind.CONTINUOUS, closes_at=None, results_visibility=ResultsVisibility.LIVE
        )


@pytest.fixture
def rating(survey: Survey) -> Question:
    return QuestionFactory.create(
        section=SectionFactory.create(survey=survey), kind="rating", label_fr="Votre satisfaction ?"
    )


@pytest.fixture
def choice(rating: Question) -> Question:
    return QuestionFactory.create(
        section=rating.section, label_fr="Le service ?", choices=["Rapide", "Lent"]
    )


def spread(
    survey: Survey,
    rating: Question,
    choice: Question,
    when: datetime.datetime,
    values: list[tuple[int, str]],
) -> None:
    with time_machine.travel(when, tick=False):
        for stars, speed in values:
            respond(survey, {rating: stars, choice: speed})


@pytest.fixture
def responses(survey: Survey, rating: Question, choice: Question) -> None:
    spread(survey, rating, choice, at(2026, 1, 5, 10), [(4, "rapide"), (2, "lent")])
    # Late on January 31st in Québec, already February 1st in UTC: still January.
    spread(survey, rating, choice, at(2026, 1, 31, 22), [(3, "rapide")])
    spread(survey, rating, choice, at(2026, 3, 10, 10), [(5, "rapide"), (5, "rapide")])


def test_respondents_and_means_per_month(survey: Survey, responses: None) -> None:
    trends = survey_trends(survey, MONTH)

    assert trends.periods == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1),
                              datetime.date(2026, 3, 1)]  # fmt: skip
    assert trends.respondents == [3, 0, 2]
    assert trends.means[0].means == [3.0, None, 5.0]
    shares = trends.choices[0]
    assert shares.labels == ["Rapide", "Lent"]
    assert shares.shares == [[66.7, 33.3], [0.0, 0.0], [100.0, 0.0]]
    assert shares.leading is not None
    assert shares.labels[shares.leading] == "Rapide"


def test_respondents_per_week_start_on_monday(survey: Survey, responses: None) -> None:
    trends = survey_trends(survey, WEEK)

    assert trends.periods[0] == datetime.date(2026, 1, 5)
    assert trends.periods[3] == datetime.date(2026, 1, 26)
    assert trends.respondents[0] == 2
    assert trends.respondents[3] == 1
    assert trends.periods[-1] == datetime.date(2026, 3, 9)
    assert trends.respondents[-1] == 2
    assert sum(trends.respondents) == 5


def test_the_page_draws_the_trends_by_month_then_by_week(
    client: Client, home: HomePage, survey: Survey, responses: None
) -> None:
    url = reverse("results:detail", args=[survey.slug])

    monthly = find(client.get(url).content, "section", class_="results-trends")
    weekly = find(
        client.get(url, {"periode": "semaine"}).content, "section", class_="results-trends"
    )

    figure = find_all(monthly, "figure")[0]
    assert find(figure, "figcaption").text == "Répondants par mois"
    assert [c.text for c in find_all(find(figure, "tbody"), "td")] == ["3", "0", "2"]
    assert find(find_all(weekly, "figure")[0], "figcaption").text == "Répondants par semaine"
    assert find(weekly, "span", aria_current="true").text == "Par semaine"
    captions = [caption.text for caption in find_all(monthly, "figcaption")]
    assert "Moyenne par période : Votre satisfaction ?" in captions
    assert any(caption.startswith("Part de « Rapide »") for caption in captions)


def test_a_one_off_survey_has_no_trends(client: Client, home: HomePage) -> None:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)

    response = client.get(reverse("results:detail", args=[survey.slug]))

    assert b"results-trends" not in response.content


def test_the_time_axis_names_the_periods_in_short(
    client: Client, home: HomePage, survey: Survey, responses: None
) -> None:
    url = reverse("results:detail", args=[survey.slug])

    figure = find_all(find(client.get(url).content, "section", class_="results-trends"), "figure")[
        0
    ]

    texts = [find(tick, "text") for tick in find_all(figure, "g", class_="agora-chart__tick")]
    lines = [
        [text.children[0], *(tspan.text for tspan in find_all(text, "tspan"))] for text in texts
    ]
    assert lines == [["jan.", "2026"], ["fév."], ["mars", "2026"]]  # the year below the ends
    rows = [find(row, "th").text for row in find_all(find(figure, "tbody"), "tr")]
    assert rows == ["janvier 2026", "février 2026", "mars 2026"]


def test_a_yes_no_trend_is_the_share_of_oui_in_percent(
    client: Client, home: HomePage, survey: Survey
) -> None:
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), kind="yes_no", label_fr="Obtenu ?"
    )
    with time_machine.travel(at(2026, 1, 5, 10), tick=False):
        for answer in ["oui", "oui", "non"]:
            respond(survey, {question: answer})
    with time_machine.travel(at(2026, 2, 9, 10), tick=False):
        respond(survey, {question: "oui"})
    url = reverse("results:detail", args=[survey.slug])

    section = find(client.get(url).content, "section", class_="results-trends")

    figure = next(
        figure
        for figure in find_all(section, "figure")
        if find(figure, "figcaption").text == "Part de « Oui » par période : Obtenu ?"
    )
    assert [th.text for th in find_all(find(figure, "thead"), "th")] == ["Mois", "% de « Oui »"]
    assert [td.text for td in find_all(find(figure, "tbody"), "td")] == ["67 %", "100 %"]
    top = find_all(find(figure, "svg", class_="agora-chart__picture"), "text")[0]
    assert top.text == "100 %"
    assert "0,67" not in figure.text
    assert "Moyenne par période : Obtenu ?" not in section.text
