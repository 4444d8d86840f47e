"""The "voice" channel: the call it asks Twilio's Calls API to place (through the fake
Twilio on loopback), the TwiML it answers once the call is picked up (the script in the
subscriber's language, "press 1" to hear it again, a message for answering machines), and
its pace."""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from pytest_django import Settings

from agora.alerts.channels import voice
from agora.alerts.channels.twilio import callback_signature_is_valid
from agora.alerts.channels.voice import VoiceChannel
from agora.alerts.tests.twilio_server import ClientPoster, Created, FakeTwilio
from agora.core.channels import DeliveryError, channel_named
from agora.core.models import Delivery

pytestmark = pytest.mark.django_db

PHONE = "+14505550199"
SCRIPT_FR = "Avis d'ébullition préventif dans le secteur nord. Faites bouillir l'eau une minute."
SCRIPT_EN = "Boil-water advisory in the north sector. Boil water for one minute."
REPEAT_FR = "Pour réécouter ce message, appuyez sur le 1."


def _delivery(
    script: str = SCRIPT_FR, *, language: str = "fr", key: str = "alert:7:000000000003:1"
) -> Delivery:
    return Delivery.objects.create(
        key=key, channel="voice", recipient=PHONE, language=language, payload={"script": script}
    )


def _called(fake_twilio: FakeTwilio, delivery: Delivery) -> Created:
    VoiceChannel().send(delivery)
    return fake_twilio.calls[-1]


def _twiml(document: str) -> ET.Element:
    root = ET.fromstring(document)  # noqa: S314
    assert root.tag == "Response"
    return root


def _says(element: ET.Element) -> list[tuple[str, str]]:
    return [(say.attrib.get("language", ""), say.text or "") for say in element.iter("Say")]


def test_the_channel_is_registered_as_voice() -> None:
    assert isinstance(channel_named("voice"), VoiceChannel)


def test_a_call_is_placed_with_our_twiml_address_status_callback_and_machine_detection(
    fake_twilio: FakeTwilio,
) -> None:
    delivery = _delivery()
    call = _called(fake_twilio, delivery)

    assert (call.field("To"), call.field("From")) == (PHONE, "+15145550000")
    assert call.field("MachineDetection") == "DetectMessageEnd"
    assert call.field("Method") == "POST"
    assert call.fields["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    for name, path in (
        ("Url", "/passerelles/twilio/appel/"),
        ("StatusCallback", "/passerelles/twilio/appel/statut/"),
    ):
        address = urlsplit(call.field(name))
        assert address.path == path
        query = parse_qs(address.query)
        assert query["delivery"] == [str(delivery.pk)]
        assert callback_signature_is_valid(delivery.pk, query["signature"][0])
    delivery.refresh_from_db()
    assert delivery.provider_reference == call.sid
    assert call.sid.startswith("CA")
    # The script is fetched from us once the call is answered, never handed over before.
    assert SCRIPT_FR not in str(call.fields)


