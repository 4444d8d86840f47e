"""Twilio's side over real HTTP: the fake Twilio on loopback calls Agora served on a free
port of 127.0.0.1 (the callback server of the Kannel tests), as Twilio calls the portal:
the call's TwiML, its status callbacks, a resident's STOP, all signed."""

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from agora.alerts.channels.twilio import TwilioTextMessageChannel
from agora.alerts.models import ContactChannel
from agora.alerts.sending import delivery_key
from agora.alerts.tests.factories import ContactPointFactory, SubscriberFactory
from agora.alerts.tests.kannel_gateway import CallbackServer, free_port
from agora.alerts.tests.twilio_server import FakeTwilio, HttpPoster
from agora.core import deliveries
from agora.core.models import Delivery

pytestmark = pytest.mark.django_db

PHONE = "+15145550123"


@pytest.fixture
def agora_url(fake_twilio: FakeTwilio, settings: Settings) -> Iterator[str]:
    port = free_port()
    settings.TWILIO_PUBLIC_BASE_URL = f"http://127.0.0.1:{port}"
    with CallbackServer().serving(port):
        yield settings.TWILIO_PUBLIC_BASE_URL


def test_a_call_over_http_busy_then_called_again(fake_twilio: FakeTwilio, agora_url: str) -> None:
    point = ContactPointFactory.create(channel=ContactChannel.VOICE, address=PHONE)
    delivery = Delivery.objects.create(
        key=delivery_key(3, point.pk),
        channel="voice",
        recipient=PHONE,
        language="en",
        payload={"script": "Boil-water advisory."},
    )
    assert deliveries.send_attempt(delivery_id=delivery.pk, attempt=0) == Delivery.State.SENT
    [call] = fake_twilio.calls
    assert call.field("Url").startswith(f"{agora_url}/passerelles/twilio/appel/?")

    first, again = fake_twilio.answer_call(call, via=HttpPoster(), press="1")
    for document in (first, again):
        [script, _prompt] = ET.fromstring(document).iter("Say")  # noqa: S314
        assert (script.attrib["language"], script.text) == ("en-CA", "Boil-water advisory.")

    assert fake_twilio.end_call(call, "busy", via=HttpPoster()).status == 200
    assert fake_twilio.end_call(call, "busy", via=HttpPoster()).status == 200  # replayed
    assert sorted(Delivery.objects.values_list("key", "report")) == [
        (delivery_key(3, point.pk, attempt=1), "busy"),
        (delivery_key(3, point.pk, attempt=2), ""),
    ]


def test_a_message_s_report_and_a_stop_over_http(fake_twilio: FakeTwilio, agora_url: str) -> None:
    point = ContactPointFactory.create(
        subscriber=SubscriberFactory.create(), channel=ContactChannel.SMS, address=PHONE
    )
    delivery = Delivery.objects.create(
        key="sms-live", channel="sms", recipient=PHONE, language="fr", payload={"text": "Bonjour"}
    )
    TwilioTextMessageChannel().send(delivery)
    [message] = fake_twilio.messages
    assert fake_twilio.report_message(message, "delivered", via=HttpPoster()).status == 200
    delivery.refresh_from_db()
    assert delivery.report == "delivered"

    answer = fake_twilio.post(
        f"{agora_url}/passerelles/twilio/sms-entrant/",
        [("From", PHONE), ("To", "+15145550000"), ("Body", "ARRET")],
        via=HttpPoster(),
    )
    assert answer.status == 200
    assert "<Message>" in answer.body
    point.refresh_from_db()
    assert point.opted_out_at is not None

    forged = fake_twilio.post(
        f"{agora_url}/passerelles/twilio/sms-entrant/",
        [("From", PHONE), ("Body", "STOP")],
        via=HttpPoster(),
        signature="",
    )
    assert forged.status == 403
