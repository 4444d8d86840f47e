"""Text messages through a real Kannel gateway (bearerbox, smsbox, and fakesmsc as the phone
network, all on loopback): a message reaches the phone with its accents, in GSM-7 or UCS-2;
Kannel's delivery reports come back to Agora and are kept; a forged report is refused and a
replayed one changes nothing; and a resident's ARRET, STOP or AIDE gets its reply.

The gateway is started once per test process (conftest.py); Agora serves its callbacks
through the test's database connection, under `kannel.lock`."""

import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import parse_qs

import pytest
from pytest_django import Settings

from agora.alerts.channels.sms_keywords import Keyword, reply_to
from agora.alerts.models import ConsentRecord, ContactChannel, ContactPoint, OptOutSource
from agora.alerts.tests.factories import ContactPointFactory, SubscriberFactory
from agora.alerts.tests.kannel_gateway import CITY_NUMBER, Call, CallbackServer, KannelGateway
from agora.core.deliveries import deliver, send_attempt
from agora.core.models import Branding, Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.kannel]

PHONE = "+15145550123"
REPORT_PATH = "/passerelles/kannel/rapport/"


def _send(kannel: CallbackServer, text: str, *, key: str, to: str = PHONE) -> Delivery:
    with kannel.lock:  # Kannel may call back while the attempt is recorded
        delivery = deliver(
            key=key, channel="sms", recipient=to, language="fr", payload={"text": text}
        )
        assert send_attempt(delivery_id=delivery.pk, attempt=0) == Delivery.State.SENT
    return delivery


def _report(delivery: Delivery, kind: int) -> Callable[[Call], bool]:
    def matches(call: Call) -> bool:
        query = parse_qs(call.query)
        return (
            call.path == REPORT_PATH
            and query.get("delivery") == [str(delivery.pk)]
            and query.get("type") == [str(kind)]
        )

    return matches


def test_a_gsm7_message_reaches_the_phone_and_is_reported_delivered(
    kannel: CallbackServer, kannel_gateway: KannelGateway
) -> None:
    text = "Avis d'ébullition levé à 14 h, rue Séguin. Détails : ville.ca/eau {5 €}"
    delivery = _send(kannel, text, key="live-gsm7")

    received = kannel_gateway.wait_for_phone_message(
        lambda m: m.receiver == PHONE and "Séguin" in m.text
    )
    assert received.text == text
    assert received.sender == CITY_NUMBER
    assert received.coding == "text"
    # Kannel reports the SMSC's acknowledgement (8), then the delivery (1).
    acknowledged = kannel.wait_for(_report(delivery, 8))
    delivered = kannel.wait_for(_report(delivery, 1))
    assert acknowledged.status == delivered.status == 200
    with kannel.lock:
        delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.report == "delivered"
    assert delivery.reported_at is not None


def test_a_ucs2_message_keeps_its_characters(
    kannel: CallbackServer, kannel_gateway: KannelGateway
) -> None:
    text = "Fête de quartier : la rue Lâché est fermée. « Reçu » ✓"
    delivery = _send(kannel, text, key="live-ucs2", to="+14505550199")

    received = kannel_gateway.wait_for_phone_message(lambda m: m.receiver == "+14505550199")
    assert received.coding == "ucs-2"
    assert received.text == text
    kannel.wait_for(_report(delivery, 1))


