"""What citizen requests hold about a person (Loi 25): their requests and voices in their
export; on erasure their requests stay for the city without any link to them, their photos
and what they wrote afterwards are gone, and their voices are removed."""

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.accounts.tests.team_factories import UserFactory
from agora.citizen_requests.filing import add_voice, file_request
from agora.citizen_requests.models import (
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestSupporter,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.core.personal_data import DataSubject, erase_personal_data, export_personal_data
from agora.core.tests.crafted_images import phone_photo
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_a_persons_requests_and_voices_are_exported_then_unlinked_on_erasure() -> None:
    user = UserFactory.create(email="marie@example.org")
    participant = ParticipantFactory.create(user=user)
    service = ServiceFactory.create()
    mine = file_request(
        service=service,
        description="Un trou devant chez moi.",
        address="12, rue des Érables",
        contact_email="MARIE@example.org",
        contact_phone="450 555-0199",
        contact_name="Marie Roy",
        media_url="https://photos.example.org/marie/trou.jpg",
        photos=[SimpleUploadedFile("trou.jpg", phone_photo(), "image/jpeg")],
        participant=participant,
    ).request
    RequestEvent.objects.create(request=mine, kind=EventKind.REQUESTER, text="Je suis Marie.")
    other = file_request(service=service, description="Autre.", address="1, rue Principale").request
    add_voice(request=other, participant=participant, contact_email="marie@example.org")
    photo_name = RequestPhoto.objects.get().image.name or ""
    subject = DataSubject(user=user, emails=frozenset({"marie@example.org"}))

    exported: Any = export_personal_data(subject)["citizen_requests"]
    assert [entry["tracking_number"] for entry in exported["filed"]] == [mine.tracking_number]
    assert exported["filed"][0]["contact_phone"] == "450 555-0199"
    assert exported["filed"][0]["contact_name"] == "Marie Roy"
    assert [entry["tracking_number"] for entry in exported["voices_added"]] == [
        other.tracking_number
    ]

    erase_personal_data(subject)

    mine.refresh_from_db()
    assert (mine.participant, mine.contact_email, mine.contact_phone) == (None, "", "")
    assert (mine.contact_name, mine.media_url) == ("", "")
    assert mine.description == "Un trou devant chez moi."  # the city keeps the problem
    assert not RequestPhoto.objects.exists()
    assert not default_storage.exists(photo_name)
    assert RequestEvent.objects.get(kind=EventKind.REQUESTER).text == ""
    assert not RequestSupporter.objects.exists()
    assert CitizenRequest.objects.count() == 2
