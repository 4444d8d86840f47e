"""The surveys part of `seed_demo`: a closed one-off survey with 500+ responses and public
results, a continuous survey answered over twelve months, and a survey in the riverside
park's survey phase; generated answers respect the display conditions; built once.

The tests read the demo city seeded once for the module (`demo_city`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth
from wagtail.models import Locale

from agora.ideas.phases import IDEA_BOX
from agora.surveys.demo import (
    ORGANICS_SLUG,
    PARK_SURVEY_SLUG,
    SATISFACTION_SLUG,
    DemoSurveys,
    seed_surveys,
)
from agora.surveys.models import (
    Answer,
    Excerpt,
    Question,
    Response,
    ResponsePolicy,
    ResultsVisibility,
    Survey,
    SurveyKind,
)
from agora.surveys.phases import SURVEY

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def demo(demo_city: Any) -> DemoSurveys:
    """The demo's surveys, as `seed_demo` left them (seeding again only finds them)."""
    return seed_surveys()


def counts() -> dict[str, int]:
    return {
        "surveys": Survey.objects.count(),
        "questions": Question.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "excerpts": Excerpt.objects.count(),
    }


def test_the_closed_survey_has_500_responses_and_public_results(demo: DemoSurveys) -> None:
    survey = demo.organics

    assert survey.slug == ORGANICS_SLUG
    assert survey.kind == SurveyKind.ONE_OFF
    assert survey.response_policy == ResponsePolicy.ONCE
    assert survey.results_visibility == ResultsVisibility.AFTER_CLOSE
    assert survey.is_published
    assert survey.has_closed()
    assert survey.results_are_public()
    assert survey in Survey.objects.with_public_results()
    assert survey.responses.count() >= 500
    assert survey.sections.count() == 4
    assert 10 <= survey.questions.count() <= 12
    assert survey.themes.filter(slug="environnement").exists()
    assert survey.opens_at is not None
    assert survey.closes_at is not None
    submitted = survey.responses.values_list("submitted_at", flat=True)
    assert all(survey.opens_at <= when < survey.closes_at for when in submitted)


def test_the_closed_survey_covers_every_kind_of_question(demo: DemoSurveys) -> None:
    kinds = set(demo.organics.questions.values_list("kind", flat=True))

    assert kinds >= {
        "single_choice",
        "multiple_choice",
        "yes_no",
        "rating",
        "matrix",
        "ranking",
        "long_text",
        "age_group",
        "district",
        "postal_code",
    }
    assert all(q.label_fr and q.label_en for q in demo.organics.questions.all())


def test_the_closed_survey_publishes_three_excerpts_of_open_answers(demo: DemoSurveys) -> None:
    excerpts = Excerpt.objects.filter(question__survey=demo.organics)

    assert excerpts.count() == 3
    assert all(excerpt.answer.text.startswith(excerpt.text[:20]) for excerpt in excerpts)


def test_answers_respect_the_display_condition(demo: DemoSurveys) -> None:
    follow_up = demo.organics.questions.get(condition_question__isnull=False)
    condition = follow_up.condition_question
    answered_no = Answer.objects.filter(question=condition, number=0).values("response_id")
    follow_ups = Answer.objects.filter(question=follow_up)

    assert follow_up.condition_value == "non"
    assert follow_ups.exists()
    assert not follow_ups.exclude(response_id__in=answered_no).exists()


def test_answers_are_stored_as_the_question_types_store_them(demo: DemoSurveys) -> None:
    questions = {q.kind: q for q in demo.organics.questions.all()}
    answers = Answer.objects.filter(response__survey=demo.organics)

    matrix_rows = answers.filter(question=questions["matrix"]).values("response_id")
    per_response = matrix_rows.annotate(n=Count("id")).values_list("n", flat=True)
    assert set(per_response) == {4}
    ranks = answers.filter(question=questions["ranking"]).values_list("number", flat=True)
    assert set(ranks) == {1, 2, 3, 4}
    assert set(answers.filter(question=questions["yes_no"]).values_list("number", flat=True)) == {
        0,
        1,
    }
    stars = set(answers.filter(question=questions["rating"]).values_list("number", flat=True))
    assert stars <= {1, 2, 3, 4, 5}
    prefixes = answers.filter(question=questions["postal_code"]).values_list("text", flat=True)
    assert all(len(p) == 3 and p == p.upper() for p in prefixes)
    chosen = answers.filter(question=questions["multiple_choice"]).values("response_id")
    assert max(chosen.annotate(n=Count("id")).values_list("n", flat=True)) <= 3
    assert not answers.filter(
        question__kind__in=["single_choice", "district"], choice=None
    ).exists()


def test_the_continuous_survey_was_answered_every_month_for_a_year(demo: DemoSurveys) -> None:
    survey = demo.satisfaction
    per_month = (
        survey.responses.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )

    assert survey.slug == SATISFACTION_SLUG
    assert survey.kind == SurveyKind.CONTINUOUS
    assert survey.response_policy == ResponsePolicy.DAILY
    assert survey.results_visibility == ResultsVisibility.LIVE
    assert survey.closes_at is None
    assert survey.is_open()
    assert survey.results_are_public()
    assert len(per_month) == 12
    assert all(20 <= n <= 60 for n in per_month)
    assert {q.kind for q in survey.questions.all()} >= {
        "rating",
        "yes_no",
        "single_choice",
        "district",
    }


def test_the_project_survey_belongs_to_the_open_survey_phase(demo: DemoSurveys) -> None:
    survey = demo.park
    assert survey is not None
    project = survey.project
    assert project is not None
    english = project.get_translation(Locale.objects.get(language_code="en")).specific

    assert survey is not None
    assert survey.slug == PARK_SURVEY_SLUG
    assert survey.project == project
    assert survey.phase is not None
    assert survey.phase.project_id == project.pk
    assert survey.phase.method == SURVEY
    assert survey.phase.is_open()
    assert survey.is_open()
    assert survey.results_are_public()
    assert 30 <= survey.responses.count() <= 50
    assert english.phases.filter(
        translation_key=survey.phase.translation_key, method=SURVEY
    ).exists()
    current = project.current_phase()
    assert current is not None
    assert current.method == IDEA_BOX


def test_every_survey_is_bilingual(demo: DemoSurveys) -> None:
    for survey in Survey.objects.all():
        assert survey.title_en
        assert survey.title_fr != survey.title_en
        assert survey.summary_en
        assert all(s.title_fr and s.title_en for s in survey.sections.all())


def test_seeding_again_duplicates_nothing(demo: DemoSurveys) -> None:
    assert demo.park is not None
    project = demo.park.project
    assert project is not None
    before = counts()
    phases = project.phases.count()

    seed_surveys()

    assert counts() == before
    assert project.phases.count() == phases
