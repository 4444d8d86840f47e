"""Number, rating, Likert matrix and ranking questions: answers round-trip from the form to
the counts, out-of-range or tampered values are refused with a clear message, and results
take a fixed number of queries."""

from typing import Any

import pytest
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from agora.surveys.models import Answer, ConditionOperator, Question
from agora.surveys.questions import question_type
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


# Number ----------------------------------------------------------------------------------


def test_a_number_round_trips_and_gives_mean_minimum_maximum_and_bins() -> None:
    question = QuestionFactory.create(kind="number", settings={"minimum": 0, "maximum": 100})
    for typed in ("10", "20,5", "90", "100"):
        respond(question.survey, {question: session_value(question, {"": typed})})

    results = results_of(question)

    assert list(Answer.objects.order_by("number").values_list("number", flat=True)) == [
        10,
        20.5,
        90,
        100,
    ]
    assert results.answered == 4
    assert results.mean == pytest.approx(55.125)
    assert (results.minimum, results.maximum) == (10, 100)
    assert tallies(results) == {
        "0 à 20": 1,
        "20 à 40": 1,
        "40 à 60": 0,
        "60 à 80": 0,
        "80 à 100": 2,
    }


def test_whole_number_bins_do_not_overlap() -> None:
    question = QuestionFactory.create(
        kind="number", settings={"minimum": 1, "maximum": 10, "integer": True}
    )
    for typed in ("1", "2", "3", "10"):
        respond(question.survey, {question: session_value(question, {"": typed})})

    assert tallies(results_of(question)) == {
        "1 à 2": 2,
        "3 à 4": 1,
        "5 à 6": 0,
        "7 à 8": 0,
        "9 à 10": 1,
    }


def test_a_number_out_of_range_is_refused() -> None:
    question = QuestionFactory.create(kind="number", settings={"minimum": 0, "maximum": 120})

    assert errors_of(question, {"": "130"}) == ["Entrez un nombre d'au plus 120."]
    assert errors_of(question, {"": "-1"}) == ["Entrez un nombre d'au moins 0."]
    assert errors_of(question, {"": "douze"}) == ["Entrez un nombre, par exemple 12,5."]
    assert errors_of(question, {"": "inf"}) == ["Entrez un nombre, par exemple 12,5."]


def test_a_whole_number_question_refuses_decimals() -> None:
    question = QuestionFactory.create(kind="number", settings={"integer": True})

    assert errors_of(question, {"": "2.5"}) == ["Entrez un nombre entier, par exemple 12."]
    assert session_value(question, {"": "3"}) == 3


def test_a_number_condition_compares_numbers() -> None:
    question = QuestionFactory.create(kind="number")

    assert question.type.condition_matches(question, 3.0, ConditionOperator.EQUALS, "3")
    assert not question.type.condition_matches(question, None, ConditionOperator.EQUALS, "3")


def test_number_settings_refuse_a_minimum_above_the_maximum() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        question_type("number").clean_settings({"minimum": 10, "maximum": 1})


# Rating ----------------------------------------------------------------------------------


def test_stars_round_trip_with_counts_per_point_and_the_mean() -> None:
    question = QuestionFactory.create(kind="rating")
    for star in ("5", "4", "4", "1"):
        respond(question.survey, {question: session_value(question, {"": star})})

    results = results_of(question)

    assert results.answered == 4
    assert tallies(results) == {"1 étoile": 1, "2 étoiles": 0, "3 étoiles": 0, "4 étoiles": 2, "5 étoiles": 1}  # fmt: skip
    assert results.mean == 3.5


def test_star_labels_say_their_number_in_words_for_screen_readers() -> None:
    question = QuestionFactory.create(kind="rating")

    html = str(form_for(question)[question.field_name])

    assert 'type="radio"' in html
    assert '<span class="survey-stars" aria-hidden="true">★★★☆☆</span> 3 étoiles' in html


def test_a_zero_to_ten_scale_accepts_zero_and_refuses_eleven() -> None:
    question = QuestionFactory.create(kind="rating", settings={"scale": "nps"})

    assert session_value(question, {"": "0"}) == 0
    assert errors_of(question, {"": "11"}) == ["Choisissez une note de 0 à 10."]
    respond(question.survey, {question: 0})
    assert tallies(results_of(question))["0"] == 1


def test_six_stars_are_refused() -> None:
    question = QuestionFactory.create(kind="rating")

    assert errors_of(question, {"": "6"}) == ["Choisissez une note de 1 à 5."]


# Matrix ----------------------------------------------------------------------------------


def matrix(**kwargs: Any) -> Question:
    return QuestionFactory.create(kind="matrix", rows=["Pistes cyclables", "Trottoirs"], **kwargs)


