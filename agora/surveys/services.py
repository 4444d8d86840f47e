"""Writing a response: all of it or nothing, once per the survey's response policy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from itertools import batched
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core import held
from agora.core.models import HeldContribution, Participant
from agora.core.page_cache import bump_scope
from agora.surveys.models import Answer, Question, Response, ResponsePolicy, Survey
from agora.surveys.questions.base import StoredValue


class ResponseRefusedError(Exception):
    """The response cannot be written; `message` says why, in the resident's words."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


ALREADY_ANSWERED = {
    ResponsePolicy.ONCE: _("Vous avez déjà répondu à ce sondage. Merci de votre participation!"),
    ResponsePolicy.DAILY: _("Vous avez déjà répondu à ce sondage aujourd'hui. Revenez demain!"),
}
SURVEY_CLOSED = _("Ce sondage est fermé : il ne reçoit plus de réponses.")


def survey_scope(survey: Survey | int) -> str:
    """The page cache scope of a survey's public pages (its results, the hub)."""
    return f"survey:{survey if isinstance(survey, int) else survey.pk}"


HELD_RESPONSE = "surveys.response"


def already_answered(survey: Survey, participant: Participant | None) -> bool:
    if participant is None or survey.response_policy == ResponsePolicy.UNLIMITED:
        return False
    key = Response.policy_key_for(survey, participant)
    if Response.objects.filter(survey=survey, policy_key=key).exists():
        return True
    return survey.response_policy == ResponsePolicy.ONCE and held.is_held(
        kind=HELD_RESPONSE, target=survey, participant=participant
    )


def hold_response(
    *, survey: Survey, participant: Participant, values: dict[int, Any], language: str, reason: str
) -> None:
    """Keeps a response that looked stuffed (agora/core/integrity.py) for the survey's team,
    after the checks a response passes; nothing is counted until they let it count."""
    if not survey.is_open(timezone.now()):
        raise ResponseRefusedError(SURVEY_CLOSED)
    if already_answered(survey, participant):
        raise ResponseRefusedError(
            ALREADY_ANSWERED.get(ResponsePolicy(survey.response_policy), SURVEY_CLOSED)
        )
    held.hold(
        kind=HELD_RESPONSE,
        target=survey,
        participant=participant,
        payload={"values": {str(pk): value for pk, value in values.items()}},
        language=language,
        reason=reason,
    )


def count_held_response(row: HeldContribution, survey: Survey) -> None:
    """A held response the survey's team lets count: written as sent, at the moment it was
    sent (the survey was open then)."""
    values = {int(pk): value for pk, value in dict(row.payload.get("values", {})).items()}
    try:
        submit_response(
            survey=survey,
            participant=row.participant,
            values=values,
            language=row.language,
            now=row.held_at,
        )
    except ResponseRefusedError:
        raise held.NotCountedError from None


def submit_response(
    *,
    survey: Survey,
    participant: Participant,
    values: dict[int, Any],
    language: str,
    questions: Mapping[int, Question] | None = None,
    now: datetime.datetime | None = None,
) -> Response:
    """Writes the response and its answers in one transaction.

    `values` maps the pk of each question the resident was shown to its session value (see
    `QuestionType.to_session`); the answering flow has validated them. Raises
    `ResponseRefusedError` when the survey is closed or the policy allows no other response;
    then nothing is written. `questions`, the survey's questions with their choices, saves
    loading them again when the caller has them (the answering flow does). `now`, when a
    response held for the team is counted, is when it was sent."""
    now = now or timezone.now()
    if not survey.is_open(now):
        raise ResponseRefusedError(SURVEY_CLOSED)
    if questions is None:
        questions = {
            question.pk: question
            for question in Question.objects.filter(
                survey=survey, pk__in=list(values)
            ).prefetch_related("choices")
        }
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                participant=participant,
                submitted_at=now,
                language=language[:8],
                policy_key=Response.policy_key_for(survey, participant, timezone.localdate(now)),
            )
            insert_answers(
                (response.pk, pk, stored)
                for pk, value in values.items()
                if pk in questions
                for stored in questions[pk].type.stored_values(questions[pk], value)
            )
    except IntegrityError:
        raise ResponseRefusedError(
            ALREADY_ANSWERED.get(ResponsePolicy(survey.response_policy), SURVEY_CLOSED)
        ) from None
    # After the commit, so that no page counted without this response is kept as current.
    transaction.on_commit(lambda: bump_scope(survey_scope(survey)))
    return response


# Rows per INSERT at most, fewer where the database limits a query's parameters.
ANSWER_BATCH_SIZE = 1000
ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "choice_id",
    "number",
    "text",
    "date",
    "latitude",
    "longitude",
    "file",
)


def insert_answers(rows: Iterable[tuple[int, int, StoredValue]]) -> int:
    """Inserts `Answer` rows, each `(response pk, question pk, StoredValue)`, by plain
    multi-row INSERTs: a response's answers in one statement, without the model
    instance per row that `bulk_create` builds (several times faster). Returns the number of
    rows."""
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in ANSWER_COLUMNS)
    row_placeholders = "(" + ", ".join(["%s"] * len(ANSWER_COLUMNS)) + ")"
    most_parameters = connection.features.max_query_params
    size = ANSWER_BATCH_SIZE
    if most_parameters:
        size = max(1, min(size, most_parameters // len(ANSWER_COLUMNS)))
    written = 0
    with connection.cursor() as cursor:
        for batch in batched(rows, size):
            values = ", ".join([row_placeholders] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608 - our names
                [
                    parameter
                    for response, question, stored in batch
                    for parameter in (
                        response,
                        question,
                        stored.choice_id,
                        stored.number,
                        stored.text,
                        stored.date,
                        stored.latitude,
                        stored.longitude,
                        stored.file,
                    )
                ],
            )
            written += len(batch)
    return written
