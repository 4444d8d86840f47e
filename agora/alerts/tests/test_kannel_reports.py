"""Kannel's delivery reports: signed by us, kept only when they move a delivery forward."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from agora.alerts.channels.kannel import report_signature
from agora.core.models import Delivery
from agora.core.tests.responses import ClientResponse

pytestmark = pytest.mark.django_db

REPORT = "/passerelles/kannel/rapport/"


@pytest.fixture
def delivery() -> Delivery:
    return Delivery.objects.create(
        key="rapport",
        channel="sms",
        recipient="+15145550123",
        language="fr",
        payload={"text": "Bonjour"},
        state=Delivery.State.SENT,
    )


def _report(
    client: Client, delivery_id: int, kind: int | str, signature: str | None = None
) -> ClientResponse:
    fields: dict[str, str | int] = {"delivery": delivery_id, "type": kind}
    fields["signature"] = report_signature(delivery_id) if signature is None else signature
    return client.get(REPORT, fields)


@pytest.mark.parametrize(
    ("kinds", "report"),
    [
        ([8], "sent"),
        ([8, 4], "buffered"),
        ([8, 1], "delivered"),
        ([8, 2], "undelivered"),
        ([16], "failed"),
        ([8, 4, 1], "delivered"),
        # Never back from delivered, nor from a failure to an intermediate state.
        ([1, 8], "delivered"),
        ([1, 4], "delivered"),
        ([1, 2], "delivered"),
        ([1, 16], "delivered"),
        ([2, 4], "undelivered"),
        ([2, 8], "undelivered"),
        # A failure the network overcame after all.
        ([2, 1], "delivered"),
    ],
)
def test_reports_only_move_forward(
    client: Client, delivery: Delivery, kinds: list[int], report: str
) -> None:
    for kind in kinds:
        answer = _report(client, delivery.pk, kind)
        assert answer.status_code == 200
        assert answer["Content-Type"] == "text/plain; charset=utf-8"
    delivery.refresh_from_db()
    assert delivery.report == report
    assert delivery.state == Delivery.State.SENT  # the report is the provider's word only


def test_a_replayed_report_is_a_no_op(client: Client, delivery: Delivery) -> None:
    first = timezone.now()
    with time_machine.travel(first, tick=False):
        _report(client, delivery.pk, 1)
    with time_machine.travel(first + datetime.timedelta(minutes=5), tick=False):
        assert _report(client, delivery.pk, 1).status_code == 200
        assert _report(client, delivery.pk, 8).status_code == 200
    delivery.refresh_from_db()
    assert (delivery.report, delivery.reported_at) == ("delivered", first)


@pytest.mark.parametrize(
    "signature",
    ["", "0" * 64, "pas-une-signature", report_signature(999_999)],
)
def test_a_bad_signature_is_refused_and_changes_nothing(
    client: Client, delivery: Delivery, signature: str
) -> None:
    assert _report(client, delivery.pk, 1, signature=signature).status_code == 403
    delivery.refresh_from_db()
    assert (delivery.report, delivery.reported_at) == ("", None)


def test_a_missing_or_odd_delivery_number_is_refused(client: Client, delivery: Delivery) -> None:
    assert client.get(REPORT, {"type": 1}).status_code == 403
    assert client.get(REPORT, {"delivery": "abc", "type": "1", "signature": "x"}).status_code == 403
    assert (
        client.get(
            REPORT, {"delivery": "0", "type": "1", "signature": report_signature(0)}
        ).status_code
        == 403
    )


def test_the_signature_of_another_delivery_is_refused(client: Client, delivery: Delivery) -> None:
    other = report_signature(delivery.pk + 1)
    assert _report(client, delivery.pk, 1, signature=other).status_code == 403


def test_a_report_signed_with_the_previous_key_is_still_taken(
    client: Client, delivery: Delivery, settings: Settings
) -> None:
    signature = report_signature(delivery.pk)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une-nouvelle-cle-secrete-" * 3
    assert _report(client, delivery.pk, 1, signature=signature).status_code == 200
    delivery.refresh_from_db()
    assert delivery.report == "delivered"


def test_an_unknown_report_type_is_a_bad_request(client: Client, delivery: Delivery) -> None:
    assert _report(client, delivery.pk, 32).status_code == 400
    assert _report(client, delivery.pk, "%d").status_code == 400
    delivery.refresh_from_db()
    assert delivery.report == ""


def test_a_report_on_a_forgotten_delivery_is_answered(client: Client) -> None:
    assert _report(client, 4242, 1).status_code == 200


def test_only_get(client: Client, delivery: Delivery) -> None:
    fields = {"delivery": str(delivery.pk), "type": "1", "signature": report_signature(delivery.pk)}
    assert client.post(REPORT, fields).status_code == 405
