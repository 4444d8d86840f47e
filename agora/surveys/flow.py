"""Answering a survey, section by section: which sections and questions a resident is shown,
and the answers kept in the session until the response is submitted.

The answers in progress live in the session, one entry per survey: `answers` maps a
question's pk to its session value (`QuestionType.to_session`), `done` lists the sections
whose page was validated. Nothing is written to the database before the final submission.

Conditional display. A section or a question with a condition is shown only when the answer
to the condition's question meets it (`QuestionType.condition_matches`). The condition's
question comes before (in an earlier section, or earlier in the same section); an answer to a
question that is not shown counts as no answer. A condition on a question of the same page is
evaluated on the page's submitted answers: without JavaScript, when "Suivant" shows that a
new question is now needed, the page comes back with that question added and a notice, and
"Suivant" has to be pressed again. Answers to questions that are no longer shown are dropped
before the response is written.
"""

from __future__ import annotations

import math
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase

from agora.surveys.models import Question, Section, Survey

SESSION_PREFIX = "agora_survey:"
# Seconds a resident takes for one question, on average, for the estimated length.
SECONDS_PER_QUESTION = 30
# Surveys whose structure each web process keeps in memory, the least recently answered
# forgotten first (see `SurveyFlow.load`).
KEPT_STRUCTURES = 32
_STRUCTURES: OrderedDict[tuple[int, uuid.UUID], tuple[tuple[Section, ...], tuple[Question, ...]]]
_STRUCTURES = OrderedDict()
_STRUCTURES_LOCK = threading.Lock()
# A posted field named after a question: `q12`, or one input of it (`q12_0`, `q12-other`).
QUESTION_FIELD = re.compile(r"^q(\d+)(?:[_-].*)?$")


@dataclass
class Progress:
    """A resident's answers in progress to one survey."""

    answers: dict[int, Any] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: SessionBase, survey: Survey) -> Progress:
        stored = session.get(f"{SESSION_PREFIX}{survey.pk}") or {}
        try:
            answers = {int(pk): value for pk, value in (stored.get("answers") or {}).items()}
            done = {int(pk) for pk in stored.get("done") or []}
        except (AttributeError, TypeError, ValueError):
            return cls()
        return cls(answers=answers, done=done)

    def save(self, session: SessionBase, survey: Survey) -> None:
        session[f"{SESSION_PREFIX}{survey.pk}"] = {
            "answers": {str(pk): value for pk, value in self.answers.items()},
            "done": sorted(self.done),
        }

    @staticmethod
    def clear(session: SessionBase, survey: Survey) -> None:
        session.pop(f"{SESSION_PREFIX}{survey.pk}", None)


@dataclass
class Visible:
    """The sections and questions shown for a set of answers."""

    sections: list[Section]
    questions: set[int]


@dataclass
class PageOutcome:
    """A section page's submitted answers, read in the order of its questions."""

    answers: dict[int, Any]
    # The section's questions shown now, in order.
    shown: list[Question]
    # Among them, those the resident has not seen yet (revealed by an answer of this page).
    revealed: list[Question]

    @property
    def revealed_names(self) -> set[str]:
        return {question.field_name for question in self.revealed}


