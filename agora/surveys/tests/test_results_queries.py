"""The results page is counted by the database: its number of queries does not grow with the
number of responses, of choices or of other surveys; cached, it needs almost none."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from agora.pages.models import HomePage
from agora.surveys.models import ResultsVisibility, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

# Measured at 19 for these five questions counted afresh: the page's own queries (the survey,
# the site, the questions a breakdown may use, the latest response's id) plus about two a
# question; 7 once counted, the results then come from the cache.
FRESH_PAGE_QUERY_BOUND = 19
CACHED_PAGE_QUERY_BOUND = 7


def survey_with_responses(responses: int, choices: int) -> Survey:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)
    section = SectionFactory.create(survey=survey)
    labels = [f"Choix {n}" for n in range(choices)]
    single = QuestionFactory.create(section=section, choices=labels)
    several = QuestionFactory.create(section=section, kind="multiple_choice", choices=labels)
    rating = QuestionFactory.create(section=section, kind="rating")
    matrix = QuestionFactory.create(section=section, kind="matrix", rows=labels)
    QuestionFactory.create(section=section, kind="long_text")
    values = [choice.value for choice in single.choices.all()]
    rows = [row.value for row in matrix.choices.all()]
    for number in range(responses):
        respond(survey, {
            single: values[number % choices], several: values[: 1 + number % choices],
            rating: 1 + number % 5, matrix: dict.fromkeys(rows, 1 + number % 5),
        })  # fmt: skip
    return survey


@pytest.mark.parametrize(("responses", "choices"), [(1, 2), (25, 8)])
def test_the_results_page_needs_a_bounded_number_of_queries(
    home: HomePage,
    responses: int,
    choices: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    survey = survey_with_responses(responses, choices)
    for _ in range(3):
        SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)
    client = Client()
    client.get(reverse("results:index"))  # warms the menu and the site's root paths
    url = reverse("results:detail", args=[survey.slug])

    with django_assert_max_num_queries(FRESH_PAGE_QUERY_BOUND):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(CACHED_PAGE_QUERY_BOUND):
        assert client.get(url).status_code == 200
