"""The trends of a continuous survey: respondents per month or per week, the mean of a rating
and the share of each choice per period, grouped by the database in the city's time zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agora.core.tests.html import find, find_all
from agora.surveys.models import ResultsVisibility, SurveyKind
from agora.surveys.results import MONTH, WEEK, survey_trends
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TORONTO = ZoneInfo("America/Toronto")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TORONTO)


@pytest.fixture
def survey():
    with time_machine.travel(at(2025, 12, 1, 9), tick=False):
        return SurveyFactory(
            kind=SurveyKind.CONTINUOUS, closes_at=None, results_visibility=ResultsVisibility.LIVE
        )


@pytest.fixture
def rating(survey):
    return QuestionFactory(
        section=SectionFactory(survey=survey), kind="rating", label_fr="Votre satisfaction ?"
    )


@pytest.fixture
def choice(rating):
    return QuestionFactory(
        section=rating.section, label_fr="Le service ?", choices=["Rapide", "Lent"]
    )


def spread(survey, rating, choice, when: datetime.datetime, values: list[tuple[int, str]]):
    with time_machine.travel(when, tick=False):
        for stars, speed in values:
            respond(survey, {rating: stars, choice: speed})


@pytest.fixture
def responses(survey, rating, choice):
    spread(survey, rating, choice, at(2026, 1, 5, 10), [(4, "rapide"), (2, "lent")])
    # Late on January 31st in Québec, already February 1st in UTC: still January.
    spread(survey, rating, choice, at(2026, 1, 31, 22), [(3, "rapide")])
    spread(survey, rating, choice, at(2026, 3, 10, 10), [(5, "rapide"), (5, "rapide")])


def test_respondents_and_means_per_month(survey, responses):
    trends = survey_trends(survey, MONTH)

    assert trends.periods == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1),
                              datetime.date(2026, 3, 1)]  # fmt: skip
    assert trends.respondents == [3, 0, 2]
    assert trends.means[0].means == [3.0, None, 5.0]
    shares = trends.choices[0]
    assert shares.labels == ["Rapide", "Lent"]
    assert shares.shares == [[66.7, 33.3], [0.0, 0.0], [100.0, 0.0]]
    assert shares.labels[shares.leading] == "Rapide"


def test_respondents_per_week_start_on_monday(survey, responses):
    trends = survey_trends(survey, WEEK)

    assert trends.periods[0] == datetime.date(2026, 1, 5)
    assert trends.periods[3] == datetime.date(2026, 1, 26)
    assert trends.respondents[0] == 2
    assert trends.respondents[3] == 1
    assert trends.periods[-1] == datetime.date(2026, 3, 9)
    assert trends.respondents[-1] == 2
    assert sum(trends.respondents) == 5


def test_the_page_draws_the_trends_by_month_then_by_week(client, home, survey, responses):
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


def test_a_one_off_survey_has_no_trends(client, home):
    survey = SurveyFactory(results_visibility=ResultsVisibility.LIVE)

    response = client.get(reverse("results:detail", args=[survey.slug]))

    assert b"results-trends" not in response.content
