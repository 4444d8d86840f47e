"""Messages residents text to the city's number, as Kannel's sms-service passes them on:
STOP / ARRET / ARRÊT opt the number out, HELP / AIDE / INFO explain, anything else gets the
keywords; every reply fits in one message and names the city."""

import logging
from urllib.parse import quote

import pytest
from django.test import Client
from pytest_django import Settings

from agora.alerts.channels.sms_keywords import Keyword, keyword_of, reply_to
from agora.alerts.models import ConsentRecord, ContactChannel, ContactPoint, OptOutSource
from agora.alerts.sms_text import Encoding, sms_length
from agora.alerts.tests.factories import ContactPointFactory, SubscriberFactory
from agora.core.models import Branding
from agora.core.tests.responses import ClientResponse

pytestmark = pytest.mark.django_db

INBOUND = "/passerelles/kannel/sms-entrant/"
SECRET = "secret-partage-de-test"
PHONE = "+15145550123"


@pytest.fixture(autouse=True)
def _secret(settings: Settings) -> None:
    settings.KANNEL_INBOUND_SECRET = SECRET
    settings.SITE_URL = "https://ville.exemple.ca"


def _text(
    client: Client,
    text: str,
    *,
    sender: str = PHONE,
    secret: str = SECRET,
    ucs2: bool = False,
) -> ClientResponse:
    """What Kannel asks: %b is the raw message, UTF-16BE when it came in UCS-2."""
    raw = text.encode("utf-16-be") if ucs2 else text.encode()
    query = (
        f"secret={quote(secret)}&from={quote(sender)}&text={quote(raw)}"
        f"&coding={2 if ucs2 else 0}&charset={'UTF-16BE' if ucs2 else 'UTF-8'}"
    )
    return client.get(f"{INBOUND}?{query}")


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.STOP),
        ("stop", Keyword.STOP),
        ("  Stop  ", Keyword.STOP),
        ("Stop.", Keyword.STOP),
        ("ARRET", Keyword.ARRET),
        ("arret", Keyword.ARRET),
        ("ARRÊT", Keyword.ARRET),
        ("Arrêt!", Keyword.ARRET),
        ("\tarrêt\n", Keyword.ARRET),
        ("AIDE", Keyword.AIDE),
        ("aide", Keyword.AIDE),
        ("HELP", Keyword.HELP),
        ("Help", Keyword.HELP),
        ("INFO", Keyword.INFO),
        ("info ", Keyword.INFO),
        ("", Keyword.OTHER),
        ("STOPP", Keyword.OTHER),
        ("stop please", Keyword.OTHER),
        ("Merci pour l'alerte", Keyword.OTHER),
        ("ARRETE", Keyword.OTHER),
    ],
)
def test_keywords(text: str, keyword: Keyword) -> None:
    assert keyword_of(text) is keyword


def test_a_wrong_or_missing_secret_is_refused(client: Client, settings: Settings) -> None:
    point = ContactPointFactory.create(channel=ContactChannel.SMS, address=PHONE)
    assert _text(client, "ARRET", secret="mauvais").status_code == 403
    assert client.get(INBOUND, {"from": PHONE, "text": "ARRET"}).status_code == 403
    crowded = "&".join(f"x{n}=1" for n in range(30))
    assert (
        client.get(f"{INBOUND}?secret={SECRET}&from=%2B15145550123&text=STOP&{crowded}").status_code
        == 403
    )
    settings.KANNEL_INBOUND_SECRET = ""
    assert _text(client, "ARRET", secret="").status_code == 403
    point.refresh_from_db()
    assert point.opted_out_at is None
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    ("text", "ucs2", "sender"),
    [
        ("ARRET", False, PHONE),
        (" arrêt ", False, PHONE),
        ("ARRÊT", True, PHONE),
        ("Stop", False, PHONE),
        ("STOP", False, "15145550123"),  # as some operators write it
        ("STOP", False, "5145550123"),
    ],
)
def test_stop_opts_every_sms_contact_point_of_the_number_out(
    client: Client, text: str, ucs2: bool, sender: str
) -> None:
    first = ContactPointFactory.create(channel=ContactChannel.SMS, address=PHONE)
    second = ContactPointFactory.create(
        channel=ContactChannel.SMS,
        address=PHONE,
        subscriber=SubscriberFactory.create(consent_text_version="2026-10"),
    )
    email = ContactPointFactory.create(subscriber=first.subscriber)
    voice = ContactPointFactory.create(
        subscriber=first.subscriber, channel=ContactChannel.VOICE, address=PHONE
    )
    neighbour = ContactPointFactory.create(channel=ContactChannel.SMS, address="+15145550124")

    answer = _text(client, text, sender=sender, ucs2=ucs2)

    assert answer.status_code == 200
    for point in (first, second):
        point.refresh_from_db()
        assert point.opted_out_at is not None
        assert point.opt_out_source == OptOutSource.STOP
        assert not point.is_active
    for untouched in (email, voice, neighbour):
        untouched.refresh_from_db()
        assert untouched.opted_out_at is None
    assert sorted(
        ConsentRecord.objects.values_list("subscriber", "channel", "action", "text_version")
    ) == sorted(
        [
            (first.subscriber_id, "sms", "withdrawn", "2026-12"),
            (second.subscriber_id, "sms", "withdrawn", "2026-10"),
        ]
    )


