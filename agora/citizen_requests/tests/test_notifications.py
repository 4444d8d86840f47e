"""Keeping a requester informed (agora/citizen_requests/notifications.py): the confirmation of
a request filed, with both links, and the message of a status change, in the request's
language; nothing for a requester who left no e-mail address."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.citizen_requests import notifications
from agora.citizen_requests.models import EventKind, RequestEvent, RequestStatus
from agora.citizen_requests.tests.test_follow_status import file
from agora.core.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_confirmation_gives_the_number_the_service_and_both_links(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filed = file()

    with django_capture_on_commit_callbacks(execute=True):
        notifications.confirm_filing(filed.request, filed.follow_up_token)

    [message] = mail.outbox
    assert message.to == ["suzanne@example.org"]
    assert "R-2026-000001" in message.subject
    assert "Nid-de-poule" in message.body
    assert "/fr/requetes/suivi/R-2026-000001/" in message.body
    assert f"/fr/requetes/suivi-prive/{filed.follow_up_token}/" in message.body
    assert "ne le partagez pas" in message.body
    assert (
        Delivery.objects.get().key == f"request-filed:{filed.request.pk}:email:suzanne@example.org"
    )


def test_the_confirmation_is_sent_once_however_often_it_is_decided(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filed = file()

    with django_capture_on_commit_callbacks(execute=True):
        notifications.confirm_filing(filed.request, filed.follow_up_token)
        notifications.confirm_filing(filed.request, filed.follow_up_token)

    assert len(mail.outbox) == 1


def test_the_confirmation_is_in_the_requests_language() -> None:
    filed = file(language="en")

    notifications.confirm_filing(filed.request, filed.follow_up_token)

    delivery = Delivery.objects.get()
    with translation.override("en"):
        private = reverse("citizen_requests:private", args=[filed.follow_up_token])
    assert delivery.language == "en"
    assert private.startswith("/en/")
    assert private in delivery.payload["text"]
    assert "Pothole" in delivery.payload["text"]


def test_nothing_is_sent_without_an_e_mail_address() -> None:
    filed = file(contact_email="")

    notifications.confirm_filing(filed.request, filed.follow_up_token)

    assert not Delivery.objects.exists()


def test_a_status_change_tells_the_requester_with_the_public_reply() -> None:
    request = file().request
    request.status = RequestStatus.RESOLVED
    request.save(update_fields=["status"])
    change = RequestEvent.objects.create(
        request=request,
        kind=EventKind.STATUS,
        status_before=RequestStatus.NEW,
        status_after=RequestStatus.RESOLVED,
        text="Le trou est bouché.",
        public=True,
    )

    notifications.notify_requester(request, change)

    delivery = Delivery.objects.get()
    assert delivery.key == f"request-updated:{request.pk}:{change.pk}:email:suzanne@example.org"
    assert "Résolue" in delivery.payload["subject"]
    assert "Le trou est bouché." in delivery.payload["text"]
    assert "/fr/requetes/suivi/R-2026-000001/" in delivery.payload["text"]
    assert request.tracking_number in delivery.payload["text"]
