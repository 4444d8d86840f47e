""" "Moi aussi": a resident who finds their problem already reported nearby adds their voice to
that request instead of filing it again; once per participant, and only to an open request."""

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agora.citizen_requests.filing import file_request
from agora.citizen_requests.models import (
    CitizenRequest,
    RequestService,
    RequestStatus,
    RequestSupporter,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.core.models import HeldContribution
from agora.core.tests.html import find
from agora.ideas.tests.writing import messages_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported() -> CitizenRequest:
    service: RequestService = ServiceFactory.create(name_fr="Nid-de-poule")
    return file_request(
        service=service,
        description="Un trou.",
        latitude=Decimal("45.390180"),
        longitude=Decimal("-73.515000"),
    ).request


def voice_url(request: CitizenRequest) -> str:
    return reverse("citizen_requests:voice", args=[request.tracking_number])


def status_url(request: CitizenRequest) -> str:
    return reverse("citizen_requests:status", args=[request.tracking_number])


def add_voice(client: Client, request: CitizenRequest, **fields: Any) -> Any:
    return client.post(voice_url(request), fields)


def test_moi_aussi_from_the_place_step_adds_a_voice_once(
    client: Client, reported: CitizenRequest
) -> None:
    offered = client.post(
        reverse("citizen_requests:place", args=[reported.service.code]),
        {"latitude": "45.39", "longitude": "-73.515"},
    )
    action = find(offered.content, "form", action=voice_url(reported))["action"]

    first = client.post(action, {"contact_email": "marie@exemple.ca"})
    again = client.post(action, {})

    assert first.status_code == 302
    assert first["Location"] == status_url(reported)
    assert messages_after(first) == [
        f"Votre voix est ajoutée à la requête {reported.tracking_number}."
    ]
    assert messages_after(again) == ["Vous avez déjà ajouté votre voix à cette requête."]
    supporter = RequestSupporter.objects.get()
    assert supporter.contact_email == "marie@exemple.ca"
    assert "marie" not in first["Location"]


def test_a_bad_email_is_refused_and_nothing_written(
    client: Client, reported: CitizenRequest
) -> None:
    response = add_voice(client, reported, contact_email="marie@")

    assert messages_after(response) == [
        "Écrivez une adresse courriel valide, par exemple nom@exemple.ca."
    ]
    assert not RequestSupporter.objects.exists()


def test_a_robot_filling_the_hidden_field_is_refused(
    client: Client, reported: CitizenRequest
) -> None:
    add_voice(client, reported, site_web="http://pub.example")

    assert not RequestSupporter.objects.exists()


def test_a_closed_unknown_or_private_request_is_not_found(
    client: Client, reported: CitizenRequest
) -> None:
    assert client.post(reverse("citizen_requests:voice", args=["R-2026-999999"])).status_code == 404
    CitizenRequest.objects.filter(pk=reported.pk).update(public=False)
    assert add_voice(client, reported).status_code == 404
    CitizenRequest.objects.filter(pk=reported.pk).update(public=True, status=RequestStatus.RESOLVED)
    assert add_voice(client, reported).status_code == 404
    assert not RequestSupporter.objects.exists()


def test_moi_aussi_is_sent_only_by_post(client: Client, reported: CitizenRequest) -> None:
    assert client.get(voice_url(reported)).status_code == 405


def test_a_flood_without_proof_of_work_is_stopped(client: Client, reported: CitizenRequest) -> None:
    for _number in range(10):
        Client().post(voice_url(reported))

    response = Client().post(voice_url(reported))

    assert response.status_code == 429
    # The connection's daily share counted, the rest of the ten held for the desk, the
    # eleventh refused.
    share = settings.INTEGRITY_PER_CONNECTION_PER_DAY
    assert RequestSupporter.objects.count() == share
    assert HeldContribution.objects.count() == 10 - share
