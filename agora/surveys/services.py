"""Writing a response: all of it or nothing, once per the survey's response policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core.page_cache import bump_scope
from agora.participation.models import Participant
from agora.surveys.models import Answer, Question, Response, ResponsePolicy, Survey


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


def already_answered(survey: Survey, participant: Participant | None) -> bool:
    if participant is None or survey.response_policy == ResponsePolicy.UNLIMITED:
        return False
    key = Response.policy_key_for(survey, participant)
    return Response.objects.filter(survey=survey, policy_key=key).exists()


def submit_response(
    *,
    survey: Survey,
    participant: Participant,
    values: dict[int, Any],
    language: str,
    questions: Mapping[int, Question] | None = None,
) -> Response:
    """Writes the response and its answers in one transaction.

    `values` maps the pk of each question the resident was shown to its session value (see
    `QuestionType.to_session`); the answering flow has validated them. Raises
    `ResponseRefusedError` when the survey is closed or the policy allows no other response;
    then nothing is written. `questions`, the survey's questions with their choices, saves
    loading them again when the caller has them (the answering flow does)."""
    now = timezone.now()
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
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=questions[pk],
                    choice_id=stored.choice_id,
                    number=stored.number,
                    text=stored.text,
                    date=stored.date,
                    latitude=stored.latitude,
                    longitude=stored.longitude,
                    file=stored.file,
                )
                for pk, value in values.items()
                if pk in questions
                for stored in questions[pk].type.stored_values(questions[pk], value)
            )
    except IntegrityError:
        raise ResponseRefusedError(
            ALREADY_ANSWERED.get(ResponsePolicy(survey.response_policy), SURVEY_CLOSED)
        ) from None
    bump_scope(survey_scope(survey))
    return response
