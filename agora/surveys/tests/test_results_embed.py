"""The results other sites embed: a light page of the respondents and charts that any site
may frame, and the code to copy on the results page."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.core.tests.html import find
from agora.pages.models import HomePage
from agora.surveys.models import ResultsVisibility, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey() -> Survey:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE, title_fr="Le parc")
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), choices=["Oui", "Non"]
    )
    respond(survey, {question: "oui"})
    return survey


def test_any_site_may_frame_the_results(client: Client, home: HomePage, survey: Survey) -> None:
    response = client.get(reverse("results:embed", args=[survey.slug]))

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_the_embedded_results_show_the_respondents_and_the_charts(
    client: Client, home: HomePage, survey: Survey
) -> None:
    page = client.get(reverse("results:embed", args=[survey.slug])).content

    assert find(page, "p", class_="results-embedded__respondents").text == "1 répondant"
    assert find(page, "figure", class_="agora-chart") is not None
    link = find(page, "h1").descendants()[0]
    assert link["href"].endswith(reverse("results:detail", args=[survey.slug]))
    assert b"<script" not in page


def test_the_results_page_itself_may_not_be_framed(
    client: Client, home: HomePage, survey: Survey
) -> None:
    response = client.get(reverse("results:detail", args=[survey.slug]))

    assert response["X-Frame-Options"] == "DENY"


def test_the_results_page_gives_the_code_to_embed(
    client: Client, home: HomePage, survey: Survey
) -> None:
    page = client.get(reverse("results:detail", args=[survey.slug])).content

    code = find(page, "textarea", id="code-integration").text
    assert code.startswith('<iframe src="http://testserver/fr/resultats/')
    assert reverse("results:embed", args=[survey.slug]) in code
