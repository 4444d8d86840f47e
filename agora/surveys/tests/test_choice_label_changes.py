"""Changing a choice's label at /gestion/sondages/<id>/questions/<id>/ once the survey has
responses. The attack of issue 12 (a moderator swaps two labels on a published survey, and the
27 answers for « Près de l'eau » then read « À l'entrée du parc »), replayed through the
screen, is refused with nothing written; a spelling correction stays the team's to make and is
recorded; a change of meaning needs the publishing right and is recorded too; each one is in
the audit log with its old and new text."""

from __future__ import annotations

import html
from typing import Any

import pytest

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import in_department, manager_of, moderator_of
from agora.surveys import audit_actions
from agora.surveys.models import Choice, ChoiceLabelCorrection, Question, Survey
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db

WATER, ENTRANCE = "Près de l'eau", "À l'entrée du parc"
ENGLISH = {WATER: "Near the water", ENTRANCE: "At the park entrance"}
NEEDS_THE_PUBLISHING_RIGHT = (
    "Seule une personne qui peut publier le sondage (un gestionnaire de son service ou un "
    "administrateur) peut le faire."
)


@pytest.fixture
def survey(project: ProjectPage) -> Survey:
    in_department(project)
    survey: Survey = SurveyFactory.create(project=project, title_fr="Le parc riverain")
    return survey


def bench_question(survey: Survey, labels: tuple[str, str] = (WATER, ENTRANCE)) -> Question:
    question: Question = QuestionFactory.create(
        section__survey=survey,
        label_fr="Où voulez-vous le nouveau banc ?",
        label_en="Where do you want the new bench?",
        choices=list(labels),
    )
    for choice in question.choices.all():
        choice.label_en = ENGLISH.get(choice.label_fr, f"{choice.label_fr} (en)")
        choice.save(update_fields=["label_en"])
    return question


def answered(question: Question, value: str, times: int) -> None:
    for _ in range(times):
        respond(question.survey, {question: value})


def choices_of(question: Question) -> list[Choice]:
    return list(question.choices.order_by("position", "pk"))


def url(question: Question) -> str:
    return f"/gestion/sondages/{question.survey_id}/questions/{question.pk}/"


def question_form(
    question: Question, labels: list[tuple[str, str]], **changes: Any
) -> dict[str, Any]:
    """The question's form as the screen shows it, its choices (in order) given `labels`
    (French, English)."""
    choices = choices_of(question)
    data: dict[str, Any] = {
        "kind": question.kind,
        "label_fr": question.label_fr,
        "label_en": question.label_en,
        "help_text_fr": question.help_text_fr,
        "help_text_en": question.help_text_en,
        "condition_question": "",
        "condition_operator": "",
        "condition_value": "",
        "setting_widget": "radio",
        "choix-TOTAL_FORMS": str(len(choices)),
        "choix-INITIAL_FORMS": str(len(choices)),
        "choix-MIN_NUM_FORMS": "0",
        "choix-MAX_NUM_FORMS": "1000",
    }
    for index, (choice, (label_fr, label_en)) in enumerate(zip(choices, labels, strict=True)):
        data[f"choix-{index}-id"] = str(choice.pk)
        data[f"choix-{index}-label_fr"] = label_fr
        data[f"choix-{index}-label_en"] = label_en
    data.update(changes)
    return data


def stored(question: Question) -> tuple[dict[str, Any], list[Any]]:
    return (
        dict(Question.objects.filter(pk=question.pk).values().get()),
        list(Choice.objects.filter(question=question).order_by("pk").values()),
    )


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_a_moderator_cannot_swap_two_labels_of_an_answered_choice_question(
    project: ProjectPage, survey: Survey
) -> None:
    question = bench_question(survey)
    water, entrance = (choice.value for choice in choices_of(question))
    answered(question, water, 27)
    answered(question, entrance, 4)
    before = stored(question)

    response = client_of(moderator_of(project)).post(
        url(question),
        question_form(
            question,
            [(ENTRANCE, ENGLISH[ENTRANCE]), (WATER, ENGLISH[WATER])],
            help_text_fr="Un seul choix.",
        ),
    )

    assert response.status_code == 200
    text = page_text(response)
    assert (
        f"Ce sondage a déjà des réponses : donner au choix « {WATER} » le libellé « {ENTRANCE} "
        "», celui d'un autre choix de la question, échangerait les réponses déjà données. "
        + NEEDS_THE_PUBLISHING_RIGHT
    ) in text
    assert stored(question) == before  # neither the choices nor the question's help
    assert not ChoiceLabelCorrection.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_moderator_cannot_give_an_answered_choice_another_meaning(
    project: ProjectPage, survey: Survey
) -> None:
    question = bench_question(survey)
    answered(question, choices_of(question)[0].value, 1)
    before = stored(question)

    response = client_of(moderator_of(project)).post(
        url(question),
        question_form(
            question,
            [("Près du stationnement", ENGLISH[WATER]), (ENTRANCE, ENGLISH[ENTRANCE])],
        ),
    )

    assert response.status_code == 200
    assert (
        f"Ce sondage a déjà des réponses : changer le choix « {WATER} » en « Près du "
        "stationnement » changerait le sens des réponses déjà données. "
        + NEEDS_THE_PUBLISHING_RIGHT
    ) in page_text(response)
    assert stored(question) == before
    assert not AuditEntry.objects.exists()


