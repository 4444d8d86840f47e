"""Every change of a survey's sections, questions and choices made in the builder screens is
written to the audit log with the old and new values (builder_services.py): corrected texts,
corrected choices, moves and deletions, by the project's moderator on a published survey too;
a form sent unchanged or a move that moves nothing writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from agora.accounts.models import User
from agora.accounts.tests.team_factories import client_of
from agora.core.models import AuditEntry
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import moderator_of
from agora.surveys import audit_actions
from agora.surveys.models import Question, Section, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(project: ProjectPage) -> User:
    return moderator_of(project)


@pytest.fixture
def survey(project: ProjectPage) -> Survey:
    """A published survey of the moderator's project: its structure stays theirs to correct."""
    survey: Survey = SurveyFactory.create(project=project, title_fr="Vos parcs")
    return survey


@pytest.fixture
def client(moderator: User) -> Client:
    return client_of(moderator)


def base(survey: Survey) -> str:
    return f"/gestion/sondages/{survey.pk}"


def section_fields(section: Section, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title_fr": section.title_fr,
        "title_en": section.title_en,
        "introduction_fr": section.introduction_fr,
        "introduction_en": section.introduction_en,
        "condition_question": "",
        "condition_operator": "",
        "condition_value": "",
    }
    values.update(changes)
    return values


def only_entry(action: str) -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert [entry.action for entry in entries] == [action]
    return entries[0]


def test_a_corrected_section_title_is_logged_with_its_old_and_new_value(
    client: Client, survey: Survey, moderator: User
) -> None:
    section = SectionFactory.create(survey=survey, title_fr="Vos habitdes")

    response = client.post(
        f"{base(survey)}/sections/{section.pk}/", section_fields(section, title_fr="Vos habitudes")
    )

    assert response.status_code == 302
    entry = only_entry(audit_actions.SURVEY_SECTION_CHANGED)
    assert entry.actor == moderator
    assert entry.details["changes"] == {
        "title_fr": {"before": "Vos habitdes", "after": "Vos habitudes"}
    }


def test_a_section_sent_unchanged_writes_nothing(client: Client, survey: Survey) -> None:
    section = SectionFactory.create(survey=survey)

    response = client.post(f"{base(survey)}/sections/{section.pk}/", section_fields(section))

    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_a_corrected_choice_is_logged_with_its_old_and_new_label(
    client: Client, survey: Survey
) -> None:
    question = QuestionFactory.create(
        section__survey=survey, kind="single_choice", choices=["Parc Jary"]
    )
    choice = question.choices.get()
    choice.label_en = "Jarry Park"
    choice.save()

    response = client.post(
        f"{base(survey)}/questions/{question.pk}/",
        {
            "kind": "single_choice",
            "label_fr": question.label_fr,
            "label_en": question.label_en,
            "help_text_fr": "",
            "help_text_en": "",
            "condition_question": "",
            "condition_operator": "",
            "condition_value": "",
            "setting_widget": question.settings.get("widget", "radio"),
            "choix-TOTAL_FORMS": "1",
            "choix-INITIAL_FORMS": "1",
            "choix-MIN_NUM_FORMS": "0",
            "choix-MAX_NUM_FORMS": "1000",
            "choix-0-id": str(choice.pk),
            "choix-0-label_fr": "Parc Jarry",
            "choix-0-label_en": "Jarry Park",
        },
    )

    assert response.status_code == 302
    entry = only_entry(audit_actions.SURVEY_QUESTION_CHANGED)
    assert entry.details["choices"] == {
        "changed": [
            {
                "choice": choice.pk,
                "value": "parc-jary",
                "changes": {"label_fr": {"before": "Parc Jary", "after": "Parc Jarry"}},
            }
        ]
    }


def test_a_moved_section_is_logged_with_its_old_and_new_place(
    client: Client, survey: Survey
) -> None:
    SectionFactory.create(survey=survey, position=0)
    second = SectionFactory.create(survey=survey, position=1)

    client.post(f"{base(survey)}/sections/{second.pk}/deplacer/", {"direction": "up"})

    entry = only_entry(audit_actions.SURVEY_SECTION_MOVED)
    assert entry.details["section"] == second.pk
    assert entry.details["changes"] == {"position": {"before": 1, "after": 0}}


def test_a_moved_question_is_logged_and_a_move_past_the_end_writes_nothing(
    client: Client, survey: Survey
) -> None:
    section = SectionFactory.create(survey=survey)
    first = QuestionFactory.create(section=section, position=0)
    last = QuestionFactory.create(section=section, position=1)

    client.post(f"{base(survey)}/questions/{last.pk}/deplacer/", {"direction": "down"})
    assert not AuditEntry.objects.exists()
    client.post(f"{base(survey)}/questions/{first.pk}/deplacer/", {"direction": "down"})

    entry = only_entry(audit_actions.SURVEY_QUESTION_MOVED)
    assert entry.details["question"] == first.pk
    assert entry.details["changes"] == {"position": {"before": 0, "after": 1}}


def test_a_deleted_question_is_logged_with_what_it_was(client: Client, survey: Survey) -> None:
    question = QuestionFactory.create(
        section__survey=survey, kind="single_choice", label_fr="Quel parc ?", choices=["Jarry"]
    )

    client.post(f"{base(survey)}/questions/{question.pk}/supprimer/")

    assert not Question.objects.filter(pk=question.pk).exists()
    entry = only_entry(audit_actions.SURVEY_QUESTION_DELETED)
    assert entry.details["question"] == question.pk
    assert entry.details["before"]["label_fr"] == "Quel parc ?"
    assert [choice["label_fr"] for choice in entry.details["choices"]] == ["Jarry"]


def test_a_deleted_section_is_logged_with_its_questions(client: Client, survey: Survey) -> None:
    section = SectionFactory.create(survey=survey, title_fr="Vos habitudes")
    question = QuestionFactory.create(section=section, label_fr="Quel parc ?")

    client.post(f"{base(survey)}/sections/{section.pk}/supprimer/")

    assert not Section.objects.filter(pk=section.pk).exists()
    entry = only_entry(audit_actions.SURVEY_SECTION_DELETED)
    assert entry.details["before"]["title_fr"] == "Vos habitudes"
    assert entry.details["questions"] == [{"question": question.pk, "label_fr": "Quel parc ?"}]