def test_a_matrix_stores_one_answer_per_row_and_counts_each_row() -> None:
    question = matrix()
    value = session_value(question, {"_0": "5", "_1": "2"})
    respond(question.survey, {question: value})
    respond(question.survey, {question: session_value(question, {"_0": "4", "_1": "2"})})

    results = results_of(question)

    assert value == {"pistes-cyclables": 5, "trottoirs": 2}
    assert Answer.objects.count() == 4
    assert results.answered == 2
    cycling, sidewalks = results.matrix
    assert cycling.label == "Pistes cyclables"
    assert cycling.answered == 2
    assert cycling.mean == 4.5
    assert [t.count for t in cycling.tallies] == [0, 0, 0, 1, 1]
    assert cycling.tallies[4].label == "Tout à fait d'accord"
    assert sidewalks.mean == 2


def test_a_matrix_offers_the_agreement_scale_in_english() -> None:
    question = matrix()

    with translation.override("en"):
        html = str(form_for(question)[question.field_name])

    assert "Strongly disagree" in html
    assert "<legend>Pistes cyclables (en)</legend>" in html


def test_a_matrix_uses_the_scale_staff_set() -> None:
    question = matrix(settings={"scale_labels": [["Jamais", "Never"], ["Parfois", "Sometimes"], ["Souvent", "Often"]]})  # fmt: skip

    assert errors_of(question, {"_0": "4"}) == ["Choisissez un point de l'échelle proposée."]
    respond(question.survey, {question: session_value(question, {"_0": "3"})})
    assert [t.label for t in results_of(question).matrix[0].tallies] == [
        "Jamais",
        "Parfois",
        "Souvent",
    ]


def test_a_required_matrix_needs_every_row() -> None:
    question = matrix(required=True)

    assert errors_of(question, {"_0": "3"}) == [
        "Répondez pour chaque ligne. Sans réponse : Trottoirs."
    ]
    assert errors_of(question, {}) == ["Répondez à cette question."]


def test_a_matrix_scale_point_not_offered_is_refused() -> None:
    question = matrix()

    assert errors_of(question, {"_0": "9"}) == ["Choisissez un point de l'échelle proposée."]


def test_matrix_scale_labels_setting_is_cleaned_to_pairs() -> None:
    field = question_type("matrix").settings_fields()["scale_labels"]

    assert field.clean("Jamais | Never\nToujours | Always\n") == [
        ["Jamais", "Never"],
        ["Toujours", "Always"],
    ]
    assert field.clean("") == []


# Ranking ---------------------------------------------------------------------------------


def ranking(**kwargs: Any) -> Question:
    return QuestionFactory.create(
        kind="ranking", choices=["Parc", "Piscine", "Bibliothèque"], **kwargs
    )


def test_a_ranking_round_trips_with_mean_ranks_and_first_places() -> None:
    question = ranking()
    value = session_value(question, {"_0": "1", "_1": "3", "_2": "2"})
    respond(question.survey, {question: value})
    respond(question.survey, {question: session_value(question, {"_0": "2", "_1": "3", "_2": "1"})})

    results = results_of(question)

    assert value == {"parc": 1, "piscine": 3, "bibliotheque": 2}
    assert results.answered == 2
    assert [(item.label, item.mean_rank, item.first_place) for item in results.ranking] == [
        ("Parc", 1.5, 1),
        ("Bibliothèque", 1.5, 1),
        ("Piscine", 3.0, 0),
    ]


def test_a_repeated_rank_is_refused() -> None:
    question = ranking()

    assert errors_of(question, {"_0": "1", "_1": "1", "_2": "2"}) == [
        "Chaque rang ne sert qu'une fois : le rang 1 est donné à plus d'un élément."
    ]


def test_a_partial_ranking_is_refused() -> None:
    question = ranking()

    assert errors_of(question, {"_0": "1", "_1": "2"}) == [
        "Donnez un rang à chaque élément de la liste."
    ]


def test_a_rank_beyond_the_list_is_refused() -> None:
    question = ranking()

    assert errors_of(question, {"_0": "1", "_1": "2", "_2": "4"}) == [
        "Choisissez un rang de 1 à 3."
    ]


def test_each_item_has_a_labelled_rank_list() -> None:
    question = ranking()

    html = str(form_for(question)[question.field_name])

    assert html.count("<select") == 3
    assert f'<label for="id_{question.field_name}_1">Piscine</label>' in html


# Counting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("number", 12),
        ("rating", 4),
        ("matrix", {"vitesse": 3}),
        ("ranking", {"velo": 1, "auto": 2}),
    ],
)
def test_results_take_the_same_few_queries_whatever_the_number_of_responses(
    kind: str, value: int | dict[str, int], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = QuestionFactory.create(
        kind=kind, choices=["Vélo", "Auto"], rows=["Vitesse"], section__survey=survey
    )
    assert_results_queries_stay_few(
        question, value, at_most=4, max_num_queries=django_assert_max_num_queries
    )


def test_a_refused_answer_writes_nothing() -> None:
    question = ranking(required=True)

    assert not form_for(question, {"_0": "1", "_1": "1", "_2": "1"}).is_valid()
    assert written() == {"responses": 0, "answers": 0}
