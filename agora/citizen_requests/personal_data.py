"""What citizen requests hold about a person, for the personal-data registry (Loi 25): the
requests they filed (as a participant, or with one of their e-mail addresses), with the
contact details they left, and the requests they added their voice to.

When the person deletes their account, their requests stay with the city (a pothole reported
is still a pothole, and the indicators must not change) but lose every link to them: no
participant, no name, e-mail address or phone number, no link to a photo; the photos they sent are deleted, since a
picture can show who took it. Their voices on others' requests are removed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from agora.citizen_requests.models import (
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestSupporter,
)
from agora.core.participants import participants_of
from agora.core.personal_data import DataSubject, register_personal_data


def _requests_of(subject: DataSubject) -> models.QuerySet[CitizenRequest]:
    return CitizenRequest.objects.filter(
        Q(participant__in=participants_of(subject)) | subject.email_filter("contact_email")
    )


def _supporters_of(subject: DataSubject) -> models.QuerySet[RequestSupporter]:
    return RequestSupporter.objects.filter(
        Q(participant__in=participants_of(subject)) | subject.email_filter("contact_email")
    )


def export_requests(subject: DataSubject) -> dict[str, Any]:
    return {
        "filed": [
            {
                "tracking_number": request.tracking_number,
                "service": request.service.name_fr,
                "filed_at": request.created_at.isoformat(),
                "status": request.status,
                "description": request.description,
                "address": request.address,
                "latitude": str(request.latitude) if request.latitude is not None else None,
                "longitude": str(request.longitude) if request.longitude is not None else None,
                "answers": request.answers,
                "contact_email": request.contact_email,
                "contact_phone": request.contact_phone,
                "contact_name": request.contact_name,
                "media_url": request.media_url,
                "photos": [photo.image.name for photo in request.photos.all()],
            }
            for request in _requests_of(subject)
            .select_related("service")
            .prefetch_related("photos")
            .order_by("created_at", "pk")
        ],
        "voices_added": [
            {
                "tracking_number": supporter.request.tracking_number,
                "added_at": supporter.created_at.isoformat(),
                "contact_email": supporter.contact_email,
            }
            for supporter in _supporters_of(subject).select_related("request").order_by("pk")
        ],
    }


def erase_requests(subject: DataSubject) -> None:
    ids = list(_requests_of(subject).values_list("pk", flat=True))
    for photo in RequestPhoto.objects.filter(request__in=ids):
        photo.image.delete(save=False)
        photo.delete()
    # What the requester wrote afterwards may name them; the desk's own lines stay.
    RequestEvent.objects.filter(request__in=ids, kind=EventKind.REQUESTER).update(text="")
    CitizenRequest.objects.filter(pk__in=ids).update(
        participant=None, contact_email="", contact_phone="", contact_name="", media_url=""
    )
    _supporters_of(subject).delete()


def register() -> None:
    register_personal_data(
        "citizen_requests",
        models=[CitizenRequest, RequestPhoto, RequestEvent, RequestSupporter],
        export=export_requests,
        erase=erase_requests,
    )
