"""The forms residents fill in to answer a survey: one per section, built from the question
type plug-ins, and the last step's form that carries the abuse-control fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from agora.core.antispam import AltchaFormMixin, HoneypotFormMixin
from agora.surveys.models import Question, Section


class SectionForm(forms.Form):
    """A section's questions, one field each, named `q<pk>`. `questions` maps a field's name
    to its question."""

    template_name = "surveys/includes/answer_fields.html"

    def __init__(
        self,
        section: Section,
        questions: Iterable[Question],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.section = section
        self.questions: dict[str, Question] = {}
        for question in questions:
            self.questions[question.field_name] = question
            self.fields[question.field_name] = question.type.form_field(question)


def build_section_form(
    section: Section,
    questions: Iterable[Question],
    *,
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, Any] | None = None,
    initial: Mapping[str, Any] | None = None,
) -> SectionForm:
    """The form of a section's `questions` (those the resident is shown), bound to `data`
    on a POST, filled with `initial` (the answers kept in the session) otherwise."""
    return SectionForm(section, questions, data=data, files=files, initial=initial)


def initial_values(questions: Iterable[Question], answers: Mapping[int, Any]) -> dict[str, Any]:
    """The form's initial values from the answers kept in the session."""
    return {
        question.field_name: question.type.from_session(question, answers[question.pk])
        for question in questions
        if question.pk in answers
    }


class SubmitForm(HoneypotFormMixin, AltchaFormMixin, forms.Form):
    """The last step: sending the response. Only the abuse-control fields: the answers are
    the ones kept in the session."""