def test_a_second_stop_writes_nothing_more(client: Client) -> None:
    point = ContactPointFactory.create(channel=ContactChannel.SMS, address=PHONE)
    _text(client, "STOP")
    point.refresh_from_db()
    stopped_at = point.opted_out_at
    answer = _text(client, "ARRET")
    assert answer.status_code == 200
    point.refresh_from_db()
    assert point.opted_out_at == stopped_at
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize("sender", [PHONE, "+33142685300", "inconnu", ""])
def test_stop_from_an_unknown_number_replies_and_writes_nothing(
    client: Client, sender: str
) -> None:
    answer = _text(client, "STOP", sender=sender)
    assert answer.status_code == 200
    assert answer.content.decode() == reply_to(Keyword.STOP)
    assert not ConsentRecord.objects.exists()
    assert not ContactPoint.objects.exists()


@pytest.mark.parametrize("text", ["AIDE", "HELP", "INFO", "Bonjour"])
def test_other_keywords_change_nothing(client: Client, text: str) -> None:
    point = ContactPointFactory.create(channel=ContactChannel.SMS, address=PHONE)
    assert _text(client, text).status_code == 200
    point.refresh_from_db()
    assert point.opted_out_at is None
    assert not ConsentRecord.objects.exists()


@pytest.fixture
def city(branding: Branding) -> str:
    return str(branding.municipality_name)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("ARRET", Keyword.ARRET),
        ("STOP", Keyword.STOP),
        ("AIDE", Keyword.AIDE),
        ("HELP", Keyword.HELP),
        ("INFO", Keyword.INFO),
        ("Bonjour", Keyword.OTHER),
    ],
)
def test_replies_name_the_city_and_fit_in_one_message(
    client: Client, city: str, text: str, keyword: Keyword
) -> None:
    answer = _text(client, text)
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    reply = answer.content.decode()
    assert reply == reply_to(keyword)
    assert reply.startswith(f"{city} :") or reply.startswith(f"{city}:")
    assert len(reply) <= 160
    assert sms_length(reply).segments == 1
    assert sms_length(reply).encoding is Encoding.GSM7


def test_the_french_replies(city: str) -> None:
    assert reply_to(Keyword.ARRET) == (
        f"{city} : vous ne recevrez plus nos alertes par texto. "
        "Pour vous réabonner : ville.exemple.ca/fr/alertes/"
    )
    assert reply_to(Keyword.AIDE).startswith(f"{city} : alertes aux résidents")
    assert "ARRET" in reply_to(Keyword.AIDE)
    info = reply_to(Keyword.INFO)
    assert info.startswith(f"{city} : alertes. AIDE : aide. ARRET : désabonnement. / ")
    assert info.endswith(" ville.exemple.ca/fr/alertes/")


def test_stop_and_help_answer_in_english(city: str) -> None:
    assert reply_to(Keyword.STOP) == (
        f"{city}: you will no longer receive our text alerts. To subscribe again: "
        "ville.exemple.ca/en/alerts/"
    )
    assert reply_to(Keyword.HELP).endswith("ville.exemple.ca/en/alerts/")
    assert "Reply STOP to unsubscribe." in reply_to(Keyword.HELP)


@pytest.mark.parametrize("keyword", list(Keyword))
def test_a_long_city_name_still_fits(branding: Branding, keyword: Keyword) -> None:
    branding.municipality_name = "Municipalité régionale de comté " + "de Saint-Quelque-Part " * 4
    branding.save()
    reply = reply_to(keyword)
    assert 0 < len(reply) <= 160
    assert sms_length(reply).segments == 1


def test_no_number_nor_text_in_the_logs(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    ContactPointFactory.create(channel=ContactChannel.SMS, address=PHONE)
    with caplog.at_level(logging.DEBUG):
        _text(client, "ARRÊT", ucs2=True)
        _text(client, "Mon adresse est 12 rue Principale")
    assert "5550123" not in caplog.text
    assert "ARRÊT" not in caplog.text
    assert "Principale" not in caplog.text
    assert "keyword arret, 1 contact points opted out" in caplog.text


def test_only_get(client: Client) -> None:
    assert (
        client.post(f"{INBOUND}?secret={SECRET}", {"from": PHONE, "text": "STOP"}).status_code
        == 405
    )
