"""What the surveys hold about a person, for the personal-data registry (Loi 25): their
responses with every answer, and, for a member of staff, the surveys they built, the
excerpts they published and the choice labels they changed once a survey had responses.

When the person deletes their account, their responses stay in the results (they were
counted, and the published figures must not change) but lose every link to them: no
participant, and a new uniqueness key that names no one. The photos they sent are deleted:
unlike a figure or a sentence, a picture can show who took it. The surveys, excerpts and
label changes staff made stay, linked to the emptied account.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.functions import Cast, Concat

from agora.core.participants import participants_of
from agora.core.personal_data import DataSubject, register_personal_data
from agora.surveys.models import (
    Answer,
    ChoiceLabelCorrection,
    Excerpt,
    Question,
    Response,
    Survey,
)

# A response's uniqueness key once it no longer belongs to anyone.
FORGOTTEN_KEY_PREFIX = "oublie:"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _responses_of(subject: DataSubject) -> models.QuerySet[Response]:
    return Response.objects.filter(participant__in=participants_of(subject))


def _answers_in_words(response: Response, questions: dict[int, Question]) -> list[dict[str, Any]]:
    """Each question answered, with the answer as the raw export writes it."""
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in response.answers.all():
        by_question[answer.question_id].append(answer)
    answered = sorted(
        by_question,
        key=lambda pk: (questions[pk].section.position, questions[pk].position, pk),
    )
    return [
        {
            "question": questions[pk].label,
            "answer": {
                heading: cell
                for heading, cell in zip(
                    questions[pk].type.export_headers(questions[pk]),
                    questions[pk].type.export_cells(questions[pk], by_question[pk]),
                    strict=False,
                )
                if cell not in ("", None)
            },
        }
        for pk in answered
    ]


def export_surveys(subject: DataSubject) -> dict[str, Any]:
    responses = list(
        _responses_of(subject)
        .select_related("survey")
        .prefetch_related("answers__choice")
        .order_by("submitted_at", "pk")
    )
    questions = {
        question.pk: question
        for question in Question.objects.filter(
            survey__in={response.survey_id for response in responses}
        )
        .select_related("section")
        .prefetch_related("choices")
    }
    return {
        "responses": [
            {
                "survey": response.survey.title,
                "submitted_at": _iso(response.submitted_at),
                "language": response.language,
                "answers": _answers_in_words(response, questions),
            }
            for response in responses
        ],
        "surveys_built": [
            {"survey": survey.title, "created_at": _iso(survey.created_at)}
            for survey in Survey.objects.filter(created_by_id=subject.user.pk).order_by(
                "created_at"
            )
        ],
        "excerpts_published": [
            {"excerpt": excerpt.text, "published_at": _iso(excerpt.published_at)}
            for excerpt in Excerpt.objects.filter(published_by_id=subject.user.pk).order_by(
                "published_at", "pk"
            )
        ],
        "choice_labels_changed": [
            {
                "survey": change.choice.question.survey.title,
                "language": change.language,
                "before": change.label_before,
                "after": change.label_after,
                "changed_at": _iso(change.changed_at),
            }
            for change in ChoiceLabelCorrection.objects.filter(changed_by_id=subject.user.pk)
            .select_related("choice__question__survey")
            .order_by("changed_at", "pk")
        ],
    }


def forget_responses(subject: DataSubject) -> None:
    responses = _responses_of(subject)
    photos = Answer.objects.filter(response__in=responses).exclude(file="")
    files = list(photos.values_list("file", flat=True))
    photos.update(file="")
    responses.update(
        participant=None,
        policy_key=Concat(
            models.Value(FORGOTTEN_KEY_PREFIX), Cast("pk", models.CharField(max_length=20))
        ),
    )

    def delete_files() -> None:
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


def register() -> None:
    register_personal_data(
        "surveys",
        models=[Response, Answer, Survey, Excerpt, ChoiceLabelCorrection],
        export=export_surveys,
        erase=forget_responses,
    )
