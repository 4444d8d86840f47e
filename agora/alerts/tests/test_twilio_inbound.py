"""Messages residents text to the city's Twilio number: the same keywords as through Kannel
(STOP and ARRET opt the number out at once), answered in TwiML <Message>, and only when
Twilio signed the request."""

import logging
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from agora.alerts.channels.sms_keywords import Keyword, reply_to
from agora.alerts.models import ConsentRecord, ContactChannel, ContactPoint, OptOutSource
from agora.alerts.tests.factories import ContactPointFactory, SubscriberFactory
from agora.alerts.tests.twilio_server import Answer, ClientPoster, FakeTwilio

pytestmark = pytest.mark.django_db

INBOUND = "http://testserver/passerelles/twilio/sms-entrant/"
PHONE = "+15145550123"


def _text(
    fake_twilio: FakeTwilio, client: Client, body: str, *, signature: str | None = None
) -> Answer:
    params = [
        ("AccountSid", fake_twilio.account_sid),
        ("MessageSid", "SM" + "1" * 32),
        ("From", PHONE),
        ("To", "+15145550000"),
        ("Body", body),
        ("NumMedia", "0"),
    ]
    return fake_twilio.post(INBOUND, params, via=ClientPoster(client), signature=signature)


def _reply(answer: Answer) -> str:
    document = ET.fromstring(answer.body)  # noqa: S314
    assert document.tag == "Response"
    message = document.find("Message")
    assert message is not None
    return message.text or ""


def _sms_point() -> ContactPoint:
    return ContactPointFactory.create(
        subscriber=SubscriberFactory.create(), channel=ContactChannel.SMS, address=PHONE
    )


@pytest.mark.parametrize(("word", "keyword"), [("STOP", Keyword.STOP), ("Arrêt", Keyword.ARRET)])
def test_stop_and_arret_through_twilio_opt_the_number_out(
    fake_twilio: FakeTwilio, client: Client, word: str, keyword: Keyword
) -> None:
    point = _sms_point()

    answer = _text(fake_twilio, client, word)

    assert answer.status == 200
    assert _reply(answer) == reply_to(keyword)
    point.refresh_from_db()
    assert point.opted_out_at is not None
    assert point.opt_out_source == OptOutSource.STOP
    assert ConsentRecord.objects.filter(
        subscriber=point.subscriber, action=ConsentRecord.Action.WITHDRAWN
    ).exists()


def test_aide_is_answered_in_french(fake_twilio: FakeTwilio, client: Client) -> None:
    point = _sms_point()
    answer = _text(fake_twilio, client, "aide")
    assert _reply(answer) == reply_to(Keyword.AIDE)
    point.refresh_from_db()
    assert point.opted_out_at is None


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBvbmU="])
def test_a_message_twilio_did_not_sign_changes_nothing(
    fake_twilio: FakeTwilio, client: Client, signature: str
) -> None:
    point = _sms_point()
    answer = _text(fake_twilio, client, "STOP", signature=signature)
    assert answer.status == 403
    point.refresh_from_db()
    assert point.opted_out_at is None
    assert not ConsentRecord.objects.exists()


def test_no_number_nor_text_in_the_logs(
    fake_twilio: FakeTwilio, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    _sms_point()
    with caplog.at_level(logging.DEBUG):
        _text(fake_twilio, client, "STOP")
    assert PHONE not in caplog.text
    assert "5550123" not in caplog.text
