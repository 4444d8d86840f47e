"""Text messages through Twilio (SMS_PROVIDER "twilio"): what the channel asks the Messages
API (through the fake Twilio on loopback), how it reads Twilio's refusals, and the signed
status callbacks that report on each message."""

import pytest
from django.test import Client
from pytest_django import Settings

from agora.alerts import channels as alerts_channels
from agora.alerts.channels import twilio
from agora.alerts.channels.kannel import KannelChannel
from agora.alerts.channels.twilio import TwilioTextMessageChannel
from agora.alerts.sms_text import sms_length
from agora.alerts.tests.twilio_server import ClientPoster, Created, FakeTwilio
from agora.core import channels
from agora.core.channels import DeliveryError, channel_named
from agora.core.deliveries import send_attempt
from agora.core.models import Delivery

pytestmark = pytest.mark.django_db

PHONE = "+15145550123"


def _delivery(text: str = "Avis d'ébullition levé à 14 h.") -> Delivery:
    return Delivery.objects.create(
        key=f"sms-{Delivery.objects.count()}",
        channel="sms",
        recipient=PHONE,
        language="fr",
        payload={"text": text},
    )


def _sent(fake_twilio: FakeTwilio, text: str = "Bonjour") -> tuple[Delivery, Created]:
    delivery = _delivery(text)
    TwilioTextMessageChannel().send(delivery)
    delivery.refresh_from_db()
    return delivery, fake_twilio.messages[-1]


def test_sms_provider_decides_the_sms_channel(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "_channels", dict(channels._channels))
    settings.SMS_PROVIDER = "twilio"
    alerts_channels.register()
    assert isinstance(channel_named("sms"), TwilioTextMessageChannel)
    settings.SMS_PROVIDER = "kannel"
    alerts_channels.register()
    assert isinstance(channel_named("sms"), KannelChannel)


def test_a_message_goes_to_the_messages_api_with_its_text_and_numbers(
    fake_twilio: FakeTwilio,
) -> None:
    delivery, message = _sent(fake_twilio, "Avis d'ébullition levé à 14 h.")

    assert message.field("To") == PHONE
    assert message.field("From") == "+15145550000"
    assert message.field("Body") == "Avis d'ébullition levé à 14 h."
    assert delivery.provider_reference == message.sid
    assert message.sid.startswith("SM")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Avis d'ébullition levé.", "gsm7"), ("« Fête » reçue", "ucs2"), ("Travaux 🚧", "ucs2")],
)
def test_the_text_reaches_twilio_whole_and_twilio_picks_the_coding(
    fake_twilio: FakeTwilio, text: str, encoding: str
) -> None:
    _sent_delivery, message = _sent(fake_twilio, text)
    assert message.field("Body") == text
    assert sms_length(message.field("Body")).encoding == encoding
    # Twilio chooses GSM-7 or UCS-2 from the text: we never ask it to replace characters.
    assert "SmartEncoded" not in message.fields


def test_the_status_callback_names_the_delivery_and_is_signed(fake_twilio: FakeTwilio) -> None:
    delivery, message = _sent(fake_twilio)
    callback = message.field("StatusCallback")
    assert callback.startswith("http://testserver/passerelles/twilio/sms/statut/?delivery=")
    assert callback == twilio.callback_url("twilio-sms-status", delivery.pk)
    signature = callback.split("signature=")[1]
    assert twilio.callback_signature_is_valid(delivery.pk, signature)
    assert not twilio.callback_signature_is_valid(delivery.pk + 1, signature)


