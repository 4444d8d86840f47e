"""An address that cannot receive: the real mail server on loopback refuses one subscriber's
address for good (550), so their contact point is taken off the alerts and the next alert
does not write to it; the others are unaffected, the refusal counts as a failure in the
report, and the subscriber may add the address again."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from agora.alerts import reports, sending
from agora.alerts.models import (
    Alert,
    AlertState,
    ConsentRecord,
    ContactPoint,
    OptOutSource,
    Subscriber,
    Zone,
)
from agora.alerts.subscriptions import ContactInput, add_contact
from agora.alerts.tests.factories import (
    AlertFactory,
    ContactPointFactory,
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
)
from agora.core import deliveries
from agora.core.models import Delivery
from agora.core.tests.test_email_connection_reuse import counting_server

pytestmark = pytest.mark.django_db

GONE = "parti@example.org"
HERE = "present@example.org"


def subscriber_with(zone: Zone, address: str) -> ContactPoint:
    subscriber: Subscriber = SubscriberFactory.create()
    subscriber.places.create(label="Maison").zones.add(zone)
    point: ContactPoint = ContactPointFactory.create(subscriber=subscriber, address=address)
    return point


def send_alert(zone: Zone, captured: Any) -> Alert:
    alert: Alert = AlertFactory.create(
        topic=TopicFactory.create(mandatory=True),
        state=AlertState.DRAFT,
        sent_at=None,
        send_sms=False,
    )
    alert.zones.set([zone])
    with captured(execute=True):
        sending.start_sending(alert)
    return alert


def test_a_refused_address_is_taken_off_the_alerts_and_the_others_still_receive(
    settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    zone = ZoneFactory.create()
    gone, here = subscriber_with(zone, GONE), subscriber_with(zone, HERE)

    with counting_server(settings, refused=(GONE,)) as inbox:
        first = send_alert(zone, django_capture_on_commit_callbacks)
        second = send_alert(zone, django_capture_on_commit_callbacks)

    gone.refresh_from_db()
    assert gone.opted_out_at is not None
    assert gone.opt_out_source == OptOutSource.BOUNCE
    here.refresh_from_db()
    assert here.opted_out_at is None
    assert [message["To"] for message in inbox.messages] == [HERE, HERE]
    assert Delivery.objects.filter(key__startswith=f"alert:{second.pk}:").count() == 1
    # Not a withdrawal of consent: nothing is recorded in its name.
    assert not ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN).exists()
    totals = reports.alert_report(first).totals.counts
    assert (totals[reports.Outcome.FAILED], totals[reports.Outcome.OPTED_OUT]) == (1, 0)


def test_a_refused_confirmation_or_other_message_changes_no_contact_point(
    settings: Settings,
) -> None:
    zone = ZoneFactory.create()
    point = subscriber_with(zone, GONE)
    Delivery.objects.create(key=f"idea-status:1:{point.pk}:1", channel="email", recipient=GONE)

    with counting_server(settings, refused=(GONE,)):
        delivery = Delivery.objects.get()
        deliveries.send_attempt(delivery_id=delivery.pk, attempt=0)

    point.refresh_from_db()
    assert point.opted_out_at is None
    assert Delivery.objects.get().state == Delivery.State.FAILED


def test_the_subscriber_may_add_the_refused_address_again(
    settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    zone = ZoneFactory.create()
    gone = subscriber_with(zone, GONE)
    with counting_server(settings, refused=(GONE,)):
        send_alert(zone, django_capture_on_commit_callbacks)

    again = add_contact(subscriber=gone.subscriber, contact=ContactInput("email", GONE))

    assert again.pk == gone.pk
    assert (again.opted_out_at, again.verified_at) == (None, None)  # to confirm again
