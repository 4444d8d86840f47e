"""Adding and changing a question (builder_services.add_question, change_question): a new one
goes last in its section with its type's default choices, each change is written to the audit
log; an unknown type, a question without a label, or a change of type once the survey has
responses is refused and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from agora.accounts.tests.team_factories import administrator
from agora.core.models import AuditEntry
from agora.pages.models import HomePage
from agora.surveys import audit_actions
from agora.surveys.builder_services import add_question, change_question
from agora.surveys.building import BuilderRefusalError
from agora.surveys.models import Question
from agora.surveys.questions import question_types
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, respond

pytestmark = pytest.mark.django_db


def _kind_with_default_choices() -> str:
    return next(key for key, kind in question_types().items() if kind.default_choices)


def test_a_new_question_goes_last_with_its_default_choices_and_an_audit_row(home: HomePage) -> None:
    admin = administrator()
    section = SectionFactory.create()
    QuestionFactory.create(section=section, position=2, kind="short_text")
    kind = _kind_with_default_choices()
    question = add_question(
        actor=admin, question=Question(section=section, kind=kind, label_fr="Votre avis ?")
    )
    assert question.position == 3
    assert question.survey == section.survey
    assert question.choices.count() == len(question_types()[kind].default_choices)
    entry = AuditEntry.objects.get(action=audit_actions.SURVEY_QUESTION_ADDED)
    assert entry.actor == admin
    added = entry.details.pop("choices")["added"]
    assert entry.details == {"section": section.pk, "question": question.pk, "kind": kind}
    assert [choice["label_fr"] for choice in added] == [
        default.label_fr for default in question_types()[kind].default_choices
    ]


def test_a_question_of_an_unknown_type_is_refused(home: HomePage) -> None:
    section = SectionFactory.create()
    with pytest.raises(ValidationError) as refusal:
        add_question(
            actor=administrator(),
            question=Question(section=section, kind="telepathie", label_fr="Votre avis ?"),
        )
    assert "kind" in refusal.value.message_dict
    assert not Question.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_question_without_a_label_is_refused(home: HomePage) -> None:
    with pytest.raises(ValidationError) as refusal:
        add_question(
            actor=administrator(),
            question=Question(section=SectionFactory.create(), kind="short_text"),
        )
    assert "label_fr" in refusal.value.message_dict
    assert not Question.objects.exists()


def test_a_changed_question_is_saved_and_written_to_the_audit_log(home: HomePage) -> None:
    question = QuestionFactory.create(kind="short_text", label_fr="Votre avis ?")
    question.label_fr = "Votre avis sur le parc ?"
    change_question(actor=administrator(), question=question)
    assert Question.objects.get(pk=question.pk).label_fr == "Votre avis sur le parc ?"
    entry = AuditEntry.objects.get(action=audit_actions.SURVEY_QUESTION_CHANGED)
    assert entry.details == {
        "question": question.pk,
        "kind": "short_text",
        "changes": {"label_fr": {"before": "Votre avis ?", "after": "Votre avis sur le parc ?"}},
    }


def test_the_type_of_an_answered_question_cannot_change(home: HomePage) -> None:
    question = QuestionFactory.create(kind="short_text")
    respond(question.survey, {question: "Plus d'arbres"})
    question.kind = "long_text"
    with pytest.raises(BuilderRefusalError):
        change_question(actor=administrator(), question=question)
    assert Question.objects.get(pk=question.pk).kind == "short_text"
    assert not AuditEntry.objects.exists()
