"""A signed-in resident sees the requests they filed on "Mon compte" and on "Mes requêtes",
with their status, linking to their status page; never anyone else's, not even a request
someone filed with their address without an account."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url
from agora.citizen_requests.models import RequestStatus
from agora.citizen_requests.tests.test_follow_status import file, status_url
from agora.core.models import Participant
from agora.core.tests.html import find, find_all, text_of
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

MINE = reverse("citizen_requests:mine")


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(MINE)

    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))


def test_the_account_lists_the_requests_filed_signed_in_with_their_status(
    client: Client,
) -> None:
    resident = ResidentFactory.create(email="marie@example.org")
    own = Participant.objects.create(user=resident)
    mine = file(participant=own).request
    mine.status = RequestStatus.IN_PROGRESS
    mine.save(update_fields=["status"])
    someone_elses = file(participant=ParticipantFactory.create()).request
    same_address = file(participant=ParticipantFactory.create(), contact_email="marie@example.org")
    client.force_login(resident)

    home = client.get(url("account_home"))
    listing = client.get(MINE)

    panel = find(home.content, "section", aria_labelledby="account-requests")
    assert mine.tracking_number in panel.text
    assert "En cours" in panel.text
    assert any(element.matches("a", {"href": status_url(mine)}) for element in panel.descendants())
    for content in (home.content, listing.content):
        text = text_of(content)
        assert mine.tracking_number in text
        assert someone_elses.tracking_number not in text
        assert same_address.request.tracking_number not in text


def test_a_resident_without_requests_sees_no_panel_and_an_empty_list_that_explains(
    client: Client,
) -> None:
    client.force_login(ResidentFactory.create())

    home = client.get(url("account_home"))
    listing = client.get(MINE)

    assert not find_all(home.content, "section", aria_labelledby="account-requests")
    assert "aucune requête" in text_of(listing.content)


def test_the_list_is_paginated_with_the_same_queries_for_one_request_or_many(
    client: Client,
) -> None:
    resident = ResidentFactory.create()
    own = Participant.objects.create(user=resident)
    client.force_login(resident)
    oldest = file(participant=own).request
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    filed = [file(participant=own).request for _ in range(21)]

    with CaptureQueriesContext(connection) as many:
        first = client.get(MINE)
    second = client.get(MINE, {"page": 2})

    assert len(many) == len(one)
    assert filed[-1].tracking_number in text_of(first.content)
    assert oldest.tracking_number not in text_of(first.content)
    assert oldest.tracking_number in text_of(second.content)
    assert "Page 1 sur 2" in text_of(first.content)
    assert "Page 2 sur 2" in text_of(second.content)


def test_the_english_list_reads_in_english(client: Client) -> None:
    resident = ResidentFactory.create()
    file(participant=Participant.objects.create(user=resident))
    client.force_login(resident)
    with translation.override("en"):
        english = reverse("citizen_requests:mine")

    response = client.get(english)

    assert english == "/en/requests/my-requests/"
    assert find(response.content, "h1").text == "My requests"
    assert "Received" in text_of(response.content)