def test_a_moderator_corrects_the_spelling_of_an_answered_choice_and_it_is_recorded(
    project: ProjectPage, survey: Survey
) -> None:
    question = bench_question(survey, labels=("Pres de leau", ENTRANCE))
    water = choices_of(question)[0]
    water.label_en = "Near the watter"
    water.save(update_fields=["label_en"])
    answered(question, water.value, 3)
    moderator = moderator_of(project)

    response = client_of(moderator).post(
        url(question),
        question_form(question, [(WATER, "Near the water"), (ENTRANCE, ENGLISH[ENTRANCE])]),
    )

    assert response.status_code == 302
    water.refresh_from_db()
    assert (water.label_fr, water.label_en, water.value) == (
        WATER,
        "Near the water",
        "pres-de-leau",
    )
    assert list(
        ChoiceLabelCorrection.objects.values_list(
            "choice", "language", "label_before", "label_after", "changes_meaning", "changed_by"
        )
    ) == [
        (water.pk, "fr", "Pres de leau", WATER, False, moderator.pk),
        (water.pk, "en", "Near the watter", "Near the water", False, moderator.pk),
    ]
    entry = AuditEntry.objects.get()
    assert entry.action == audit_actions.SURVEY_QUESTION_CHANGED
    assert entry.actor == moderator
    assert entry.details["label_corrections"] == [
        {
            "choice": water.pk,
            "value": "pres-de-leau",
            "language": "fr",
            "before": "Pres de leau",
            "after": WATER,
            "kind": "correction",
        },
        {
            "choice": water.pk,
            "value": "pres-de-leau",
            "language": "en",
            "before": "Near the watter",
            "after": "Near the water",
            "kind": "correction",
        },
    ]
    assert entry.details["choices"]["changed"][0]["changes"] == {
        "label_fr": {"before": "Pres de leau", "after": WATER},
        "label_en": {"before": "Near the watter", "after": "Near the water"},
    }


def test_corrections_cannot_add_up_to_a_new_meaning(project: ProjectPage, survey: Survey) -> None:
    """Each step is one letter, but the label is measured against what it read when the
    answers were given."""
    question = bench_question(survey, labels=("Près du lac", ENTRANCE))
    answered(question, choices_of(question)[0].value, 1)
    client = client_of(moderator_of(project))
    labels = [("Près du pac", "Près du lac (en)"), (ENTRANCE, ENGLISH[ENTRANCE])]
    assert client.post(url(question), question_form(question, labels)).status_code == 302

    response = client.post(
        url(question),
        question_form(question, [("Près du parc", "Près du lac (en)"), labels[1]]),
    )

    assert response.status_code == 200
    assert NEEDS_THE_PUBLISHING_RIGHT in page_text(response)
    assert choices_of(question)[0].label_fr == "Près du pac"


@pytest.mark.parametrize("who", ["manager of its department", "administrator"])
def test_whoever_may_publish_changes_the_meaning_and_it_is_recorded_and_audited(
    project: ProjectPage, survey: Survey, who: str
) -> None:
    question = bench_question(survey)
    water = choices_of(question)[0]
    answered(question, water.value, 2)
    person: User = manager_of(project) if who == "manager of its department" else administrator()

    response = client_of(person).post(
        url(question),
        question_form(
            question,
            [("Au bord de la rivière", "By the river"), (ENTRANCE, ENGLISH[ENTRANCE])],
        ),
    )

    assert response.status_code == 302
    water.refresh_from_db()
    assert (water.label_fr, water.label_en) == ("Au bord de la rivière", "By the river")
    assert list(
        ChoiceLabelCorrection.objects.values_list(
            "language", "label_before", "label_after", "changes_meaning", "changed_by"
        )
    ) == [
        ("fr", WATER, "Au bord de la rivière", True, person.pk),
        ("en", "Near the water", "By the river", True, person.pk),
    ]
    entry = AuditEntry.objects.get()
    assert entry.actor == person
    assert [
        (change["language"], change["before"], change["after"], change["kind"])
        for change in entry.details["label_corrections"]
    ] == [
        ("fr", WATER, "Au bord de la rivière", "meaning"),
        ("en", "Near the water", "By the river", "meaning"),
    ]


def test_the_publishing_right_also_allows_an_exchange_and_records_it(
    project: ProjectPage, survey: Survey
) -> None:
    question = bench_question(survey)
    answered(question, choices_of(question)[0].value, 1)

    response = client_of(manager_of(project)).post(
        url(question),
        question_form(question, [(ENTRANCE, ENGLISH[ENTRANCE]), (WATER, ENGLISH[WATER])]),
    )

    assert response.status_code == 302
    assert [c.label_fr for c in choices_of(question)] == [ENTRANCE, WATER]
    assert ChoiceLabelCorrection.objects.filter(changes_meaning=True).count() == 4
    kinds = {c["kind"] for c in AuditEntry.objects.get().details["label_corrections"]}
    assert kinds == {"exchange"}


def test_before_the_first_response_labels_change_freely_and_nothing_is_recorded(
    project: ProjectPage, survey: Survey
) -> None:
    question = bench_question(survey)

    response = client_of(moderator_of(project)).post(
        url(question),
        question_form(question, [(ENTRANCE, ENGLISH[ENTRANCE]), (WATER, ENGLISH[WATER])]),
    )

    assert response.status_code == 302
    assert [c.label_fr for c in choices_of(question)] == [ENTRANCE, WATER]
    assert not ChoiceLabelCorrection.objects.exists()
    assert "label_corrections" not in AuditEntry.objects.get().details


def test_the_moderator_reads_on_the_form_what_may_still_change(
    project: ProjectPage, survey: Survey
) -> None:
    question = bench_question(survey)
    answered(question, choices_of(question)[0].value, 1)

    text = page_text(client_of(moderator_of(project)).get(url(question)))

    assert "Le libellé d'un choix peut encore être corrigé (orthographe, accents, majuscules)" in (
        text
    )
    assert "demande le droit de publier le sondage" in text