class SurveyFlow:
    """A survey's sections and offered questions, loaded once (four queries), and the rules
    that say which of them a resident is shown."""

    def __init__(self, survey: Survey, sections: list[Section], questions: list[Question]):
        self.survey = survey
        self.sections = sections
        self.questions = {question.pk: question for question in questions}
        self.by_section: dict[int, list[Question]] = {section.pk: [] for section in sections}
        for question in questions:
            self.by_section.setdefault(question.section_id, []).append(question)

    @classmethod
    def load(cls, survey: Survey) -> SurveyFlow:
        """The survey's flow. Its sections and offered questions with their choices are
        read once per web process and structure version (`Survey.structure_version`, renewed
        by any change to them), then kept in memory, read-only, for the following requests."""
        key = (survey.pk, survey.structure_version)
        with _STRUCTURES_LOCK:
            structure = _STRUCTURES.get(key)
            if structure is not None:
                _STRUCTURES.move_to_end(key)
        if structure is None:
            structure = (
                tuple(survey.sections.all()),
                tuple(
                    Question.objects.filter(survey=survey, hidden=False)
                    .order_by("section__position", "section_id", "position", "pk")
                    .prefetch_related("choices")
                ),
            )
            with _STRUCTURES_LOCK:
                _STRUCTURES[key] = structure
                while len(_STRUCTURES) > KEPT_STRUCTURES:
                    _STRUCTURES.popitem(last=False)
        return cls(survey, list(structure[0]), list(structure[1]))

    # Sections ---------------------------------------------------------------------------

    def section_at(self, number: int) -> Section | None:
        """The section at this 1-based number in the survey (shown or not)."""
        return self.sections[number - 1] if 1 <= number <= len(self.sections) else None

    def number_of(self, section: Section) -> int:
        return self.sections.index(section) + 1

    def questions_of(self, section: Section) -> list[Question]:
        return self.by_section.get(section.pk, [])

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def minutes(self) -> int:
        """The estimated time to answer every question, rounded up to the minute."""
        return max(1, math.ceil(self.question_count * SECONDS_PER_QUESTION / 60))

    # Conditions ---------------------------------------------------------------------------

    def _meets(self, item: Section | Question, answers: dict[int, Any], shown: set[int]) -> bool:
        if not item.has_condition:
            return True
        asked = self.questions.get(item.condition_question_id or 0)
        if asked is None:  # a question no longer offered is never answered
            return False
        value = answers.get(asked.pk) if asked.pk in shown else None
        return bool(
            asked.type.condition_matches(
                asked, value, item.condition_operator, item.condition_value
            )
        )

    def visible(self, answers: dict[int, Any]) -> Visible:
        sections: list[Section] = []
        questions: set[int] = set()
        for section in self.sections:
            if not self._meets(section, answers, questions):
                continue
            sections.append(section)
            for question in self.questions_of(section):
                if self._meets(question, answers, questions):
                    questions.add(question.pk)
        return Visible(sections, questions)

    def shown_questions(self, section: Section, answers: dict[int, Any]) -> list[Question]:
        shown = self.visible(answers).questions
        return [question for question in self.questions_of(section) if question.pk in shown]

    def shown_answers(self, answers: dict[int, Any]) -> dict[int, Any]:
        """The answers to write: those of shown questions, without the ones now hidden."""
        shown = self.visible(answers).questions
        return {
            pk: value
            for pk, value in answers.items()
            if pk in shown and self.questions[pk].type.is_answered(value)
        }

    # Navigation ---------------------------------------------------------------------------

    def previous_section(self, section: Section, answers: dict[int, Any]) -> Section | None:
        number = self.number_of(section)
        earlier = [s for s in self.visible(answers).sections if self.number_of(s) < number]
        return earlier[-1] if earlier else None

    def next_section(self, section: Section, answers: dict[int, Any]) -> Section | None:
        number = self.number_of(section)
        return next((s for s in self.visible(answers).sections if self.number_of(s) > number), None)

    def first_unfinished(
        self, progress: Progress, *, before: Section | None = None
    ) -> Section | None:
        """The first shown section not yet completed (before `before` only, when given):
        where a resident who skipped ahead is sent back to."""
        limit = self.number_of(before) if before is not None else len(self.sections) + 1
        for section in self.visible(progress.answers).sections:
            if self.number_of(section) >= limit:
                return None
            if section.pk not in progress.done:
                return section
        return None

    def missing_required(self, progress: Progress) -> Section | None:
        """The first section with a shown required question left without an answer."""
        visible = self.visible(progress.answers)
        for section in visible.sections:
            for question in self.questions_of(section):
                if (
                    question.pk in visible.questions
                    and question.required
                    and not question.type.is_answered(progress.answers.get(question.pk))
                ):
                    return section
        return None

    # One page -----------------------------------------------------------------------------

    @staticmethod
    def unexpected_fields(seen: list[Question], data: Iterable[str]) -> bool:
        """Whether the post answers a question the page did not show (a hidden question,
        or one of another section)."""
        expected = {question.pk for question in seen}
        for name in data:
            match = QUESTION_FIELD.match(name)
            if match and int(match.group(1)) not in expected:
                return True
        return False

    def read_page(
        self, section: Section, form: forms.Form, progress: Progress, seen: list[Question]
    ) -> PageOutcome:
        """The answers with this page's valid answers in place of its former ones. A question
        hidden by an answer of the page loses its answer and its error; a question it reveals
        is added, without an error, for the resident to answer."""
        own = {question.pk for question in self.questions_of(section)}
        answers = {pk: value for pk, value in progress.answers.items() if pk not in own}
        shown_so_far = {pk for pk in self.visible(answers).questions if pk not in own}
        seen_pks = {question.pk for question in seen}
        cleaned = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        shown: list[Question] = []
        revealed: list[Question] = []
        for question in self.questions_of(section):
            name = question.field_name
            if not self._meets(question, answers, shown_so_far):
                form.errors.pop(name, None)
                continue
            shown_so_far.add(question.pk)
            shown.append(question)
            if question.pk not in seen_pks:
                revealed.append(question)
                form.errors.pop(name, None)
                continue
            if name in form.errors or name not in cleaned:
                continue
            value = question.type.to_session(question, cleaned[name])
            if question.type.is_answered(value):
                answers[question.pk] = value
        form.fields = {
            question.field_name: form.fields.get(question.field_name)
            or question.type.form_field(question)
            for question in shown
        }
        return PageOutcome(answers=answers, shown=shown, revealed=revealed)

    # Review -------------------------------------------------------------------------------

    def review(
        self, progress: Progress
    ) -> list[tuple[Section, int, list[tuple[Question, list[str]]]]]:
        """Each shown section (with its number) and its shown questions with the answer in
        words, for the last step before sending."""
        visible = self.visible(progress.answers)
        return [
            (
                section,
                self.number_of(section),
                [
                    (question, answer_in_words(question, progress.answers.get(question.pk)))
                    for question in self.questions_of(section)
                    if question.pk in visible.questions
                ],
            )
            for section in visible.sections
        ]


def answer_in_words(question: Question, value: Any) -> list[str]:
    """An answer as the resident reads it back before sending (see `QuestionType.in_words`)."""
    if not question.type.is_answered(value):
        return []
    lines: list[str] = question.type.in_words(question, value)
    return lines
