"""Survey responses that may be held for the survey's team (agora/core/held.py): the team
(the administrators, the department's managers, the project's moderators) decides."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from agora.core import held
from agora.surveys.models import Survey
from agora.surveys.services import HELD_RESPONSE, count_held_response

REVIEW_HELD_RESPONSES = "surveys.review_held_responses"


def _may_review(user: Any, survey: Survey) -> bool:
    return bool(user.has_perm(REVIEW_HELD_RESPONSES, survey))


def _describe(survey: Survey) -> tuple[str, str]:
    return survey.title, reverse("surveys_admin:review", args=[survey.pk])


def _noun(count: int) -> str:
    return ngettext("%(count)d réponse", "%(count)d réponses", count) % {"count": count}


def _reviews_some(user: Any) -> bool:
    return bool(user.has_perm("surveys.add_survey"))


def register() -> None:
    held.register_kind(
        held.HeldKind(
            name=HELD_RESPONSE,
            model=Survey,
            record=count_held_response,
            may_review=_may_review,
            describe=_describe,
            noun=_noun,
            reviews_some=_reviews_some,
        )
    )
