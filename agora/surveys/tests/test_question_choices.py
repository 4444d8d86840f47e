"""Single choice, multiple choice and yes/no questions: a valid answer goes from the form to
the session, to the database and into the counts; what a tampered form sends is refused
with a clear message, and nothing is written."""

from typing import Any

import pytest
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from agora.surveys.models import Answer, ConditionOperator, Excerpt, Question
from agora.surveys.questions.choices import OTHER
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


def single(**kwargs: Any) -> Question:
    return QuestionFactory.create(
        kind="single_choice", choices=["Vélo", "Autobus", "Auto"], **kwargs
    )


# Single choice ---------------------------------------------------------------------------


def test_a_single_choice_answer_is_stored_and_counted() -> None:
    question = single()
    value = session_value(question, {"": "velo"})

    respond(question.survey, {question: value})
    respond(question.survey, {question: session_value(question, {"": "auto"})})
    respond(question.survey, {question: session_value(question, {"": "velo"})})

    assert value == "velo"
    results = results_of(question)
    assert results.answered == 3
    assert tallies(results) == {"Vélo": 2, "Autobus": 0, "Auto": 1}
    assert results.tallies[0].percent == 66.7


def test_a_single_choice_value_not_offered_is_refused() -> None:
    question = single(required=True)

    assert errors_of(question, {"": "trottinette"}) == [
        "Choisissez une réponse parmi celles proposées."
    ]


def test_a_hidden_choice_is_no_longer_offered_but_its_answers_still_count() -> None:
    question = single()
    respond(question.survey, {question: "auto"})
    question.choices.filter(value="auto").update(hidden=True)

    assert errors_of(question, {"": "auto"}) == ["Choisissez une réponse parmi celles proposées."]
    assert tallies(results_of(question)) == {"Vélo": 0, "Autobus": 0, "Auto": 1}


def test_a_required_single_choice_needs_an_answer() -> None:
    question = single(required=True)

    assert errors_of(question, {}) == ["Répondez à cette question."]


def test_the_choices_are_labelled_in_the_active_language() -> None:
    question = single(help_text_en="Pick one")

    with translation.override("en"):
        field = question.type.form_field(question)

    assert field.label == question.label_en
    assert field.help_text == "Pick one"
    assert [label for _value, label in field.choices] == ["Vélo (en)", "Autobus (en)", "Auto (en)"]


def test_a_single_choice_can_be_a_drop_down_list() -> None:
    question = single(settings={"widget": "select"})

    html = str(form_for(question)[question.field_name])

    assert "<select" in html
    assert "— Choisissez —" in html


def test_other_please_specify_keeps_the_text_apart_from_the_choices() -> None:
    question = single(settings={"allow_other": True})
    value = session_value(question, {"_0": OTHER, "_1": " Covoiturage "})

    respond(question.survey, {question: value})
    respond(question.survey, {question: session_value(question, {"_0": "velo", "_1": ""})})

    assert value == {"choice": OTHER, "other": "Covoiturage"}
    other = Answer.objects.get(choice=None)
    assert other.text == "Covoiturage"
    results = results_of(question)
    assert tallies(results) == {"Vélo": 1, "Autobus": 0, "Auto": 0, "Autre": 1}
    assert results.excerpts == []  # the text shows only once staff publish it
    Excerpt.objects.create(question=question, answer=other, text="Covoiturage")
    assert results_of(question).excerpts == [PublishedExcerpt("Covoiturage", language="fr")]


def test_other_without_its_text_is_refused() -> None:
    question = single(settings={"allow_other": True})

    assert errors_of(question, {"_0": OTHER, "_1": "  "}) == ["Précisez votre réponse « Autre »."]


def test_writing_in_the_other_box_without_a_choice_means_other() -> None:
    question = single(settings={"allow_other": True})

    assert session_value(question, {"_1": "À pied"}) == {"choice": OTHER, "other": "À pied"}


def test_the_other_text_has_a_length_limit() -> None:
    question = single(settings={"allow_other": True})

    assert errors_of(question, {"_0": OTHER, "_1": "x" * 201}) == [
        "Précisez « Autre » en 200 caractères au plus."
    ]


def test_the_other_box_is_labelled() -> None:
    question = single(settings={"allow_other": True})

    html = str(form_for(question)[question.field_name])

    assert "Précisez votre réponse « Autre »" in html
    assert "Autre (précisez)" in html


def test_a_single_choice_condition_compares_the_choice_value() -> None:
    question = single(settings={"allow_other": True})
    matches = question.type.condition_matches

    assert matches(question, "velo", ConditionOperator.EQUALS, "velo")
    assert not matches(question, "auto", ConditionOperator.EQUALS, "velo")
    assert matches(question, {"choice": OTHER, "other": "x"}, ConditionOperator.EQUALS, OTHER)
    assert matches(question, "auto", ConditionOperator.ANSWERED, "")
    assert not matches(question, "", ConditionOperator.ANSWERED, "")


def test_single_choice_export_cells_give_the_label_and_the_other_text() -> None:
    question = single(settings={"allow_other": True})
    response = respond(question.survey, {question: {"choice": OTHER, "other": "Train"}})

    answers = list(response.answers.all())

    assert question.type.export_headers(question) == [
        question.label,
        f"{question.label} — Autre (précisez)",
    ]
    assert question.type.export_cells(question, answers) == ["", "Train"]


# Multiple choice -------------------------------------------------------------------------


def multiple(**kwargs: Any) -> Question:
    return QuestionFactory.create(
        kind="multiple_choice", choices=["Parcs", "Pistes", "Bancs", "Fontaines"], **kwargs
    )


