"""Reads of citizen requests for the residents' pages: a request by its tracking number (the
public status page) or by its private follow-up link, and what each of them may see.

What the public may see of a request never names who reported it; of a request of a private
service (a complaint about a neighbour, say) it sees only the number, the service, the
status and the dates. The private link shows the requester their own request in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from agora.citizen_requests.filing import token_hash
from agora.citizen_requests.models import (
    AttributeKind,
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestStatus,
)

TRACKING_NUMBER = re.compile(r"^R-\d{4}-\d{6,9}$")
# The lines of the history the public may read, when the desk made them public.
PUBLIC_EVENT_KINDS = (EventKind.FILED, EventKind.STATUS, EventKind.PUBLIC_NOTE, EventKind.QUESTION)
# What the requester also reads through the private link, public or not.
REQUESTER_EVENT_KINDS = (EventKind.QUESTION, EventKind.REQUESTER)
# Far above the 32 characters of a real token: a longer one is not even hashed.
MAX_TOKEN_LENGTH = 200


def normalized_tracking_number(number: str) -> str:
    """The number as stored (" r-2026-000042 " gives "R-2026-000042"); "" when it cannot be
    a tracking number."""
    cleaned = (number or "").strip().upper()
    return cleaned if TRACKING_NUMBER.match(cleaned) else ""


def _public_events() -> QuerySet[RequestEvent]:
    return RequestEvent.objects.filter(public=True, kind__in=PUBLIC_EVENT_KINDS)


@dataclass(frozen=True)
class HistoryLine:
    event: RequestEvent
    status_label: str  # the status after a status change, "" otherwise


@dataclass(frozen=True)
class Followed:
    """A request as a follow-up page shows it: its history and photos for that reader, and
    how many residents added their voice to it."""

    request: CitizenRequest
    events: list[RequestEvent]
    photos: list[RequestPhoto]
    voices: int

    @property
    def history(self) -> list[HistoryLine]:
        return [
            HistoryLine(
                event=event,
                status_label=(
                    str(RequestStatus(event.status_after).label)
                    if event.kind == EventKind.STATUS and event.status_after in RequestStatus
                    else ""
                ),
            )
            for event in self.events
        ]


def _with_voices(requests: QuerySet[CitizenRequest]) -> CitizenRequest | None:
    return requests.select_related("service").annotate(voice_count=Count("supporters")).first()


def request_for_public(number: str) -> Followed | None:
    """The request with this tracking number (any case, spaces around ignored) as the public
    status page shows it, or None. A public request comes with its public history and its
    shown photos (three queries); a private one with neither (one query)."""
    tracking = normalized_tracking_number(number)
    if not tracking:
        return None
    request = _with_voices(CitizenRequest.objects.filter(tracking_number=tracking))
    if request is None:
        return None
    voices: int = getattr(request, "voice_count", 0)
    if not request.public:
        return Followed(request=request, events=[], photos=[], voices=voices)
    return Followed(
        request=request,
        events=list(_public_events().filter(request=request)),
        photos=list(RequestPhoto.objects.filter(request=request, shown=True)),
        voices=voices,
    )


def request_for_token(token: str) -> Followed | None:
    """The request the private follow-up link `token` opens, or None, with everything its
    requester sees: all its photos, and its history for the requester (the public lines,
    the desk's questions and the requester's own additions). Four queries, with the
    service's questions that `answers_of` reads."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    request = _with_voices(
        CitizenRequest.objects.filter(follow_up_token_hash=token_hash(token)).prefetch_related(
            "service__attributes"
        )
    )
    if request is None:
        return None
    events = RequestEvent.objects.filter(request=request).filter(
        Q(public=True, kind__in=PUBLIC_EVENT_KINDS) | Q(kind__in=REQUESTER_EVENT_KINDS)
    )
    return Followed(
        request=request,
        events=list(events),
        photos=list(RequestPhoto.objects.filter(request=request)),
        voices=getattr(request, "voice_count", 0),
    )


def public_photo(number: str, photo_id: int) -> RequestPhoto | None:
    """A photo the public may see: shown by the desk, of a public request."""
    tracking = normalized_tracking_number(number)
    if not tracking:
        return None
    return RequestPhoto.objects.filter(
        pk=photo_id, shown=True, request__public=True, request__tracking_number=tracking
    ).first()


def requester_photo(token: str, photo_id: int) -> RequestPhoto | None:
    """A photo of the request the private link `token` opens, shown to the public or not."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return RequestPhoto.objects.filter(
        pk=photo_id, request__follow_up_token_hash=token_hash(token)
    ).first()


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str


def answers_of(request: CitizenRequest) -> list[Answer]:
    """The requester's answers, in the order of the service's questions, choices by name
    (in the reader's language)."""
    shown: list[Answer] = []
    for attribute in request.service.attributes.all():
        if attribute.kind == AttributeKind.INFORMATION or attribute.code not in request.answers:
            continue
        raw: Any = request.answers[attribute.code]
        if attribute.kind in (AttributeKind.SINGLE, AttributeKind.MULTIPLE):
            keys = raw if isinstance(raw, list) else [raw]
            text = ", ".join(attribute.value_name(str(key)) for key in keys)
        else:
            text = str(raw)
        shown.append(Answer(question=attribute.description, answer=text))
    return shown
