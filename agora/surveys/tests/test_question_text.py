"""Short text, long text and date questions: answers round-trip from the form to the counts;
open text is published only as excerpts staff chose; too long a text or a date out of
bounds is refused with a clear message."""

import datetime

import pytest
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from agora.surveys.models import Answer, Excerpt
from agora.surveys.questions.common import PublishedExcerpt
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond
from agora.surveys.tests.question_helpers import (
    assert_results_queries_stay_few,
    errors_of,
    form_for,
    results_of,
    session_value,
    tallies,
    written,
)

pytestmark = pytest.mark.django_db


# Text ------------------------------------------------------------------------------------


def test_a_short_text_is_stored_and_shown_only_as_published_excerpts() -> None:
    question = QuestionFactory.create(kind="short_text")
    value = session_value(question, {"": "  Plus de bancs  "})
    respond(question.survey, {question: value})
    respond(question.survey, {question: session_value(question, {"": "De l'ombre"})})

    results = results_of(question)

    assert value == "Plus de bancs"
    assert Answer.objects.filter(text="Plus de bancs").exists()
    assert results.answered == 2
    assert results.tallies == []
    assert results.excerpts == []
    answer = Answer.objects.get(text="De l'ombre")
    Excerpt.objects.create(question=question, answer=answer, text="De l'ombre")
    assert results_of(question).excerpts == [PublishedExcerpt("De l'ombre", language="fr")]


def test_a_short_text_is_limited_to_200_characters_by_default() -> None:
    question = QuestionFactory.create(kind="short_text")

    assert errors_of(question, {"": "x" * 201}) == [
        "Votre réponse compte 201 caractères; elle peut en compter 200 au plus."
    ]
    assert 'maxlength="200"' in str(form_for(question)[question.field_name])


def test_a_long_text_is_a_text_area_of_2000_characters_by_default() -> None:
    question = QuestionFactory.create(kind="long_text")

    assert "<textarea" in str(form_for(question)[question.field_name])
    assert session_value(question, {"": "x" * 2000}) == "x" * 2000
    assert errors_of(question, {"": "x" * 2001}) == [
        "Votre réponse compte 2001 caractères; elle peut en compter 2000 au plus."
    ]


def test_staff_may_set_a_shorter_limit() -> None:
    question = QuestionFactory.create(kind="long_text", settings={"max_length": 10})

    assert errors_of(question, {"": "x" * 11}) == [
        "Votre réponse compte 11 caractères; elle peut en compter 10 au plus."
    ]


def test_a_required_text_of_spaces_is_refused() -> None:
    question = QuestionFactory.create(kind="short_text", required=True)

    assert errors_of(question, {"": "   "}) == ["Répondez à cette question."]


def test_text_export_gives_the_text() -> None:
    question = QuestionFactory.create(kind="long_text")
    response = respond(question.survey, {question: "Merci"})

    assert question.type.export_cells(question, list(response.answers.all())) == ["Merci"]


# Date ------------------------------------------------------------------------------------


def test_a_date_round_trips_and_is_counted_by_month() -> None:
    question = QuestionFactory.create(kind="date")
    for typed in ("2025-06-24", "30/06/2025", "2025-07-01"):
        respond(question.survey, {question: session_value(question, {"": typed})})

    results = results_of(question)

    assert list(Answer.objects.order_by("date").values_list("date", flat=True)) == [
        datetime.date(2025, 6, 24),
        datetime.date(2025, 6, 30),
        datetime.date(2025, 7, 1),
    ]
    assert results.answered == 3
    assert tallies(results) == {"juin 2025": 2, "juillet 2025": 1}


def test_month_labels_follow_the_language() -> None:
    question = QuestionFactory.create(kind="date")
    respond(question.survey, {question: "2025-06-24"})

    with translation.override("en"):
        assert tallies(results_of(question)) == {"June 2025": 1}


def test_a_date_out_of_bounds_is_refused() -> None:
    question = QuestionFactory.create(
        kind="date", settings={"earliest": "2025-01-01", "latest": "2025-12-31"}
    )

    assert errors_of(question, {"": "2024-12-31"}) == [
        "Choisissez une date à partir du 1 janvier 2025."
    ]
    assert errors_of(question, {"": "2026-01-01"}) == [
        "Choisissez une date jusqu'au 31 décembre 2025 au plus tard."
    ]
    html = str(form_for(question)[question.field_name])
    assert 'min="2025-01-01"' in html
    assert 'max="2025-12-31"' in html


def test_a_date_that_does_not_exist_is_refused() -> None:
    question = QuestionFactory.create(kind="date")

    assert errors_of(question, {"": "2025-02-30"}) == [
        "Entrez une date valide, par exemple 2025-06-24."
    ]


def test_date_settings_are_kept_as_iso_text() -> None:
    from agora.surveys.questions import question_type

    field = question_type("date").settings_fields()["earliest"]

    assert field.clean("2025-03-01") == "2025-03-01"
    assert field.clean("") == ""


@pytest.mark.parametrize(("kind", "value"), [("short_text", "Oui"), ("date", "2025-06-24")])
def test_results_take_the_same_few_queries_whatever_the_number_of_responses(
    kind: str, value: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = QuestionFactory.create(kind=kind, section__survey=survey)
    assert_results_queries_stay_few(
        question, value, at_most=3, max_num_queries=django_assert_max_num_queries
    )


def test_a_refused_text_writes_nothing() -> None:
    question = QuestionFactory.create(kind="short_text", settings={"max_length": 5})

    assert not form_for(question, {"": "trop long"}).is_valid()
    assert written() == {"responses": 0, "answers": 0}
