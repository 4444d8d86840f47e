"""The public results page says which choice labels changed after the first response, when,
and what they read before: under the question, "Libellé corrigé le 7 décembre 2026
(auparavant : « … »)" for a correction, "Libellé modifié le …" for a change of meaning, in the
reader's language. A change made in the builder shows at once, though the page and the
results are cached, and costs one query at most when the results are counted."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from agora.accounts.tests.team_factories import client_of
from agora.core.tests.html import find, find_all
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import in_department, manager_of, moderator_of
from agora.surveys.models import ChoiceLabelCorrection, Question, ResultsVisibility, Survey
from agora.surveys.tests.factories import SurveyFactory, respond
from agora.surveys.tests.test_choice_label_changes import bench_question, choices_of, question_form
from agora.surveys.tests.test_results_queries import (
    CACHED_PAGE_QUERY_BOUND,
    FRESH_PAGE_QUERY_BOUND,
    survey_with_responses,
)

pytestmark = pytest.mark.django_db

CLOCK = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def survey(project: ProjectPage) -> Survey:
    in_department(project)
    survey: Survey = SurveyFactory.create(
        project=project, results_visibility=ResultsVisibility.LIVE
    )
    return survey


@pytest.fixture
def question(survey: Survey) -> Question:
    """« Pres de leau » (“Near the watter”), answered three times."""
    question = bench_question(survey, labels=("Pres de leau", "À l'entrée du parc"))
    water = choices_of(question)[0]
    water.label_en = "Near the watter"
    water.save(update_fields=["label_en"])
    for _ in range(3):
        respond(survey, {question: water.value})
    return question


def results_url(survey: Survey, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("results:detail", args=[survey.slug])


def notes(page: bytes, question: Question) -> list[str]:
    section = find(page, "section", aria_labelledby=f"question-{question.pk}")
    return [
        item.text
        for list_ in find_all(section, "ul", class_="results-label-notes")
        for item in find_all(list_, "li")
    ]


def corrected(client: Client, question: Question, *labels: tuple[str, str]) -> None:
    response = client.post(
        f"/gestion/sondages/{question.survey_id}/questions/{question.pk}/",
        question_form(question, list(labels)),
    )
    assert response.status_code == 302


def test_a_corrected_label_is_shown_under_its_question_with_its_date_and_former_text(
    home: HomePage, project: ProjectPage, question: Question
) -> None:
    corrected(
        client_of(moderator_of(project)),
        question,
        ("Près de l'eau", "Near the water"),
        ("À l'entrée du parc", "At the park entrance"),
    )

    page = Client().get(results_url(question.survey)).content

    assert notes(page, question) == [
        "Près de l'eau — Libellé corrigé le 7 décembre 2026 (auparavant : « Pres de leau »)"
    ]


def test_the_english_page_shows_the_english_label_and_its_correction(
    english_home: HomePage, project: ProjectPage, question: Question
) -> None:
    """Needs the English catalogue's translations of the note (issue 12, item 2)."""
    corrected(
        client_of(moderator_of(project)),
        question,
        ("Près de l'eau", "Near the water"),
        ("À l'entrée du parc", "At the park entrance"),
    )

    page = Client().get(results_url(question.survey, "en")).content

    assert notes(page, question) == [
        "Near the water — Label corrected on December 7, 2026 (previously: “Near the watter”)"
    ]


def test_a_change_of_meaning_made_with_the_publishing_right_says_so(
    home: HomePage, project: ProjectPage, question: Question
) -> None:
    corrected(
        client_of(manager_of(project)),
        question,
        ("Au bord de la rivière", "By the river"),
        ("À l'entrée du parc", "At the park entrance"),
    )

    page = Client().get(results_url(question.survey)).content

    assert notes(page, question) == [
        "Au bord de la rivière — Libellé modifié le 7 décembre 2026 (auparavant : « Pres de leau »)"
    ]


def test_a_correction_renews_the_cached_page_and_results_at_once(
    home: HomePage,
    project: ProjectPage,
    question: Question,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    reader, url = Client(), results_url(question.survey)
    reader.get(url)  # the city's branding settings are created on the first visit
    assert notes(reader.get(url).content, question) == []
    assert reader.get(url)["X-Agora-Cache"] == "hit"

    later = CLOCK + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        corrected(
            client_of(moderator_of(project)),
            question,
            ("Près de l'eau", "Near the water"),
            ("À l'entrée du parc", "At the park entrance"),
        )

    assert notes(reader.get(url).content, question) == [
        "Près de l'eau — Libellé corrigé le 7 décembre 2026 (auparavant : « Pres de leau »)"
    ]


def test_the_notes_cost_one_query_when_the_results_are_counted_and_none_from_the_cache(
    home: HomePage, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    survey = survey_with_responses(responses=3, choices=4)
    labelled = [question for question in survey.questions.all() if question.choices.exists()]
    for question in labelled:
        for choice in question.choices.all():
            ChoiceLabelCorrection.objects.create(
                choice=choice, language="fr", label_before="Choix", label_after=choice.label_fr
            )
    client = Client()
    client.get(reverse("results:index"))  # warms the menu and the site's root paths
    url = results_url(survey)

    with django_assert_max_num_queries(FRESH_PAGE_QUERY_BOUND + 1):
        page = client.get(url).content
    with django_assert_max_num_queries(CACHED_PAGE_QUERY_BOUND):
        assert client.get(url).content == page
    for question in labelled:
        assert len(notes(page, question)) == question.choices.count()
