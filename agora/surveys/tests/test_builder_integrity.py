"""Once a survey has responses, its results must stay valid: texts may be corrected, but a
question or a choice can only be hidden, a question keeps its type and settings, and a choice
keeps its identifier. Each refusal says why, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from agora.accounts.tests.team_factories import administrator, client_of
from agora.pages.models import HomePage
from agora.surveys.models import Choice, Question, Section
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond
from agora.surveys.tests.test_builder_structure import choice_rows, question_fields

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def answered(home: HomePage) -> Question:
    survey = SurveyFactory.create()
    question = QuestionFactory.create(
        section__survey=survey,
        kind="multiple_choice",
        choices=["Vélo", "Autobus"],
        settings={"min_choices": 1, "max_choices": 2},
    )
    respond(survey, {question: ["velo"]})
    return question


def url(question: Question, action: str = "") -> str:
    return f"/gestion/sondages/{question.survey_id}/questions/{question.pk}/{action}"


def existing(question: Question) -> list[tuple[int, str]]:
    return [(c.pk, c.label_fr) for c in question.choices.order_by("position")]


def snapshot(question: Question) -> tuple[str, dict[str, Any], list[tuple[int, str, bool]]]:
    question = Question.objects.get(pk=question.pk)
    return (
        question.kind,
        question.settings,
        list(question.choices.values_list("pk", "value", "hidden").order_by("pk")),
    )


def test_texts_may_still_be_corrected_and_choices_hidden(answered: Question) -> None:
    choices = existing(answered)
    data = {
        **question_fields(label_fr="Comment vous déplacez-vous?"),
        **choice_rows("choix", [], [(choices[0][0], "Vélo"), (choices[1][0], "Autobus")]),
        "choix-1-hidden": "on",
    }

    response = client_of(administrator()).post(url(answered), data)

    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.label_fr == "Comment vous déplacez-vous?"
    assert list(answered.choices.values_list("hidden", flat=True).order_by("position")) == [
        False,
        True,
    ]


def test_a_question_with_responses_cannot_be_deleted(answered: Question) -> None:
    before = snapshot(answered)

    response = client_of(administrator()).post(url(answered, "supprimer/"), follow=True)

    assert "seulement masqué" in response.content.decode()
    assert snapshot(answered) == before


def test_its_section_cannot_be_deleted_either(answered: Question) -> None:
    response = client_of(administrator()).post(
        f"/gestion/sondages/{answered.survey_id}/sections/{answered.section_id}/supprimer/",
        follow=True,
    )

    assert "seulement masqué" in response.content.decode()
    assert Section.objects.filter(pk=answered.section_id).exists()


def test_a_choice_with_responses_cannot_be_deleted(answered: Question) -> None:
    before = snapshot(answered)
    choices = existing(answered)
    data = {
        **question_fields(),
        **choice_rows("choix", [], choices),
        "choix-1-DELETE": "on",
    }

    response = client_of(administrator()).post(url(answered), data)

    assert "un choix ne peut plus être supprimé" in response.content.decode()
    assert snapshot(answered) == before


def test_the_type_cannot_change(answered: Question) -> None:
    before = snapshot(answered)
    data = {**question_fields(kind="single_choice"), **choice_rows("choix", [], existing(answered))}

    response = client_of(administrator()).post(url(answered), data)

    assert "son type ne peut plus changer" in response.content.decode()
    assert snapshot(answered) == before


def test_the_settings_are_locked(answered: Question) -> None:
    before = snapshot(answered)
    data = {
        **question_fields(setting_min_choices="2", setting_max_choices="2"),
        **choice_rows("choix", [], existing(answered)),
    }

    response = client_of(administrator()).post(url(answered), data)

    assert "sont verrouillés" in response.content.decode()
    assert snapshot(answered) == before


def test_a_choice_value_never_changes(answered: Question) -> None:
    before = snapshot(answered)
    data = {**question_fields(), **choice_rows("choix", [], existing(answered))}
    data["choix-0-value"] = "bicyclette"

    response = client_of(administrator()).post(url(answered), data)

    assert "ne change jamais" in response.content.decode()
    assert snapshot(answered) == before


def test_new_choices_may_still_be_added(answered: Question) -> None:
    data = {**question_fields(), **choice_rows("choix", ["Marche"], existing(answered))}

    client_of(administrator()).post(url(answered), data)

    assert Choice.objects.filter(question=answered, value="marche").exists()


def test_before_any_response_the_type_may_change(home: HomePage) -> None:
    question = QuestionFactory.create(
        section__survey=SurveyFactory.create(published_at=None), choices=["A"]
    )

    response = client_of(administrator()).post(
        url(question),
        {**question_fields(kind="long_text"), **choice_rows("choix", [], existing(question))},
    )

    question.refresh_from_db()
    assert response["Location"] == url(question)
    assert question.kind == "long_text"
    assert not question.choices.exists()
