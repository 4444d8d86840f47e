"""Demographic questions (age group, district, postal code prefix): results can be broken
down by their answers, and a postal code is only ever kept as its first three characters."""

from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from agora.surveys.models import Answer, ConditionOperator, Question
from agora.surveys.questions import question_type
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, add_choices, respond
from agora.surveys.tests.question_helpers import (
    assert_results_queries_stay_few,
    errors_of,
    results_of,
    session_value,
    tallies,
    written,
)

pytestmark = pytest.mark.django_db


def age_group_question(**kwargs: Any) -> Question:
    question = QuestionFactory.create(kind="age_group", **kwargs)
    for position, default in enumerate(question.type.default_choices):
        question.choices.create(
            position=position,
            value=default.value,
            label_fr=default.label_fr,
            label_en=default.label_en,
        )
    return question


# Age group -------------------------------------------------------------------------------


def test_age_groups_are_offered_by_default_in_both_languages() -> None:
    defaults = question_type("age_group").default_choices

    assert [d.label_fr for d in defaults] == [
        "Moins de 18 ans", "18 à 24 ans", "25 à 34 ans", "35 à 44 ans", "45 à 54 ans",
        "55 à 64 ans", "65 à 74 ans", "75 ans et plus", "Je préfère ne pas répondre",
    ]  # fmt: skip
    assert all(d.label_en for d in defaults)
    assert len({d.value for d in defaults}) == len(defaults)


def test_an_age_group_round_trips_and_segments_the_responses() -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    age = age_group_question(section__survey=survey)
    opinion = QuestionFactory.create(kind="yes_no", section__survey=survey)
    respond(survey, {age: session_value(age, {"": "65-74-ans"}), opinion: "oui"})
    respond(survey, {age: "65-74-ans", opinion: "non"})
    respond(survey, {age: "18-24-ans", opinion: "oui"})

    segments = {s.key: s for s in age.type.segments(age, survey.responses.all())}

    assert tallies(results_of(age))["65 à 74 ans"] == 2
    assert segments["65-74-ans"].label == "65 à 74 ans"
    assert segments["65-74-ans"].responses.count() == 2
    seniors = opinion.type.results(opinion, segments["65-74-ans"].responses)
    assert tallies(seniors) == {"Oui": 1, "Non": 1}
    assert segments["moins-de-18-ans"].responses.count() == 0


def test_an_age_group_has_no_other_please_specify() -> None:
    assert "allow_other" not in question_type("age_group").settings_fields()
    question = age_group_question(settings={"allow_other": True})

    assert errors_of(question, {"": "_autre"}) == ["Choisissez une réponse parmi celles proposées."]


def test_demographic_choice_types_are_segmentable_and_trend_by_choice() -> None:
    for key in ("age_group", "district", "postal_code"):
        assert question_type(key).segmentable
    assert question_type("age_group").trend == "choice"
    assert question_type("district").trend == "choice"


# District --------------------------------------------------------------------------------


def test_a_district_offers_the_options_staff_list() -> None:
    question = QuestionFactory.create(kind="district")
    add_choices(question, ["Vieux-Port", "Plateau"], "option")

    assert question_type("district").default_choices == ()
    assert session_value(question, {"": "plateau"}) == "plateau"
    assert errors_of(question, {"": "banlieue"}) == [
        "Choisissez une réponse parmi celles proposées."
    ]
    respond(question.survey, {question: "plateau"})
    assert [s.key for s in question.type.segments(question, question.survey.responses.all())] == [
        "vieux-port",
        "plateau",
    ]


# Postal code -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("H2X 1Y4", "H2X"), ("h2x1y4", "H2X"), (" g1r ", "G1R"), ("K1A 0B1", "K1A")],
)
def test_only_the_first_three_characters_of_a_postal_code_are_kept(typed: str, kept: str) -> None:
    question = QuestionFactory.create(kind="postal_code")
    value = session_value(question, {"": typed})
    respond(question.survey, {question: value})

    assert value == kept
    assert Answer.objects.get().text == kept


@pytest.mark.parametrize("typed", ["12345", "H2X 1Y", "Z2X", "D2X 1Y4", "H2X-1Y4-9", "HHH"])
def test_a_bad_postal_code_is_refused(typed: str) -> None:
    question = QuestionFactory.create(kind="postal_code")

    assert errors_of(question, {"": typed}) == [
        "Entrez un code postal canadien, par exemple H2X 1Y4, ou ses trois premiers "
        "caractères, par exemple H2X."
    ]
    assert written() == {"responses": 0, "answers": 0}


def test_postal_prefixes_are_counted_most_frequent_first_and_segment_the_responses() -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = QuestionFactory.create(kind="postal_code", section__survey=survey)
    for prefix in ("H2X", "G1R", "H2X", "A1A"):
        respond(survey, {question: prefix})

    results = results_of(question)
    segments = question.type.segments(question, survey.responses.all())

    assert [(t.label, t.count) for t in results.tallies] == [("H2X", 2), ("A1A", 1), ("G1R", 1)]
    assert results.answered == 4
    assert [(s.key, s.responses.count()) for s in segments] == [("H2X", 2), ("A1A", 1), ("G1R", 1)]


def test_a_postal_code_condition_compares_prefixes() -> None:
    question = QuestionFactory.create(kind="postal_code")

    assert question.type.condition_matches(question, "H2X", ConditionOperator.EQUALS, "h2x 1y4")
    assert not question.type.condition_matches(question, "G1R", ConditionOperator.EQUALS, "H2X")


@pytest.mark.parametrize("kind", ["age_group", "postal_code"])
def test_results_and_segments_take_the_same_few_queries_whatever_the_number_of_responses(
    kind: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = age_group_question(section__survey=survey) if kind == "age_group" else (
        QuestionFactory.create(kind=kind, section__survey=survey)
    )  # fmt: skip
    value = "18-24-ans" if kind == "age_group" else "H2X"
    assert_results_queries_stay_few(
        question, value, at_most=4, max_num_queries=django_assert_max_num_queries, segments=True
    )
