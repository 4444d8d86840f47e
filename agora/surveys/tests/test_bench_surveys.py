"""`manage.py bench_surveys` creates the benchmark's 20-question survey with generated
responses stored as the question types store them, replaces it when run again, writes a
valid POST body of its section, and refuses production."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from agora.surveys.management.commands.bench_surveys import DEFAULT_SLUG
from agora.surveys.models import Answer, Choice, Question, Response, Survey

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def bench(*arguments: str) -> str:
    out = io.StringIO()
    call_command("bench_surveys", "--responses", "50", *arguments, stdout=out)
    return out.getvalue()


def test_it_creates_a_20_question_survey_with_50_responses() -> None:
    output = bench()
    survey = Survey.objects.get(slug=DEFAULT_SLUG)

    assert survey.questions.count() == 20
    assert survey.responses.count() == 50
    assert survey.is_open()
    assert survey.results_are_public()
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds >= {"single_choice", "multiple_choice", "yes_no", "rating", "matrix", "ranking"}
    assert kinds >= {"number", "age_group", "district", "postal_code", "short_text"}
    assert "50 responses" in output


def test_the_answers_follow_the_question_types_storage() -> None:
    bench()
    survey = Survey.objects.get(slug=DEFAULT_SLUG)
    answers = Answer.objects.filter(response__survey=survey)
    matrix = survey.questions.get(kind="matrix")
    ranking = survey.questions.get(kind="ranking")

    assert 20 * 50 <= answers.count() <= 30 * 50
    rows_per_response = answers.filter(question=matrix).values("response").annotate(n=Count("id"))
    assert {row["n"] for row in rows_per_response} == {4}
    assert set(answers.filter(question=ranking).values_list("number", flat=True)) == {1, 2, 3, 4}
    assert not answers.filter(question__kind="single_choice", choice=None).exists()
    assert set(answers.filter(question__kind="yes_no").values_list("number", flat=True)) <= {0, 1}


def test_running_it_again_replaces_the_survey() -> None:
    bench()
    first = Survey.objects.get(slug=DEFAULT_SLUG)

    bench()

    survey = Survey.objects.get(slug=DEFAULT_SLUG)
    assert survey.pk != first.pk
    assert Survey.objects.filter(slug=DEFAULT_SLUG).count() == 1
    assert Question.objects.count() == 20
    assert Response.objects.count() == 50
    assert not Answer.objects.exclude(response__survey=survey).exists()
    assert not Choice.objects.exclude(question__survey=survey).exists()


def test_it_writes_a_complete_post_body_of_the_section(tmp_path: Path) -> None:
    target = tmp_path / "form.json"

    bench("--form-data", str(target))

    data = json.loads(target.read_text())
    names = {name for name, _value in data["fields"]}
    survey = Survey.objects.get(slug=DEFAULT_SLUG)
    assert data["section_path"] == f"/fr/sondages/{DEFAULT_SLUG}/section/1/"
    assert data["results_path"] == f"/fr/resultats/{DEFAULT_SLUG}/"
    assert {
        f"q{pk}"
        for pk in survey.questions.exclude(kind__in=["matrix", "ranking"]).values_list(
            "pk", flat=True
        )
    } <= names
    assert "csrfmiddlewaretoken" not in names


def test_it_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        bench()

    assert not Survey.objects.exists()
