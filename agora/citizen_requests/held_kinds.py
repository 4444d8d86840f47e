"""The contributions to citizen requests that may be held for the desk (agora/core/held.py):
the "moi aussi" voices added to a request. Who handles the request decides."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from agora.citizen_requests.filing import HELD_VOICE, count_held_voice
from agora.citizen_requests.models import CitizenRequest
from agora.core import held


def _describe(request: CitizenRequest) -> tuple[str, str]:
    return (
        f"{request.tracking_number}, {request.service.name}",
        reverse("requests_desk:detail", args=[request.pk]),
    )


def _noun(count: int) -> str:
    return ngettext("%(count)d voix « moi aussi »", "%(count)d voix « moi aussi »", count) % {
        "count": count
    }


def _may_review(user: Any, request: CitizenRequest) -> bool:
    return bool(user.has_perm("citizen_requests.handle_request", request))


def _reviews_some(user: Any) -> bool:
    return bool(user.has_perm("citizen_requests.view_desk"))


def register() -> None:
    held.register_kind(
        held.HeldKind(
            name=HELD_VOICE,
            model=CitizenRequest,
            record=count_held_voice,
            may_review=_may_review,
            describe=_describe,
            noun=_noun,
            reviews_some=_reviews_some,
        )
    )
