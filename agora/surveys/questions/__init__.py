"""Survey question types: one plug-in class per module (see `base.QuestionType`)."""

from __future__ import annotations

import functools

from django.utils.module_loading import import_string

from agora.surveys.questions.base import QuestionType

# Order of the builder's list.
QUESTION_TYPE_PATHS = [
    "agora.surveys.questions.single_choice.SingleChoice",
    "agora.surveys.questions.multiple_choice.MultipleChoice",
    "agora.surveys.questions.yes_no.YesNo",
    "agora.surveys.questions.short_text.ShortText",
    "agora.surveys.questions.long_text.LongText",
    "agora.surveys.questions.number.Number",
    "agora.surveys.questions.rating.Rating",
    "agora.surveys.questions.matrix.Matrix",
    "agora.surveys.questions.ranking.Ranking",
    "agora.surveys.questions.date.Date",
    "agora.surveys.questions.map_point.MapPoint",
    "agora.surveys.questions.file_upload.FileUpload",
    "agora.surveys.questions.age_group.AgeGroup",
    "agora.surveys.questions.district.District",
    "agora.surveys.questions.postal_code.PostalCodePrefix",
]


@functools.cache
def question_types() -> dict[str, QuestionType]:
    """Every type by key, in the builder's order. Built once, whole, before any thread
    reads it."""
    registry: dict[str, QuestionType] = {}
    for dotted in QUESTION_TYPE_PATHS:
        question_class = import_string(dotted)
        registry[question_class.key] = question_class()
    return registry


def question_type(key: str) -> QuestionType:
    try:
        return question_types()[key]
    except KeyError:
        raise LookupError(f"unknown survey question type {key!r}") from None
