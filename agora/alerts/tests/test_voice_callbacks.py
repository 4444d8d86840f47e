"""Twilio's status callbacks on our calls: the delivery's report moves forward, a busy line
or no answer calls again twice (a new delivery each time, spaced by VOICE_RETRY_MINUTES),
a forged or replayed callback changes nothing; and the confirmation code of a subscription's
phone number is read out through this channel."""

import datetime
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from time_machine import TimeMachineFixture

from agora.alerts.models import ContactChannel, ContactPoint
from agora.alerts.sending import delivery_key
from agora.alerts.tests.factories import ContactPointFactory
from agora.alerts.tests.subscribe_support import code_in, form_data, offer
from agora.alerts.tests.twilio_server import ClientPoster, Created, FakeTwilio
from agora.core import deliveries
from agora.core.models import Delivery

pytestmark = pytest.mark.django_db

PHONE = "+14505550199"
NOW = datetime.datetime(2026, 12, 8, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock(db: None, time_machine: TimeMachineFixture) -> None:
    """A frozen clock, once the test database is set up."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _points(_clock: None) -> None:
    """The contact points the calls' keys name (3: an alert's, 12: a code's)."""
    for point_id in (3, 12):
        ContactPointFactory.create(
            pk=point_id, channel=ContactChannel.VOICE, address="+14505550100"
        )


def _first_call(fake_twilio: FakeTwilio, key: str = delivery_key(7, 3)) -> tuple[Delivery, Created]:
    delivery = Delivery.objects.create(
        key=key,
        channel="voice",
        recipient=PHONE,
        language="fr",
        payload={"script": "Avis d'ébullition."},
        next_attempt_at=NOW,
    )
    assert deliveries.send_attempt(delivery_id=delivery.pk, attempt=0) == Delivery.State.SENT
    delivery.refresh_from_db()
    return delivery, fake_twilio.calls[-1]


def _retry_when_due(
    fake_twilio: FakeTwilio,
    time_machine: TimeMachineFixture,
    captured: DjangoCaptureOnCommitCallbacks,
    due: datetime.datetime,
) -> Created:
    """Runs the deliveries' retry job at `due`, as run_scheduled would; returns the call."""
    placed = len(fake_twilio.calls)
    time_machine.move_to(due, tick=False)
    with captured(execute=True):
        assert deliveries.enqueue_due(now=timezone.now()) == 1
    assert len(fake_twilio.calls) == placed + 1
    return fake_twilio.calls[-1]


def test_the_report_follows_the_call_until_delivered(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    delivery, call = _first_call(fake_twilio)
    via = ClientPoster(client)
    seen = []
    for status in ("queued", "ringing", "in-progress"):
        assert fake_twilio.report_call(call, status, via=via).status == 200
        delivery.refresh_from_db()
        seen.append(delivery.report)
    assert fake_twilio.end_call(call, "completed", via=via, answered_by="human").status == 200
    delivery.refresh_from_db()

    assert seen == ["queued", "ringing", "in-progress"]
    assert delivery.report == "delivered"
    assert delivery.reported_at == NOW
    assert delivery.provider_reference == call.sid
    assert Delivery.objects.count() == 1  # no other call


def test_a_message_left_on_an_answering_machine_is_delivered(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    delivery, call = _first_call(fake_twilio)
    fake_twilio.end_call(
        call, "completed", via=ClientPoster(client), answered_by="machine_end_beep"
    )
    delivery.refresh_from_db()
    assert delivery.report == "delivered"
    assert Delivery.objects.count() == 1


def test_a_late_ringing_does_not_undo_completed(fake_twilio: FakeTwilio, client: Client) -> None:
    delivery, call = _first_call(fake_twilio)
    via = ClientPoster(client)
    fake_twilio.end_call(call, "completed", via=via)
    fake_twilio.report_call(call, "ringing", via=via)
    delivery.refresh_from_db()
    assert delivery.report == "delivered"


def test_busy_calls_again_twice_spaced_and_never_a_fourth_time(
    fake_twilio: FakeTwilio,
    client: Client,
    settings: Settings,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.VOICE_RETRY_MINUTES = 5
    via = ClientPoster(client)
    first, call = _first_call(fake_twilio)

    fake_twilio.end_call(call, "busy", via=via)
    second = Delivery.objects.get(key=delivery_key(7, 3, attempt=2))
    assert (second.state, second.attempts) == (Delivery.State.PENDING, 0)
    assert second.next_attempt_at == NOW + datetime.timedelta(minutes=5)
    assert (second.recipient, second.payload, second.language) == (
        PHONE,
        first.payload,
        "fr",
    )
    # Not before it is due.
    time_machine.move_to(NOW + datetime.timedelta(minutes=4), tick=False)
    assert deliveries.enqueue_due(now=timezone.now()) == 0

    call = _retry_when_due(
        fake_twilio, time_machine, django_capture_on_commit_callbacks, second.next_attempt_at
    )
    second.refresh_from_db()
    assert second.state == Delivery.State.SENT
    assert second.provider_reference == call.sid
    fake_twilio.end_call(call, "no-answer", via=via)

    third = Delivery.objects.get(key=delivery_key(7, 3, attempt=3))
    assert third.next_attempt_at == NOW + datetime.timedelta(minutes=10)
    call = _retry_when_due(
        fake_twilio, time_machine, django_capture_on_commit_callbacks, third.next_attempt_at
    )
    fake_twilio.end_call(call, "busy", via=via)

    assert sorted(Delivery.objects.values_list("key", "report")) == [
        (delivery_key(7, 3, attempt=1), "busy"),
        (delivery_key(7, 3, attempt=2), "no-answer"),
        (delivery_key(7, 3, attempt=3), "busy"),
    ]
    assert len(fake_twilio.calls) == 3
    time_machine.move_to(NOW + datetime.timedelta(hours=1), tick=False)
    assert deliveries.enqueue_due(now=timezone.now()) == 0


@pytest.mark.parametrize("status", ["failed", "canceled", "completed"])
def test_only_busy_and_no_answer_call_again(
    fake_twilio: FakeTwilio, client: Client, status: str
) -> None:
    _delivery, call = _first_call(fake_twilio)
    fake_twilio.end_call(call, status, via=ClientPoster(client))
    assert Delivery.objects.count() == 1


@pytest.mark.parametrize("left", ["opted out", "unsubscribed", "deleted"])
def test_a_person_who_left_since_is_not_called_again(
    fake_twilio: FakeTwilio, client: Client, left: str
) -> None:
    _delivery, call = _first_call(fake_twilio)
    point = ContactPoint.objects.select_related("subscriber").get(pk=3)
    if left == "opted out":
        point.opted_out_at = NOW
        point.save(update_fields=["opted_out_at"])
    elif left == "unsubscribed":
        point.subscriber.unsubscribed_at = NOW
        point.subscriber.save(update_fields=["unsubscribed_at"])
    else:
        point.delete()
    assert fake_twilio.end_call(call, "busy", via=ClientPoster(client)).status == 200
    assert Delivery.objects.count() == 1


def test_a_replayed_callback_changes_nothing(fake_twilio: FakeTwilio, client: Client) -> None:
    _delivery, call = _first_call(fake_twilio)
    via = ClientPoster(client)
    fake_twilio.end_call(call, "busy", via=via)
    written = list(Delivery.objects.order_by("pk").values())

    assert fake_twilio.end_call(call, "busy", via=via).status == 200
    assert fake_twilio.end_call(call, "no-answer", via=via).status == 200

    assert list(Delivery.objects.order_by("pk").values()) == written


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBvbmU="])
def test_a_callback_without_twilio_s_signature_is_refused(
    fake_twilio: FakeTwilio, client: Client, signature: str
) -> None:
    delivery, call = _first_call(fake_twilio)
    answer = fake_twilio.post(
        call.field("StatusCallback"),
        fake_twilio.call_params(call, "busy"),
        via=ClientPoster(client),
        signature=signature,
    )
    assert answer.status == 403
    delivery.refresh_from_db()
    assert delivery.report == ""
    assert Delivery.objects.count() == 1


def test_a_callback_whose_delivery_signature_is_wrong_is_refused(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    _delivery, call = _first_call(fake_twilio)
    forged = call.field("StatusCallback").replace("signature=", "signature=0")
    answer = fake_twilio.post(
        forged, fake_twilio.call_params(call, "busy"), via=ClientPoster(client)
    )
    assert answer.status == 403
    assert Delivery.objects.count() == 1


def test_a_callback_for_an_unknown_delivery_is_a_safe_no_op(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    delivery, call = _first_call(fake_twilio)
    delivery.delete()
    assert fake_twilio.end_call(call, "busy", via=ClientPoster(client)).status == 200
    assert not Delivery.objects.exists()


def test_a_callback_about_another_call_changes_nothing(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    delivery, call = _first_call(fake_twilio)
    other = Created("CA" + "f" * 32, "Calls", call.fields)
    fake_twilio.end_call(other, "busy", via=ClientPoster(client))
    delivery.refresh_from_db()
    assert delivery.report == ""
    assert Delivery.objects.count() == 1


def test_a_confirmation_code_call_is_called_again_under_its_own_key(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    _delivery, call = _first_call(fake_twilio, key="alerts-code:12:0123abcd")
    via = ClientPoster(client)
    fake_twilio.end_call(call, "no-answer", via=via)
    second = Delivery.objects.get(key="alerts-code:12:0123abcd:2")
    assert second.channel == "voice"
    assert deliveries.send_attempt(delivery_id=second.pk, attempt=0) == Delivery.State.SENT
    fake_twilio.end_call(fake_twilio.calls[-1], "busy", via=via)
    third = Delivery.objects.get(key="alerts-code:12:0123abcd:3")
    assert deliveries.send_attempt(delivery_id=third.pk, attempt=0) == Delivery.State.SENT
    fake_twilio.end_call(fake_twilio.calls[-1], "busy", via=via)
    assert Delivery.objects.count() == 3


def test_the_confirmation_code_of_a_phone_number_is_read_out_through_twilio(
    fake_twilio: FakeTwilio,
    client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    zones, _mandatory, _optional = offer()
    data: dict[str, Any] = form_data(zones, email="", sms="", voice="450 555-0199")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/alertes/", data)
    assert response.status_code == 302

    delivery = Delivery.objects.get(channel="voice")
    assert delivery.state == Delivery.State.SENT
    [call] = fake_twilio.calls
    assert call.field("To") == PHONE
    [document] = fake_twilio.answer_call(call, via=ClientPoster(client))
    [script, _prompt] = ET.fromstring(document).iter("Say")  # noqa: S314
    assert script.attrib["language"] == "fr-CA"
    assert "code de confirmation" in (script.text or "")

    # The code it says confirms the number.
    point = ContactPoint.objects.get(channel="voice", verified_at__isnull=True)
    code = code_in(script.text or "")
    answer = client.post(
        response["Location"],
        {"action": "code", "contact": point.pk, f"code-{point.pk}-code": code},
    )
    assert answer.status_code in (200, 302)
    point.refresh_from_db()
    assert point.verified_at is not None
