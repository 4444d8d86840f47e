"""The one-click unsubscribe of alert e-mails (RFC 8058): a non-emergency alert's e-mail
carries List-Unsubscribe and List-Unsubscribe-Post with a private address; a mail program's
POST there stops the alerts to that address once (consent withdrawal recorded), a GET only
shows a button, a bad token changes nothing; an emergency's e-mail has no such header. Over
a real SMTP server, an alert's batch uses one connection."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from agora.alerts import one_click, sending
from agora.alerts.models import (
    Alert,
    AlertState,
    ConsentRecord,
    ContactChannel,
    ContactPoint,
    Subscriber,
    Zone,
)
from agora.alerts.tests.factories import (
    AlertFactory,
    ContactPointFactory,
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
)
from agora.core.tests.test_email_connection_reuse import counting_server

pytestmark = pytest.mark.django_db

ROUTINE: dict[str, Any] = {"severity": "Moderate", "urgency": "Expected"}


@pytest.fixture
def zone() -> Zone:
    created: Zone = ZoneFactory.create()
    return created


def subscriber_in(zone: Zone, *, language: str = "fr") -> Subscriber:
    subscriber: Subscriber = SubscriberFactory.create(language=language)
    subscriber.places.create(label="Maison").zones.add(zone)
    return subscriber


def email_of(subscriber: Subscriber, address: str) -> ContactPoint:
    point: ContactPoint = ContactPointFactory.create(subscriber=subscriber, address=address)
    return point


def alert_for(zone: Zone, *, mandatory: bool = False, **fields: Any) -> Alert:
    """An alert to the zone, on a topic every subscriber there chose (or a mandatory one)."""
    topic = TopicFactory.create(mandatory=mandatory)
    for subscriber in Subscriber.objects.all():
        subscriber.topics.add(topic)
    alert: Alert = AlertFactory.create(
        topic=topic, state=AlertState.DRAFT, sent_at=None, send_sms=False, **fields
    )
    alert.zones.set([zone])
    return alert


def send(alert: Alert, captured: Any) -> None:
    with captured(execute=True):
        sending.start_sending(alert)


def path_of(header: str) -> str:
    return urlsplit(header.strip().strip("<>")).path


def unsubscribe_path(address: str) -> str:
    message = next(m for m in mail.outbox if m.to == [address])
    return path_of(message.extra_headers["List-Unsubscribe"])


def test_a_routine_alert_email_carries_the_one_click_unsubscribe_headers(
    zone: Zone, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    point = email_of(subscriber_in(zone), "marie@exemple.ca")
    english = email_of(subscriber_in(zone, language="en"), "mary@example.ca")

    send(alert_for(zone, **ROUTINE), django_capture_on_commit_callbacks)

    headers = {m.to[0]: m.extra_headers for m in mail.outbox}
    assert headers["marie@exemple.ca"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    french = headers["marie@exemple.ca"]["List-Unsubscribe"]
    assert french.startswith("<https://") or french.startswith("<http://")
    assert path_of(french) == reverse(
        "alerts:one_click", args=[one_click.token_for(point.pk, point.address)]
    )
    assert path_of(headers["mary@example.ca"]["List-Unsubscribe"]).startswith("/en/")
    assert str(english.pk) in path_of(headers["mary@example.ca"]["List-Unsubscribe"])


@pytest.mark.parametrize(
    "fields",
    [
        {"severity": "Extreme", "urgency": "Expected"},
        {"severity": "Severe", "urgency": "Future"},
        {"severity": "Minor", "urgency": "Immediate"},
        {**ROUTINE, "mandatory": True},
    ],
    ids=["extreme", "severe", "immediate", "sécurité-civile"],
)
def test_an_emergency_alert_email_has_no_list_unsubscribe(
    zone: Zone,
    fields: dict[str, Any],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    email_of(subscriber_in(zone), "marie@exemple.ca")
    alert = alert_for(zone, **fields)

    send(alert, django_capture_on_commit_callbacks)

    assert alert.is_emergency
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    assert "/fr/alertes/gerer/" in message.body  # the management link stays


def test_the_mail_programs_post_stops_the_alerts_to_that_address_once(
    zone: Zone, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    subscriber = subscriber_in(zone)
    point = email_of(subscriber, "marie@exemple.ca")
    sms = ContactPointFactory.create(
        subscriber=subscriber, channel=ContactChannel.SMS, address="+14505550100"
    )
    send(alert_for(zone, **ROUTINE), django_capture_on_commit_callbacks)
    address = unsubscribe_path("marie@exemple.ca")
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token

    first = mail_program.post(address, {"List-Unsubscribe": "One-Click"})
    second = mail_program.post(address, {"List-Unsubscribe": "One-Click"})

    assert first.status_code == 200
    assert second.status_code == 200
    point.refresh_from_db()
    sms.refresh_from_db()
    subscriber.refresh_from_db()
    assert point.opted_out_at is not None
    assert point.opt_out_source == "link"
    assert sms.opted_out_at is None  # the text messages keep coming
    assert subscriber.unsubscribed_at is None
    withdrawals = ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN)
    assert list(withdrawals.values_list("channel", flat=True)) == ["email"]


def test_the_only_contact_point_unsubscribed_ends_the_subscription(zone: Zone) -> None:
    subscriber = subscriber_in(zone)
    point = email_of(subscriber, "seul@exemple.ca")

    response = Client().post(
        reverse("alerts:one_click", args=[one_click.token_for(point.pk, point.address)])
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN).count() == 1
    assert "seul@exemple.ca" in response.content.decode()


def test_opening_the_address_only_shows_a_button(zone: Zone) -> None:
    point = email_of(subscriber_in(zone), "marie@exemple.ca")
    address = reverse("alerts:one_click", args=[one_click.token_for(point.pk, point.address)])

    response = Client().get(address)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post">' in html
    assert "Arrêter les alertes à cette adresse" in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    point.refresh_from_db()
    assert point.opted_out_at is None
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["tampered", "unknown", "sms", "no-dot", "letters", "long"],
)
def test_a_bad_token_is_a_404_and_changes_nothing(zone: Zone, token: str) -> None:
    subscriber = subscriber_in(zone)
    point = email_of(subscriber, "marie@exemple.ca")
    sms = ContactPointFactory.create(
        subscriber=subscriber, channel=ContactChannel.SMS, address="+14505550100"
    )
    good = one_click.token_for(point.pk, point.address)
    tokens = {
        "tampered": good[:-1] + ("0" if good[-1] != "0" else "1"),
        "unknown": one_click.token_for(point.pk + 1000, point.address),
        "sms": one_click.token_for(sms.pk, sms.address),
        "no-dot": good.replace(".", ""),
        "letters": "abc." + good.partition(".")[2],
        "long": good + "0" * 100,
    }

    response = Client().post(reverse("alerts:one_click", args=[tokens[token]]))

    assert response.status_code == 404
    assert not ContactPoint.objects.exclude(opted_out_at=None).exists()
    assert not ConsentRecord.objects.exists()


def test_an_alert_batch_reaches_a_real_smtp_server_over_one_connection_with_its_headers(
    zone: Zone,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for index in range(4):
        email_of(subscriber_in(zone), f"voisin{index}@exemple.ca")

    with counting_server(settings) as inbox:
        send(alert_for(zone, **ROUTINE), django_capture_on_commit_callbacks)
        for index in range(4):
            inbox.wait_for(f"voisin{index}@exemple.ca")

    assert len(inbox.messages) == 4
    assert inbox.connections == 1
    for message in inbox.messages:
        assert "/fr/alertes/desabonnement/" in str(message["List-Unsubscribe"])
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