def test_multiple_choices_are_one_answer_each_and_percent_of_respondents() -> None:
    question = multiple()
    value = session_value(question, {"": ["parcs", "bancs"]})

    respond(question.survey, {question: value})
    respond(question.survey, {question: ["parcs"]})

    assert value == ["parcs", "bancs"]
    assert Answer.objects.count() == 3
    results = results_of(question)
    assert results.answered == 2
    assert tallies(results) == {"Parcs": 2, "Pistes": 0, "Bancs": 1, "Fontaines": 0}
    assert [tally.percent for tally in results.tallies] == [100.0, 0.0, 50.0, 0.0]


def test_too_many_choices_are_refused_with_the_maximum() -> None:
    question = multiple(settings={"max_choices": 3})

    assert errors_of(question, {"": ["parcs", "pistes", "bancs", "fontaines"]}) == [
        "Choisissez au plus 3 réponses."
    ]


def test_too_few_choices_are_refused_with_the_minimum() -> None:
    question = multiple(settings={"min_choices": 2})

    assert errors_of(question, {"": ["parcs"]}) == ["Choisissez au moins 2 réponses."]


def test_an_optional_question_with_a_minimum_may_stay_unanswered() -> None:
    question = multiple(settings={"min_choices": 2})

    assert session_value(question, {}) == []


def test_a_multiple_choice_value_not_offered_is_refused() -> None:
    question = multiple()

    assert errors_of(question, {"": ["parcs", "piscine"]}) == [
        "Choisissez une réponse parmi celles proposées."
    ]


def test_other_counts_toward_the_maximum() -> None:
    question = multiple(settings={"max_choices": 2, "allow_other": True})

    assert errors_of(question, {"_0": ["parcs", "bancs"], "_1": "Toilettes"}) == [
        "Choisissez au plus 2 réponses."
    ]


def test_multiple_choice_with_other_is_stored_and_counted() -> None:
    question = multiple(settings={"allow_other": True})
    value = session_value(question, {"_0": ["parcs", OTHER], "_1": "Toilettes"})

    respond(question.survey, {question: value})

    assert value == {"choices": ["parcs", OTHER], "other": "Toilettes"}
    assert tallies(results_of(question)) == {
        "Parcs": 1, "Pistes": 0, "Bancs": 0, "Fontaines": 0, "Autre": 1,
    }  # fmt: skip


def test_a_multiple_choice_condition_includes_a_value() -> None:
    question = multiple()
    matches = question.type.condition_matches

    assert matches(question, ["parcs", "bancs"], ConditionOperator.INCLUDES, "bancs")
    assert not matches(question, ["parcs"], ConditionOperator.INCLUDES, "bancs")
    assert matches(question, ["parcs"], ConditionOperator.EQUALS, "parcs")
    assert not matches(question, ["parcs", "bancs"], ConditionOperator.EQUALS, "parcs")


def test_multiple_choice_export_joins_the_labels() -> None:
    question = multiple()
    response = respond(question.survey, {question: ["parcs", "bancs"]})

    assert question.type.export_cells(question, list(response.answers.all())) == ["Parcs; Bancs"]


# Yes / no --------------------------------------------------------------------------------


def test_yes_no_is_stored_as_one_or_zero_and_its_mean_is_the_share_of_yes() -> None:
    question = QuestionFactory.create(kind="yes_no")
    for answer in ("oui", "oui", "non", "oui"):
        respond(question.survey, {question: session_value(question, {"": answer})})

    assert list(Answer.objects.order_by("number").values_list("number", flat=True)) == [0, 1, 1, 1]
    results = results_of(question)
    assert results.answered == 4
    assert tallies(results) == {"Oui": 3, "Non": 1}
    assert results.mean == 0.75


def test_yes_no_refuses_anything_else() -> None:
    question = QuestionFactory.create(kind="yes_no")

    assert errors_of(question, {"": "peut-être"}) == ["Répondez « Oui » ou « Non »."]


@pytest.mark.parametrize("expected", ["oui", "Oui", "yes", "1"])
def test_a_yes_no_condition_accepts_either_language(expected: str) -> None:
    question = QuestionFactory.create(kind="yes_no")

    assert question.type.condition_matches(question, "oui", ConditionOperator.EQUALS, expected)
    assert not question.type.condition_matches(question, "non", ConditionOperator.EQUALS, expected)


def test_yes_no_export_reads_oui_or_non() -> None:
    question = QuestionFactory.create(kind="yes_no")
    response = respond(question.survey, {question: "non"})

    assert question.type.export_cells(question, list(response.answers.all())) == ["Non"]


# Counting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "question_settings", "value"),
    [
        ("single_choice", {"allow_other": True}, "velo"),
        ("multiple_choice", {}, ["velo", "auto"]),
        ("yes_no", {}, "oui"),
    ],
)
def test_results_take_the_same_few_queries_whatever_the_number_of_responses(
    kind: str,
    question_settings: dict[str, bool],
    value: str | list[str],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = QuestionFactory.create(
        kind=kind, settings=question_settings, choices=["Vélo", "Auto"], section__survey=survey
    )
    assert_results_queries_stay_few(
        question, value, at_most=4, max_num_queries=django_assert_max_num_queries
    )


def test_a_tampered_answer_writes_nothing() -> None:
    question = multiple(settings={"max_choices": 1}, required=True)

    form = form_for(question, {"": ["parcs", "bancs"]})

    assert not form.is_valid()
    assert written() == {"responses": 0, "answers": 0}
