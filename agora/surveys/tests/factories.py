"""Factories for surveys. `survey_with` builds a published, open survey with one section per
list of questions; `respond` submits a response through the service, as a resident would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, PostGeneration, Sequence, SubFactory
from factory.django import DjangoModelFactory

from agora.core.models import Participant
from agora.participation.tests.factories import ParticipantFactory
from agora.surveys.models import (
    Choice,
    ChoiceRole,
    Question,
    Response,
    ReviewState,
    Section,
    Survey,
)
from agora.surveys.services import submit_response


class SurveyFactory(DjangoModelFactory[Survey]):
    class Meta:
        model = Survey

    title_fr = Sequence(lambda n: f"Sondage {n}")
    title_en = Sequence(lambda n: f"Survey {n}")
    slug = Sequence(lambda n: f"sondage-{n}")
    summary_fr = "Dites-nous ce que vous en pensez."
    summary_en = "Tell us what you think."
    opens_at = LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    published_at = LazyFunction(timezone.now)
    review_state = LazyAttribute(
        lambda survey: ReviewState.PUBLISHED if survey.published_at else ReviewState.DRAFT
    )


class SectionFactory(DjangoModelFactory[Section]):
    class Meta:
        model = Section

    survey = SubFactory(SurveyFactory)
    position = Sequence(lambda n: n)
    title_fr = Sequence(lambda n: f"Section {n}")
    title_en = Sequence(lambda n: f"Section {n} (en)")


class QuestionFactory(DjangoModelFactory[Question]):
    """`kind` names a question type; `choices=["Oui", "Non"]` adds options (values are
    slugs of the French labels), `rows=[…]` the rows of a matrix."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    section = SubFactory(SectionFactory)
    survey = LazyAttribute(lambda question: question.section.survey)
    position = Sequence(lambda n: n)
    kind = "single_choice"
    label_fr = Sequence(lambda n: f"Question {n} ?")
    label_en = Sequence(lambda n: f"Question {n}?")

    @PostGeneration
    def choices(self: Question, create: bool, labels: list[str] | None, **kwargs: Any) -> None:
        add_choices(self, labels or [], ChoiceRole.OPTION)

    @PostGeneration
    def rows(self: Question, create: bool, labels: list[str] | None, **kwargs: Any) -> None:
        add_choices(self, labels or [], ChoiceRole.ROW)


def add_choices(question: Question, labels: list[str], role: str) -> list[Choice]:
    from django.utils.text import slugify

    return [
        Choice.objects.create(
            question=question,
            role=role,
            position=index,
            value=slugify(label) or f"choix-{index}",
            label_fr=label,
            label_en=f"{label} (en)",
        )
        for index, label in enumerate(labels)
    ]


def respond(
    survey: Survey,
    values: dict[Question, Any],
    *,
    participant: Participant | None = None,
    language: str = "fr",
) -> Response:
    """Submits `values` (question → session value) as a new participant's response."""
    return submit_response(
        survey=survey,
        participant=participant or ParticipantFactory.create(),
        values={question.pk: value for question, value in values.items()},
        language=language,
    )