def test_a_french_subscriber_hears_the_script_in_fr_ca_then_the_menu(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    call = _called(fake_twilio, _delivery())

    [document] = fake_twilio.answer_call(call, via=ClientPoster(client))

    root = _twiml(document)
    assert [child.tag for child in root] == ["Say", "Gather", "Hangup"]
    assert _says(root) == [("fr-CA", SCRIPT_FR), ("fr-CA", REPEAT_FR)]
    gather = root.find("Gather")
    assert gather is not None
    assert gather.attrib["numDigits"] == "1"
    assert gather.attrib["method"] == "POST"


def test_an_english_subscriber_hears_it_in_en_ca(fake_twilio: FakeTwilio, client: Client) -> None:
    call = _called(fake_twilio, _delivery(SCRIPT_EN, language="en"))

    [document] = fake_twilio.answer_call(call, via=ClientPoster(client))

    [script, prompt] = _says(_twiml(document))
    assert script == ("en-CA", SCRIPT_EN)
    assert prompt[0] == "en-CA"


def test_pressing_1_says_it_again(fake_twilio: FakeTwilio, client: Client) -> None:
    call = _called(fake_twilio, _delivery())

    first, again = fake_twilio.answer_call(call, via=ClientPoster(client), press="1")

    assert _says(_twiml(again)) == _says(_twiml(first))


def test_the_repeats_end(fake_twilio: FakeTwilio, client: Client) -> None:
    call = _called(fake_twilio, _delivery())
    documents = fake_twilio.answer_call(
        call, via=ClientPoster(client), press="1" * voice.MAX_REPEATS
    )

    last = _twiml(documents[-1])
    assert last.find("Gather") is None
    assert _says(last) == [("fr-CA", SCRIPT_FR)]
    assert last.find("Hangup") is not None


def test_another_key_hangs_up(fake_twilio: FakeTwilio, client: Client) -> None:
    call = _called(fake_twilio, _delivery())
    _first, after = fake_twilio.answer_call(call, via=ClientPoster(client), press="9")
    assert [child.tag for child in _twiml(after)] == ["Hangup"]


@pytest.mark.parametrize("answered_by", ["machine_end_beep", "machine_end_silence"])
def test_an_answering_machine_gets_the_script_once_and_where_to_read_the_alert(
    fake_twilio: FakeTwilio, client: Client, answered_by: str
) -> None:
    call = _called(fake_twilio, _delivery())

    [document] = fake_twilio.answer_call(call, via=ClientPoster(client), answered_by=answered_by)

    root = _twiml(document)
    assert root.find("Gather") is None
    assert _says(root) == [
        ("fr-CA", SCRIPT_FR),
        ("fr-CA", "Pour relire ce message, consultez les avis d'alerte sur ville.exemple.ca."),
    ]
    assert root.find("Hangup") is not None


def test_an_answering_machine_gets_a_confirmation_code_once(
    fake_twilio: FakeTwilio, client: Client
) -> None:
    call = _called(fake_twilio, _delivery("Votre code est : 1, 2, 3.", key="alerts-code:4:abc"))
    [document] = fake_twilio.answer_call(
        call, via=ClientPoster(client), answered_by="machine_end_other"
    )
    assert _says(_twiml(document)) == [("fr-CA", "Votre code est : 1, 2, 3.")]


def test_a_fax_is_hung_up_on(fake_twilio: FakeTwilio, client: Client) -> None:
    call = _called(fake_twilio, _delivery())
    [document] = fake_twilio.answer_call(call, via=ClientPoster(client), answered_by="fax")
    assert [child.tag for child in _twiml(document)] == ["Hangup"]


def test_a_forgotten_delivery_says_nothing(fake_twilio: FakeTwilio, client: Client) -> None:
    delivery = _delivery()
    call = _called(fake_twilio, delivery)
    delivery.delete()
    [document] = fake_twilio.answer_call(call, via=ClientPoster(client))
    assert [child.tag for child in _twiml(document)] == ["Hangup"]


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBvbmU="])
def test_the_twiml_is_only_given_to_twilio(
    fake_twilio: FakeTwilio, client: Client, signature: str
) -> None:
    call = _called(fake_twilio, _delivery())
    answer = fake_twilio.post(
        call.field("Url"),
        fake_twilio.call_params(call, "in-progress", AnsweredBy="human"),
        via=ClientPoster(client),
        signature=signature,
    )
    assert answer.status == 403
    assert SCRIPT_FR not in answer.body


@pytest.mark.parametrize(
    ("status", "permanent"), [(400, True), (401, False), (429, False), (500, False)]
)
def test_twilio_refusals_and_failures(
    fake_twilio: FakeTwilio, status: int, permanent: bool
) -> None:
    fake_twilio.fail_next(status, code=13224)
    with pytest.raises(DeliveryError) as failed:
        VoiceChannel().send(_delivery())
    assert failed.value.permanent is permanent
    assert PHONE not in failed.value.message


def test_an_empty_script_is_refused_for_good(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(DeliveryError) as failed:
        VoiceChannel().send(_delivery("   "))
    assert failed.value.permanent
    assert fake_twilio.created == []


def test_calls_keep_to_the_calls_per_second(
    fake_twilio: FakeTwilio, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.VOICE_CALLS_PER_SECOND = 2
    now = [200.5]

    def pause(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(voice, "clock", lambda: now[0])
    monkeypatch.setattr(voice, "pause", pause)
    placed = []
    for number in range(5):
        VoiceChannel().send(_delivery(key=f"alert:7:{number:012d}:1"))
        placed.append(int(now[0]))
    assert placed == [200, 200, 201, 201, 202]
    assert len(fake_twilio.calls) == 5
