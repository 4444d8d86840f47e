"""The "sms" channel: what it asks Kannel's sendsms, how it reads Kannel's answers, and the
pace it keeps. (test_kannel_live.py sends through a real gateway.)"""

import io
import urllib.error
import urllib.request
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_django import Settings

from agora.alerts.channels import kannel
from agora.alerts.channels.kannel import (
    KannelChannel,
    report_signature_is_valid,
    sendsms_query,
    wait_for_a_slot,
)
from agora.core.channels import DeliveryError, channel_named
from agora.core.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _gateway_settings(settings: Settings) -> None:
    settings.KANNEL_SENDSMS_URL = "http://127.0.0.1:9/cgi-bin/sendsms"
    settings.KANNEL_USERNAME = "agora"
    settings.KANNEL_PASSWORD = "mot-de-passe"
    settings.SMS_SENDER = "+15145550000"
    settings.SMS_PUBLIC_BASE_URL = "https://portail.exemple.ca/"


def _delivery(text: str, **fields: Any) -> Delivery:
    return Delivery.objects.create(
        key=f"sms-{Delivery.objects.count()}",
        channel="sms",
        recipient="+15145550123",
        language="fr",
        payload={"text": text},
        **fields,
    )


def test_the_channel_is_registered_as_sms() -> None:
    assert isinstance(channel_named("sms"), KannelChannel)


def test_a_gsm7_text_goes_with_coding_0() -> None:
    delivery = _delivery("Avis d'ébullition levé à 14 h.")
    query = sendsms_query(delivery)
    assert query["coding"] == 0
    assert query["charset"] == "UTF-8"
    assert query["text"] == "Avis d'ébullition levé à 14 h."
    assert query["to"] == "+15145550123"
    assert query["from"] == "+15145550000"
    assert (query["username"], query["password"]) == ("agora", "mot-de-passe")
    assert query["dlr-mask"] == 31


@pytest.mark.parametrize("text", ["Fête de quartier", "Reçu", "« Alerte »", "Travaux 🚧"])
def test_a_text_outside_gsm7_goes_with_coding_2(text: str) -> None:
    assert sendsms_query(_delivery(text))["coding"] == 2


def test_the_report_address_is_signed_and_leaves_the_type_to_kannel() -> None:
    delivery = _delivery("Bonjour")
    address = str(sendsms_query(delivery)["dlr-url"])
    assert address.startswith("https://portail.exemple.ca/passerelles/kannel/rapport/?")
    assert address.endswith("&type=%d")
    fields = parse_qs(urlsplit(address.removesuffix("&type=%d")).query)
    assert fields["delivery"] == [str(delivery.pk)]
    assert report_signature_is_valid(delivery.pk, fields["signature"][0])
    assert not report_signature_is_valid(delivery.pk + 1, fields["signature"][0])


class _Answer(io.BytesIO):
    status = 202

    def __enter__(self) -> "_Answer":
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def _answering(monkeypatch: pytest.MonkeyPatch, answer: BaseException | None) -> list[str]:
    urls: list[str] = []

    def urlopen(url: str, timeout: float) -> _Answer:
        urls.append(url)
        if answer is not None:
            raise answer
        return _Answer(b"0: Accepted for delivery")

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return urls


def _http_error(code: int) -> urllib.error.HTTPError:
    return urllib.error.HTTPError(
        "http://127.0.0.1:9/cgi-bin/sendsms", code, "", Message(), io.BytesIO(b"Kannel says no")
    )


def test_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    urls = _answering(monkeypatch, None)
    KannelChannel().send(_delivery("Bonjour"))
    (url,) = urls
    assert url.startswith("http://127.0.0.1:9/cgi-bin/sendsms?")
    assert parse_qs(urlsplit(url).query)["text"] == ["Bonjour"]


@pytest.mark.parametrize(
    ("answer", "permanent"),
    [
        (_http_error(400), True),  # e.g. "Missing receiver number"
        (_http_error(404), True),
        (_http_error(401), False),  # our user or password: settings to fix, the message waits
        (_http_error(403), False),
        (_http_error(500), False),
        (_http_error(503), False),
        (urllib.error.URLError(ConnectionRefusedError()), False),
        (TimeoutError(), False),
        (ConnectionResetError(), False),
    ],
)
def test_kannel_refusals_and_failures(
    monkeypatch: pytest.MonkeyPatch, answer: BaseException, permanent: bool
) -> None:
    _answering(monkeypatch, answer)
    with pytest.raises(DeliveryError) as failed:
        KannelChannel().send(_delivery("Bonjour"))
    assert failed.value.permanent is permanent
    assert "+1514" not in failed.value.message
    assert "Bonjour" not in failed.value.message


def test_an_empty_text_is_refused_for_good(monkeypatch: pytest.MonkeyPatch) -> None:
    urls = _answering(monkeypatch, None)
    with pytest.raises(DeliveryError) as failed:
        KannelChannel().send(_delivery("  "))
    assert failed.value.permanent
    assert urls == []


def test_a_gateway_that_does_not_answer_is_a_transient_failure(settings: Settings) -> None:
    settings.KANNEL_SENDSMS_URL = "http://127.0.0.1:9/cgi-bin/sendsms"  # discard: nobody there
    with pytest.raises(DeliveryError) as failed:
        KannelChannel().send(_delivery("Bonjour"))
    assert not failed.value.permanent


def test_a_sendsms_address_that_is_not_http_is_never_opened(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = _answering(monkeypatch, None)
    settings.KANNEL_SENDSMS_URL = "file:///etc/passwd"
    with pytest.raises(DeliveryError):
        KannelChannel().send(_delivery("Bonjour"))
    assert urls == []


def test_the_pace_keeps_to_the_messages_per_second(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SMS_MESSAGES_PER_SECOND = 3
    now = [100.25]

    def pause(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(kannel, "clock", lambda: now[0])
    monkeypatch.setattr(kannel, "pause", pause)
    granted = []
    for _message in range(8):
        wait_for_a_slot()
        granted.append(int(now[0]))
    assert granted == [100, 100, 100, 101, 101, 101, 102, 102]
