"""Who may read a survey's results: everyone once they are public (live, or after closing),
only the city's team before that or when they are private, under a "Résultats privés" banner."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.accounts.tests.team_factories import administrator, client_of, resident
from agora.core.tests.html import find
from agora.pages.models import HomePage
from agora.surveys.models import ResultsVisibility, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

PAGES = ("results:detail", "results:embed", "results:og_image")


def survey_with_question(**fields: Any) -> Survey:
    survey = SurveyFactory.create(**fields)
    QuestionFactory.create(section=SectionFactory.create(survey=survey), choices=["Oui", "Non"])
    return survey


def closed() -> dict[str, datetime.datetime]:
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(days=30),
        "closes_at": now - datetime.timedelta(days=1),
    }


@pytest.mark.parametrize("page", PAGES)
def test_live_results_are_public(client: Client, home: HomePage, page: str) -> None:
    survey = survey_with_question(results_visibility=ResultsVisibility.LIVE)

    assert client.get(reverse(page, args=[survey.slug])).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_results_after_closing_are_public_once_the_survey_closed(
    client: Client, home: HomePage, page: str
) -> None:
    survey = survey_with_question(results_visibility=ResultsVisibility.AFTER_CLOSE, **closed())

    assert client.get(reverse(page, args=[survey.slug])).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"results_visibility": ResultsVisibility.AFTER_CLOSE},
        {"results_visibility": ResultsVisibility.PRIVATE, **closed()},
        {"results_visibility": ResultsVisibility.LIVE, "published_at": None},
    ],
    ids=["not-yet-closed", "private", "unpublished"],
)
@pytest.mark.parametrize("page", PAGES)
def test_results_that_are_not_public_are_not_found_for_residents(
    client: Client, home: HomePage, fields: dict[str, Any], page: str
) -> None:
    survey = survey_with_question(**fields)
    url = reverse(page, args=[survey.slug])

    assert client.get(url).status_code == 404
    assert client_of(resident()).get(url).status_code == 404


def test_an_administrator_reads_private_results_under_a_banner(home: HomePage) -> None:
    survey = survey_with_question(results_visibility=ResultsVisibility.PRIVATE)

    response = client_of(administrator()).get(reverse("results:detail", args=[survey.slug]))

    assert response.status_code == 200
    assert "Résultats privés" in find(response.content, "div", class_="results-private").text
    assert "private" in response["Cache-Control"]


def test_an_administrator_reads_results_before_closing(home: HomePage) -> None:
    survey = survey_with_question(results_visibility=ResultsVisibility.AFTER_CLOSE)

    response = client_of(administrator()).get(reverse("results:detail", args=[survey.slug]))

    assert response.status_code == 200


def test_public_results_carry_no_banner(client: Client, home: HomePage) -> None:
    survey = survey_with_question(results_visibility=ResultsVisibility.LIVE)

    response = client.get(reverse("results:detail", args=[survey.slug]))

    assert b"results-private" not in response.content


def test_an_unknown_survey_is_not_found(client: Client, home: HomePage) -> None:
    assert client.get(reverse("results:detail", args=["inconnu"])).status_code == 404


def test_an_unknown_export_format_is_not_found(client: Client, home: HomePage) -> None:
    survey = survey_with_question(results_visibility=ResultsVisibility.LIVE)

    assert client.get(reverse("results:export", args=[survey.slug, "exe"])).status_code == 404
