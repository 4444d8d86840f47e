"""Building a demo survey from its specification, and writing generated responses the fast
way: `bulk_create` of `Response` and `Answer` rows, each answer made by its question type's
own `stored_values`, as the answering flow would, and only for the questions a resident would
have been shown (display conditions are checked with the types' `condition_matches`)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from agora.accounts.models import Department
from agora.core.data_files import texts_in
from agora.core.models import Participant, Theme
from agora.core.page_cache import bump_scope
from agora.participation.models import Phase, ProjectPage
from agora.surveys.demo.specs import DISTRICTS, Option, QuestionSpec, SurveySpec
from agora.surveys.models import (
    Choice,
    ChoiceRole,
    Question,
    Response,
    ReviewState,
    Section,
    Survey,
)
from agora.surveys.services import insert_answers, survey_scope
from agora.surveys.signals import renew_structure

BATCH_SIZE = 2000


@dataclass
class BuiltSurvey:
    survey: Survey
    questions: dict[str, Question]  # by spec key, choices prefetched


def build_survey(
    spec: SurveySpec,
    *,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    published_at: datetime.datetime,
    department: Department | None = None,
    project: ProjectPage | None = None,
    phase: Phase | None = None,
    themes: Iterable[Theme] = (),
) -> BuiltSurvey:
    """The survey with the spec's slug, created with its sections, questions and choices if
    it does not exist yet."""
    survey = Survey.objects.filter(slug=spec.slug).first()
    if survey is None:
        survey = Survey.objects.create(
            slug=spec.slug,
            **{
                f"{name}_{language}": text
                for language in ("fr", "en")
                for name, text in texts_in(spec, language).items()
            },
            kind=spec.kind,
            opens_at=opens_at,
            closes_at=closes_at,
            response_policy=spec.response_policy,
            results_visibility=spec.results_visibility,
            department=department,
            project=project,
            phase=phase,
            published_at=published_at,
            review_state=ReviewState.PUBLISHED,
        )
        survey.themes.set(list(themes))
        _build_structure(survey, spec)
    return BuiltSurvey(survey, questions_by_key(survey, spec))


def _build_structure(survey: Survey, spec: SurveySpec) -> None:
    built: dict[str, Question] = {}
    choices: list[Choice] = []
    for section_position, section_spec in enumerate(spec.sections):
        section = Section.objects.create(
            survey=survey,
            position=section_position,
            title_fr=section_spec.title.fr,
            introduction_fr=section_spec.introduction.fr,
            title_en=section_spec.title.en,
            introduction_en=section_spec.introduction.en,
        )
        for position, question_spec in enumerate(section_spec.questions):
            condition = question_spec.condition
            question = Question.objects.create(
                survey=survey,
                section=section,
                position=position,
                kind=question_spec.kind,
                label_fr=question_spec.label.fr,
                label_en=question_spec.label.en,
                help_text_fr=question_spec.help_text.fr,
                help_text_en=question_spec.help_text.en,
                required=question_spec.required,
                settings=question_spec.settings,
                condition_question=built[condition.question] if condition else None,
                condition_operator=condition.operator if condition else "",
                condition_value=condition.value if condition else "",
            )
            built[question_spec.key] = question
            for role, options in (
                (ChoiceRole.OPTION, _offered(question_spec, question)),
                (ChoiceRole.ROW, question_spec.rows),
            ):
                choices += [
                    Choice(
                        question=question,
                        role=role,
                        position=index,
                        value=option.value,
                        label_fr=option.fr,
                        label_en=option.en,
                    )
                    for index, option in enumerate(options)
                ]
    Choice.objects.bulk_create(choices)  # without signals: the version is renewed here
    renew_structure(survey.pk)


def _offered(spec: QuestionSpec, question: Question) -> tuple[Option, ...]:
    """The question's options: its own, or the city's districts for a district question, or
    the ones its type starts with (the age groups)."""
    if spec.options:
        return spec.options
    if spec.kind == "district":
        return DISTRICTS
    return tuple(Option(*choice) for choice in question.type.default_choices)


def questions_by_key(survey: Survey, spec: SurveySpec) -> dict[str, Question]:
    """The survey's questions in the order residents meet them, named by the spec's keys."""
    questions = (
        Question.objects.filter(survey=survey)
        .select_related("section", "condition_question")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
        .order_by("section__position", "section__pk", "position", "pk")
    )
    return {
        question_spec.key: question
        for question_spec, question in zip(spec.questions(), questions, strict=True)
    }


# Writing responses ------------------------------------------------------------------------


@dataclass
class Respondent:
    """One generated response: who, when, in which language, and the session value of each
    question they would answer, by spec key."""

    participant: uuid.UUID
    submitted_at: datetime.datetime
    language: str
    values: dict[str, Any]


def shown_values(questions: dict[str, Question], values: dict[str, Any]) -> dict[Question, Any]:
    """The answers a resident could have given: those of questions (and sections) whose
    display condition their earlier answers meet, in order."""
    given: dict[int, Any] = {}
    shown: dict[Question, Any] = {}

    def meets(condition_question: Question | None, operator: str, expected: str) -> bool:
        if condition_question is None or not operator:
            return True
        value = given.get(condition_question.pk)
        return bool(
            condition_question.type.condition_matches(condition_question, value, operator, expected)
        )

    for key, question in questions.items():
        section = question.section
        if not meets(
            section.condition_question, section.condition_operator, section.condition_value
        ):
            continue
        if not meets(
            question.condition_question, question.condition_operator, question.condition_value
        ):
            continue
        value = values.get(key)
        if value is not None and question.type.is_answered(value):
            given[question.pk] = value
            shown[question] = value
    return shown


def write_responses(built: BuiltSurvey, respondents: Iterable[Respondent]) -> list[Response]:
    """Writes the responses and their answers with a handful of queries."""
    survey = built.survey
    respondents = list(respondents)
    Participant.objects.bulk_create(
        [
            Participant(id=participant, language=language, created_at=submitted_at)
            for participant, (submitted_at, language) in {
                r.participant: (r.submitted_at, r.language) for r in reversed(respondents)
            }.items()
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                participant_id=respondent.participant,
                submitted_at=respondent.submitted_at,
                language=respondent.language,
                policy_key=Response.policy_key_for(
                    survey,
                    Participant(id=respondent.participant),
                    timezone.localdate(respondent.submitted_at),
                ),
            )
            for respondent in respondents
        ],
        batch_size=BATCH_SIZE,
    )
    insert_answers(
        (response.pk, question.pk, stored)
        for response, respondent in zip(responses, respondents, strict=True)
        for question, value in shown_values(built.questions, respondent.values).items()
        for stored in question.type.stored_values(question, value)
    )
    bump_scope(survey_scope(survey))
    return responses
