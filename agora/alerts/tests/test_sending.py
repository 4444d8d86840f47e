"""Who an alert reaches (zone or drawn polygon, mandatory or chosen topic, confirmed and
not opted out, the channels it uses) and how it leaves: one delivery per contact point,
written in batches, sent once even when a batch runs twice or a worker dies mid-way."""

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.alerts import sending
from agora.alerts.models import Alert, AlertState, ContactChannel, ContactPoint, Subscriber, Zone
from agora.alerts.tests.factories import (
    AlertFactory,
    ContactPointFactory,
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
    square,
)
from agora.core import channels, deliveries, scheduling
from agora.core.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


class WorkerKilledError(Exception):
    pass


class RecordingChannel(channels.Channel):
    sent: list[tuple[str, str]] = []

    def send(self, delivery: Delivery) -> None:
        self.sent.append((delivery.recipient, delivery.payload.get("text", "")))


class RecordingSms(RecordingChannel):
    name = "sms"
    sent: list[tuple[str, str]] = []


class RecordingVoice(RecordingChannel):
    name = "voice"


@pytest.fixture
def sms_sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    monkeypatch.setattr(RecordingSms, "sent", [])
    monkeypatch.setitem(channels._channels, "sms", RecordingSms)
    monkeypatch.setitem(channels._channels, "voice", RecordingVoice)
    return RecordingSms.sent


@pytest.fixture
def north() -> Zone:
    zone: Zone = ZoneFactory.create(geojson=square(-73.53, 45.38, -73.51, 45.40))
    return zone


def subscriber_in(
    zone: Zone | None, *, language: str = "fr", topics: Any = (), **place: Any
) -> Subscriber:
    subscriber: Subscriber = SubscriberFactory.create(language=language)
    created = subscriber.places.create(label="Maison", **place)
    if zone is not None:
        created.zones.add(zone)
    subscriber.topics.set(topics)
    return subscriber


def contact(
    subscriber: Subscriber, channel: str = ContactChannel.EMAIL, **fields: Any
) -> ContactPoint:
    address = fields.pop("address", None)
    if address is None:
        address = f"+1450555{ContactPoint.objects.count():04d}" if channel != "email" else None
    extra = {"address": address} if address else {}
    point: ContactPoint = ContactPointFactory.create(
        subscriber=subscriber, channel=channel, **extra, **fields
    )
    return point


def alert_for(*zones: Zone, mandatory: bool = True, **fields: Any) -> Alert:
    topic = fields.pop("topic", None) or TopicFactory.create(mandatory=mandatory)
    alert: Alert = AlertFactory.create(topic=topic, state=AlertState.DRAFT, sent_at=None, **fields)
    alert.zones.set(zones)
    return alert


def test_a_mandatory_alert_reaches_every_confirmed_contact_in_its_zone(north: Zone) -> None:
    elsewhere: Zone = ZoneFactory.create()
    resident = subscriber_in(north)
    email, sms = contact(resident), contact(resident, ContactChannel.SMS)
    contact(subscriber_in(north), verified_at=None)  # never confirmed
    contact(subscriber_in(north), opted_out_at=timezone.now())  # answered STOP
    gone = subscriber_in(north)
    gone.unsubscribed_at = timezone.now()
    gone.save()
    contact(gone)
    contact(subscriber_in(elsewhere))

    assert set(sending.recipients(alert_for(north))) == {email, sms}


def test_an_optional_topic_reaches_only_those_who_chose_it(north: Zone) -> None:
    works = TopicFactory.create(mandatory=False)
    chose = contact(subscriber_in(north, topics=[works]))
    contact(subscriber_in(north))

    assert list(sending.recipients(alert_for(north, topic=works))) == [chose]


def test_only_the_channels_the_alert_uses_and_each_contact_once(north: Zone) -> None:
    other: Zone = ZoneFactory.create()
    resident = subscriber_in(north)
    resident.places.create(label="Travail").zones.add(north, other)
    email = contact(resident)
    contact(resident, ContactChannel.SMS)
    contact(resident, ContactChannel.VOICE)

    alert = alert_for(north, other, send_sms=False, send_voice=False)

    assert list(sending.recipients(alert)) == [email]
    assert sending.recipient_counts(alert) == {"email": 1}


def test_a_polygon_drawn_on_the_map_reaches_the_places_inside_it() -> None:
    inside = contact(subscriber_in(None, latitude=Decimal("45.395"), longitude=Decimal("-73.52")))
    contact(subscriber_in(None, latitude=Decimal("45.395"), longitude=Decimal("-73.40")))
    contact(subscriber_in(None))  # no point, no zone
    triangle = {
        "type": "Polygon",
        "coordinates": [[[-73.53, 45.38], [-73.50, 45.38], [-73.53, 45.41], [-73.53, 45.38]]],
    }

    alert = alert_for(polygon=json.dumps(triangle))

    assert list(sending.recipients(alert)) == [inside]


def test_the_count_per_channel_is_given_before_sending(north: Zone) -> None:
    for index in range(3):
        resident = subscriber_in(north)
        contact(resident)
        if index:
            contact(resident, ContactChannel.SMS)

    assert sending.recipient_counts(alert_for(north, send_voice=True)) == {
        "email": 2 + 1,
        "sms": 2,
        "voice": 0,
    }