def test_a_delivery_sent_through_twilio_is_sent(
    fake_twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(channels._channels, "sms", TwilioTextMessageChannel)
    delivery = _delivery()
    assert send_attempt(delivery_id=delivery.pk, attempt=0) == Delivery.State.SENT
    assert len(fake_twilio.messages) == 1


@pytest.mark.parametrize(
    ("status", "permanent"),
    [(400, True), (401, False), (403, False), (404, False), (429, False), (500, False)],
)
def test_twilio_refusals_and_failures(
    fake_twilio: FakeTwilio, status: int, permanent: bool
) -> None:
    fake_twilio.fail_next(status, code=21211)
    with pytest.raises(DeliveryError) as failed:
        TwilioTextMessageChannel().send(_delivery("Bonjour"))
    assert failed.value.permanent is permanent
    assert str(status) in failed.value.message
    assert "21211" in failed.value.message
    assert PHONE not in failed.value.message
    assert "Bonjour" not in failed.value.message


def test_a_wrong_token_is_a_settings_error_not_a_refusal(
    fake_twilio: FakeTwilio, settings: Settings
) -> None:
    settings.TWILIO_AUTH_TOKEN = "pas-le-bon"
    with pytest.raises(DeliveryError) as failed:
        TwilioTextMessageChannel().send(_delivery())
    assert not failed.value.permanent
    assert fake_twilio.refused == [401]


def test_twilio_unreachable_is_a_transient_failure(settings: Settings) -> None:
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # discard: nobody there
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = "jeton"
    with pytest.raises(DeliveryError) as failed:
        TwilioTextMessageChannel().send(_delivery())
    assert not failed.value.permanent


def test_without_an_account_nothing_is_asked(settings: Settings) -> None:
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(DeliveryError) as failed:
        TwilioTextMessageChannel().send(_delivery())
    assert not failed.value.permanent


def test_an_api_address_that_is_not_http_is_never_opened(
    fake_twilio: FakeTwilio, settings: Settings
) -> None:
    settings.TWILIO_API_BASE_URL = "file:///etc"
    with pytest.raises(DeliveryError):
        TwilioTextMessageChannel().send(_delivery())
    assert fake_twilio.created == []


def test_an_empty_text_is_refused_for_good(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(DeliveryError) as failed:
        TwilioTextMessageChannel().send(_delivery("  "))
    assert failed.value.permanent
    assert fake_twilio.created == []


# Status callbacks ------------------------------------------------------------------------------


def test_status_callbacks_move_the_report_forward(fake_twilio: FakeTwilio, client: Client) -> None:
    delivery, message = _sent(fake_twilio)
    via = ClientPoster(client)

    assert fake_twilio.report_message(message, "sent", via=via).status == 200
    delivery.refresh_from_db()
    assert delivery.report == "sent"

    assert fake_twilio.report_message(message, "delivered", via=via).status == 200
    delivery.refresh_from_db()
    assert delivery.report == "delivered"
    assert delivery.reported_at is not None
    assert delivery.provider_reference == message.sid

    # A late "sent" does not undo "delivered".
    assert fake_twilio.report_message(message, "sent", via=via).status == 200
    delivery.refresh_from_db()
    assert delivery.report == "delivered"


def test_a_replayed_callback_changes_nothing(fake_twilio: FakeTwilio, client: Client) -> None:
    delivery, message = _sent(fake_twilio)
    via = ClientPoster(client)
    fake_twilio.report_message(message, "undelivered", via=via)
    delivery.refresh_from_db()
    first = delivery.reported_at

    assert fake_twilio.report_message(message, "undelivered", via=via).status == 200
    delivery.refresh_from_db()
    assert (delivery.report, delivery.reported_at) == ("undelivered", first)


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBvbmU="])
def test_a_callback_without_twilio_s_signature_is_refused(
    fake_twilio: FakeTwilio, client: Client, signature: str
) -> None:
    delivery, message = _sent(fake_twilio)
    answer = fake_twilio.post(
        message.field("StatusCallback"),
        fake_twilio.message_status_params(message, "delivered"),
        via=ClientPoster(client),
        signature=signature,
    )
    assert answer.status == 403
    delivery.refresh_from_db()
    assert delivery.report == ""


def test_a_callback_signed_with_another_token_is_refused(
    fake_twilio: FakeTwilio, client: Client, settings: Settings
) -> None:
    delivery, message = _sent(fake_twilio)
    settings.TWILIO_AUTH_TOKEN = "un-autre-jeton"
    assert fake_twilio.report_message(message, "delivered", via=ClientPoster(client)).status == 403
    delivery.refresh_from_db()
    assert delivery.report == ""


def test_a_callback_for_another_delivery_needs_that_delivery_s_signature(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    delivery, message = _sent(fake_twilio)
    other = _delivery()
    # Signed by Twilio, but our signature is the first delivery's.
    forged = message.field("StatusCallback").replace(
        f"delivery={delivery.pk}&", f"delivery={other.pk}&"
    )
    answer = fake_twilio.post(
        forged, fake_twilio.message_status_params(message, "delivered"), via=ClientPoster(client)
    )
    assert answer.status == 403
    other.refresh_from_db()
    assert other.report == ""


def test_a_callback_for_a_forgotten_delivery_is_a_no_op(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    delivery, message = _sent(fake_twilio)
    delivery.delete()
    assert fake_twilio.report_message(message, "delivered", via=ClientPoster(client)).status == 200
    assert not Delivery.objects.exists()


def test_callbacks_are_post_only(fake_twilio: FakeTwilio, client: Client) -> None:
    delivery, message = _sent(fake_twilio)
    response = client.get(message.field("StatusCallback").removeprefix("http://testserver"))
    assert response.status_code == 405
    delivery.refresh_from_db()
    assert delivery.report == ""