def test_a_forged_report_is_refused_and_a_replayed_one_changes_nothing(
    kannel: CallbackServer, kannel_gateway: KannelGateway
) -> None:
    delivery = _send(kannel, "Collecte des encombrants demain.", key="live-replay")
    delivered = kannel.wait_for(_report(delivery, 1))
    acknowledged = kannel.wait_for(_report(delivery, 8))
    with kannel.lock:
        delivery.refresh_from_db()
    reported_at = delivery.reported_at
    assert delivery.report == "delivered"
    base = kannel_gateway.callback_base_url

    forged = delivered.query.replace("signature=", "signature=0")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}{REPORT_PATH}?{forged}".replace("type=1", "type=2"))  # noqa: S310
    assert refused.value.code == 403
    unsigned = f"delivery={delivery.pk}&type=16"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}{REPORT_PATH}?{unsigned}")  # noqa: S310
    assert refused.value.code == 403

    # Kannel's own reports, sent again: the SMSC's acknowledgement is older news.
    for call in (acknowledged, delivered):
        with urllib.request.urlopen(f"{base}{REPORT_PATH}?{call.query}") as answer:  # noqa: S310
            assert answer.status == 200
    with kannel.lock:
        delivery.refresh_from_db()
    assert delivery.report == "delivered"
    assert delivery.reported_at == reported_at


@pytest.fixture
def city(branding: Branding) -> str:
    return branding.municipality_name


def test_arret_from_a_phone_opts_the_number_out_and_replies_in_french(
    kannel: CallbackServer, kannel_gateway: KannelGateway, city: str
) -> None:
    number = "+18195550147"
    with kannel.lock:
        first = ContactPointFactory.create(channel=ContactChannel.SMS, address=number)
        second = ContactPointFactory.create(
            channel=ContactChannel.SMS,
            address=number,
            subscriber=SubscriberFactory.create(consent_text_version="2026-11"),
        )
        email = ContactPointFactory.create(subscriber=first.subscriber)
        expected = reply_to(Keyword.ARRET)
    assert city in expected
    assert "réabonner" in expected

    kannel_gateway.send_from_phone(number, " Arrêt ")
    reply = kannel_gateway.wait_for_phone_message(lambda m: m.receiver == number)
    assert reply.sender == CITY_NUMBER
    assert reply.text == expected

    with kannel.lock:
        for point in (first, second):
            point.refresh_from_db()
            assert point.opted_out_at is not None
            assert point.opt_out_source == OptOutSource.STOP
        email.refresh_from_db()
        assert email.opted_out_at is None
        withdrawn = ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN)
        assert sorted(withdrawn.values_list("subscriber", "channel", "text_version")) == sorted(
            [
                (first.subscriber_id, "sms", "2026-12"),
                (second.subscriber_id, "sms", "2026-11"),
            ]
        )


def test_stop_from_an_unknown_number_gets_the_reply_and_writes_nothing(
    kannel: CallbackServer, kannel_gateway: KannelGateway, city: str
) -> None:
    number = "+16135550188"
    with kannel.lock:
        expected = reply_to(Keyword.STOP)
    kannel_gateway.send_from_phone(number, "stop")
    reply = kannel_gateway.wait_for_phone_message(lambda m: m.receiver == number)
    assert reply.text == expected
    with kannel.lock:
        assert not ConsentRecord.objects.exists()
        assert not ContactPoint.objects.filter(opted_out_at__isnull=False).exists()


def test_aide_gets_the_french_help(
    kannel: CallbackServer, kannel_gateway: KannelGateway, city: str
) -> None:
    number = "+14185550100"
    with kannel.lock:
        expected = reply_to(Keyword.AIDE)
    kannel_gateway.send_from_phone(number, "AIDE")
    reply = kannel_gateway.wait_for_phone_message(lambda m: m.receiver == number)
    assert reply.text == expected
    assert "ARRET" in reply.text


def test_a_wrong_password_is_a_settings_error_the_message_waits_for(
    kannel: CallbackServer, kannel_gateway: KannelGateway, settings: Settings
) -> None:
    settings.KANNEL_PASSWORD = "pas-le-bon"
    with kannel.lock:
        delivery = deliver(
            key="live-password",
            channel="sms",
            recipient=PHONE,
            language="fr",
            payload={"text": "Test"},
        )
        assert send_attempt(delivery_id=delivery.pk, attempt=0) == Delivery.State.PENDING
        delivery.refresh_from_db()
    assert delivery.last_error.startswith("Kannel answered 403")
    assert delivery.next_attempt_at is not None
