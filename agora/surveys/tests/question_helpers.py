"""Helpers of the question type tests: a one-question form as the answering pages build it,
the trip of an answer through the session, and what was written."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict

from agora.surveys.models import Answer, Question, Response
from agora.surveys.questions.base import QuestionResults
from agora.surveys.tests.factories import respond


def form_for(question: Question, data: dict[str, Any] | None = None, files: Any = None, *,
             initial: Any = None) -> forms.Form:  # fmt: skip
    """A form with the question's field named `q<pk>`; `data` keys are suffixes of the
    field's name ("" for the field itself, "_0", "_1" for the parts of a multi-part one)."""
    name = question.field_name
    form = forms.Form(
        data=None if data is None else _post(name, data),
        files=None
        if files is None
        else MultiValueDict({f"{name}{key}": [value] for key, value in files.items()}),
        initial={} if initial is None else {name: initial},
    )
    form.fields[name] = question.type.form_field(question)
    return form


def _post(name: str, data: dict[str, Any]) -> Any:
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    for key, value in data.items():
        post.setlist(f"{name}{key}", value if isinstance(value, list) else [value])
    return post


def session_value(question: Question, data: dict[str, Any], files: Any = None) -> Any:
    """The session value of a valid answer, after a trip through JSON (as in the session)."""
    form = form_for(question, data, files)
    assert form.is_valid(), form.errors
    stored = question.type.to_session(question, form.cleaned_data[question.field_name])
    return question.type.from_session(question, json.loads(json.dumps(stored)))


def errors_of(question: Question, data: dict[str, Any], files: Any = None) -> list[str]:
    form = form_for(question, data, files)
    assert not form.is_valid()
    return [str(message) for message in form.errors[question.field_name]]


def written() -> dict[str, int]:
    return {"responses": Response.objects.count(), "answers": Answer.objects.count()}


def tallies(results: Any) -> dict[str, int]:
    return {tally.label: tally.count for tally in results.tallies}


def results_of(question: Question) -> QuestionResults:
    results: QuestionResults = question.type.results(question, question.survey.responses.all())
    return results


def assert_results_queries_stay_few(
    question: Question, value: Any, *, at_most: int, max_num_queries: Any, segments: bool = False
) -> None:
    """With 3 responses giving `value`, the question's results (and its segments, when asked)
    take at most `at_most` queries; with 15, no more than with 3, and they count all 15.
    `max_num_queries` is pytest-django's django_assert_max_num_queries fixture."""
    survey = question.survey
    for _ in range(3):
        respond(survey, {question: value})
    with max_num_queries(at_most) as few:
        question.type.results(question, survey.responses.all())
        if segments:
            question.type.segments(question, survey.responses.all())
    for _ in range(12):
        respond(survey, {question: value})

    with max_num_queries(len(few.captured_queries)):
        results = question.type.results(question, survey.responses.all())
        if segments:
            question.type.segments(question, survey.responses.all())
    assert results.answered == 15