def test_sending_writes_one_delivery_per_contact_in_its_language_and_sends_each_once(
    north: Zone,
    sms_sent: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    monkeypatch.setattr(sending, "BATCH_SIZE", 2)
    english = subscriber_in(north, language="en")
    contact(english, address="resident@example.ca")
    contact(english, ContactChannel.SMS, address="+14505550199")
    for _index in range(3):
        contact(subscriber_in(north))
    alert = alert_for(north)

    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(alert)  # immediate tasks in tests: fans out and sends at once

    alert.refresh_from_db()
    assert alert.state == AlertState.SENT
    assert Delivery.objects.filter(key__startswith=f"alert:{alert.pk}:").count() == 5
    assert sorted(message.to[0] for message in mail.outbox)[-1] == "resident@example.ca"
    assert len(mail.outbox) == 4
    english_mail = next(m for m in mail.outbox if m.to == ["resident@example.ca"])
    assert english_mail.subject == "Precautionary boil-water advisory"
    assert f"/en/alerts/notices/{alert.pk}/" in english_mail.body or "/en/" in english_mail.body
    assert sms_sent == [("+14505550199", sms_sent[0][1])]
    assert "Precautionary boil-water advisory" in sms_sent[0][1]


def test_each_alert_email_carries_its_subscribers_own_management_link(
    north: Zone,
    client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    english = subscriber_in(north, language="en")
    contact(english, address="resident@example.ca")
    contact(subscriber_in(north), address="voisin@exemple.ca")

    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(alert_for(north))

    bodies = {message.to[0]: str(message.body) for message in mail.outbox}
    links = {
        address: re.findall(r"https?://[^/\s]+(/\S+/gerer/\S+|/\S+/manage/\S+)", body)
        for address, body in bodies.items()
    }
    assert links["resident@example.ca"][0].startswith("/en/alerts/manage/")
    assert links["voisin@exemple.ca"][0].startswith("/fr/alertes/gerer/")
    assert links["resident@example.ca"] != links["voisin@exemple.ca"]
    page = client.get(links["resident@example.ca"][0])
    assert page.status_code == 200
    assert "resident@example.ca" in page.content.decode()


def test_a_batch_or_a_fan_out_run_twice_sends_nothing_twice(
    north: Zone,
    sms_sent: list[tuple[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for _index in range(3):
        contact(subscriber_in(north))
    alert = alert_for(north)
    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(alert)
    keys = sorted(Delivery.objects.values_list("key", flat=True))

    alert.state = AlertState.SENDING
    alert.fanned_out_to = 0
    alert.save()
    with django_capture_on_commit_callbacks(execute=True):
        sending.fan_out.call(alert_id=alert.pk)
    sending.send_batch.call(alert_id=alert.pk, first_key=keys[0], last_key=keys[-1])

    assert Delivery.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_worker_killed_mid_batch_leaves_nobody_out_and_nobody_twice(
    north: Zone,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for _index in range(4):
        contact(subscriber_in(north))
    alert = alert_for(north)
    calls = {"count": 0}
    real_send = deliveries.send_attempt

    def dies_on_the_third(*, delivery_id: int, attempt: int) -> Any:
        calls["count"] += 1
        if calls["count"] == 3:
            # The attempt is claimed, then the worker is killed before the provider answers.
            Delivery.objects.filter(pk=delivery_id).update(
                attempts=1, next_attempt_at=timezone.now() + deliveries.ATTEMPT_TIMEOUT
            )
            raise WorkerKilledError
        return real_send(delivery_id=delivery_id, attempt=attempt)

    monkeypatch.setattr(deliveries, "send_attempt", dies_on_the_third)
    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(alert)  # the task queue records the batch's task as failed
    monkeypatch.setattr(deliveries, "send_attempt", real_send)
    assert len(mail.outbox) == 2

    # The worker comes back: the fan-out starts again where it was, the retry job takes the
    # claimed delivery once its attempt has timed out.
    with django_capture_on_commit_callbacks(execute=True):
        sending.fan_out.call(alert_id=alert.pk)
    later = timezone.now() + deliveries.ATTEMPT_TIMEOUT + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries.enqueue_due(now=later)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert len(recipients) == 4
    assert len(set(recipients)) == 4


def test_a_fan_out_interrupted_is_resumed_by_the_scheduled_job_and_reaches_everyone_once(
    north: Zone,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for _index in range(5):
        contact(subscriber_in(north))
    alert = alert_for(north)
    monkeypatch.setattr(sending, "BATCH_SIZE", 2)
    real_write = sending.write_batch
    written = {"batches": 0}

    def killed_after_the_first_batch(alert: Alert, recipients: Any) -> list[str]:
        written["batches"] += 1
        if written["batches"] == 2:
            raise WorkerKilledError
        return real_write(alert, recipients)

    monkeypatch.setattr(sending, "write_batch", killed_after_the_first_batch)
    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(alert)  # the task queue records the fan-out as failed
    monkeypatch.setattr(sending, "write_batch", real_write)
    alert.refresh_from_db()
    assert alert.state == AlertState.SENDING
    assert len(mail.outbox) == 2

    soon = timezone.now() + datetime.timedelta(minutes=1)
    assert sending.resume_fan_outs(now=soon) == 0  # not yet: it may still be running
    later = timezone.now() + sending.FAN_OUT_TIMEOUT
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.job_named("alerts-resume-fan-out").run(later) == (
            "alert fan-outs resumed: 1"
        )

    alert.refresh_from_db()
    assert alert.state == AlertState.SENT
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 5
    assert sending.resume_fan_outs(now=later) == 0
