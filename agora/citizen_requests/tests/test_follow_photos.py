"""Request photos, served through views that check who may see them: the public sees the shown
photos of public requests; the requester sees all of theirs through the private link."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.citizen_requests.models import RequestPhoto
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.citizen_requests.tests.test_follow_status import file, photo

pytestmark = pytest.mark.django_db


def public_url(kept: RequestPhoto) -> str:
    return reverse("citizen_requests:status_photo", args=[kept.request.tracking_number, kept.pk])


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_shown_photo_of_a_public_request_is_served_as_stored(client: Client) -> None:
    kept = file(photos=[photo()]).request.photos.get()
    kept.shown = True
    kept.save(update_fields=["shown"])

    response = client.get(public_url(kept))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    with kept.image.open("rb") as stored:
        assert body(response) == stored.read()


def test_an_unshown_photo_or_one_of_a_private_request_is_not_served_publicly(
    client: Client,
) -> None:
    unshown = file(photos=[photo()]).request.photos.get()
    private = file(ServiceFactory.create(public=False), photos=[photo()]).request.photos.get()
    private.shown = True
    private.save(update_fields=["shown"])
    elsewhere = reverse("citizen_requests:status_photo", args=["R-2026-000002", unshown.pk])

    assert client.get(public_url(unshown)).status_code == 404
    assert client.get(public_url(private)).status_code == 404
    assert client.get(elsewhere).status_code == 404


def test_the_requester_gets_their_photos_through_the_private_link_only(client: Client) -> None:
    filed = file(photos=[photo()])
    other = file(photos=[photo()])
    own = filed.request.photos.get()
    theirs = other.request.photos.get()

    def url(token: str, kept: RequestPhoto) -> str:
        return reverse("citizen_requests:private_photo", args=[token, kept.pk])

    response = client.get(url(filed.follow_up_token, own))

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert "private" in response["Cache-Control"]
    assert client.get(url(filed.follow_up_token, theirs)).status_code == 404
    assert client.get(url("x" * 32, own)).status_code == 404
