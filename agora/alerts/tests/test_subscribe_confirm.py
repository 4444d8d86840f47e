"""Confirming each contact point: the e-mail's link (a GET shows a button, the POST
confirms), the 6-digit code of an SMS or a call (expires, limited tries, sent again on
request within an hourly limit). A confirmation records the consent given; nothing reaches a
subscription before one of its contact points is confirmed."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.alerts import subscriptions
from agora.alerts.models import ConsentRecord, ContactPoint, Subscriber
from agora.alerts.tests.subscribe_support import (
    code_in,
    form_data,
    last_delivery,
    offer,
    page_text,
    phone_channels,  # noqa: F401
)
from agora.core.models import Delivery
from tests.loopback import smtp_server, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_channels")]

LINK = re.compile(r"https?://\S+/alertes/confirmer/\S+/")
MANAGE = re.compile(r"https?://\S+/alertes/gerer/\S+/")


def subscribed(client: Client, **changes: Any) -> str:
    """Subscribes through the page; returns the private management page's path."""
    zones, _mandatory, _optional = offer()
    response = client.post("/fr/alertes/", form_data(zones, **changes))
    assert response.status_code == 302
    return str(response["Location"])


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def send_code(client: Client, manage: str, contact: ContactPoint, code: str) -> Any:
    return client.post(
        manage, {"action": "code", "contact": contact.pk, f"code-{contact.pk}-code": code}
    )


def sms_point() -> ContactPoint:
    return ContactPoint.objects.get(channel="sms")


def test_the_whole_flow_by_e_mail_through_a_real_smtp_server_and_by_sms(
    client: Client,
    settings: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with smtp_server() as (inbox, port):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        with django_capture_on_commit_callbacks(execute=True):
            manage = subscribed(client)
        message = inbox.wait_for("marie@exemple.ca")
    body = text_of(message)
    assert "Confirmez votre abonnement aux alertes" in str(message["Subject"])
    [confirm_link] = LINK.findall(body)
    [manage_link] = MANAGE.findall(body)
    assert path_of(manage_link) == manage
    email = ContactPoint.objects.get(channel="email")

    shown = client.get(path_of(confirm_link))

    assert shown.status_code == 200
    assert "Confirmer" in page_text(shown)
    email.refresh_from_db()
    assert email.verified_at is None  # a mail scanner opening the link confirms nothing
    assert not Subscriber.objects.get().contact_points.filter(verified_at__isnull=False)

    done = client.post(path_of(confirm_link))

    assert "Courriel confirmé" in page_text(done)
    email.refresh_from_db()
    assert email.verified_at is not None
    assert email.is_active
    assert list(ConsentRecord.objects.values_list("channel", "action", "text_version")) == [
        ("email", "given", "2026-12")
    ]
    assert client.post(path_of(confirm_link)).status_code == 200  # again: nothing changes
    assert ConsentRecord.objects.count() == 1

    code = code_in(last_delivery("sms").payload["text"])
    response = send_code(client, manage, sms_point(), code)

    assert response.status_code == 302
    assert sms_point().is_active
    assert ConsentRecord.objects.filter(channel="sms", action="given").count() == 1
    page = page_text(client.get(manage))
    assert "n'est encore confirmé" not in page


def test_only_hashes_of_the_secrets_are_kept(client: Client) -> None:
    subscribed(client)
    code = code_in(last_delivery("sms").payload["text"])

    subscriber = Subscriber.objects.get()
    assert code not in sms_point().verification_code_hash
    assert len(subscriber.manage_token_hash) == 64


def test_a_wrong_code_is_refused_and_five_tries_end_the_code(client: Client) -> None:
    manage = subscribed(client)
    code = code_in(last_delivery("sms").payload["text"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    first = send_code(client, manage, sms_point(), wrong)

    assert first.status_code == 400
    assert "n'est pas le bon" in page_text(first)
    for _try in range(4):
        last = send_code(client, manage, sms_point(), wrong)
    assert "Demandez-en un nouveau" in page_text(last)
    refused = send_code(client, manage, sms_point(), code)
    assert "Demandez-en un nouveau" in page_text(refused)
    assert sms_point().verified_at is None
    assert not ConsentRecord.objects.exists()

    client.post(manage, {"action": "resend", "contact": sms_point().pk})
    new_code = code_in(last_delivery("sms").payload["text"])
    assert send_code(client, manage, sms_point(), new_code).status_code == 302
    assert sms_point().verified_at is not None


def test_a_code_expires_after_thirty_minutes(
    client: Client, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    manage = subscribed(client)
    code = code_in(last_delivery("sms").payload["text"])

    time_machine.shift(datetime.timedelta(minutes=31))
    response = send_code(client, manage, sms_point(), code)

    assert "a expiré" in page_text(response)
    assert sms_point().verified_at is None


def test_codes_to_one_number_are_limited_per_hour(client: Client) -> None:
    manage = subscribed(client)  # the first code
    contact = sms_point()

    statuses = [
        client.post(manage, {"action": "resend", "contact": contact.pk}).status_code
        for _n in range(5)
    ]

    assert statuses == [302] * 4 + [429]
    assert Delivery.objects.filter(channel="sms").count() == 5


def test_a_forged_or_replaced_e_mail_link_is_unknown(client: Client) -> None:
    subscribed(client)
    email = ContactPoint.objects.get(channel="email")
    link = LINK.findall(last_delivery("email").payload["text"])[0]

    forged = client.get(reverse("alerts:confirm_email", args=[email.pk, "forged-secret"]))
    assert forged.status_code == 404
    assert client.post(reverse("alerts:confirm_email", args=[email.pk, "x"])).status_code == 404

    subscriptions.confirm_email(contact=email)
    confirmed = client.get(reverse("alerts:confirm_email", args=[email.pk, "forged"]))
    assert confirmed.status_code == 404  # shows no address, confirmed or not
    assert "marie" not in page_text(confirmed)
    ContactPoint.objects.filter(pk=email.pk).update(verified_at=None)

    subscriptions.send_again(contact=email)  # a new link replaces the first one
    assert client.post(path_of(link)).status_code == 404
    email.refresh_from_db()
    assert email.verified_at is None


def test_an_e_mail_link_expires_after_a_week(
    client: Client, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    subscribed(client)
    link = LINK.findall(last_delivery("email").payload["text"])[0]

    time_machine.shift(datetime.timedelta(days=8))

    assert client.post(path_of(link)).status_code == 404


def test_an_english_subscriber_gets_english_links(client: Client) -> None:
    subscribed(client, language="en")

    delivery = last_delivery("email")
    with translation.override("en"):
        prefix = reverse("alerts:subscribe")
    assert delivery.language == "en"
    assert f"{prefix}" in delivery.payload["text"]
    assert last_delivery("sms").language == "en"


def test_an_address_confirmed_again_in_a_new_subscription_leaves_the_old_one(
    client: Client,
) -> None:
    zones, _mandatory, _optional = offer()
    places = [subscriptions.PlaceInput("Maison", "", [zones[0]])]
    contacts = [subscriptions.ContactInput("email", "marie@exemple.ca")]
    first = subscriptions.subscribe(
        contacts=contacts, language="fr", places=places, topics=[], consent=True
    )
    subscriptions.confirm_email(contact=first.contact_points[0])
    second = subscriptions.subscribe(
        contacts=contacts, language="en", places=places, topics=[], consent=True
    )

    subscriptions.confirm_email(contact=second.contact_points[0])

    old, new = (ContactPoint.objects.get(pk=c.contact_points[0].pk) for c in (first, second))
    assert (old.is_active, new.is_active) == (False, True)
    assert old.opt_out_source == "link"
    assert ConsentRecord.objects.filter(
        subscriber=first.subscriber, action="withdrawn", channel="email"
    ).exists()


def test_subscribing_one_number_again_and_again_stops_sending_it_codes(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    subscribed = [
        subscriptions.subscribe(
            contacts=[subscriptions.ContactInput("sms", "+15145550123")],
            language="fr",
            places=[subscriptions.PlaceInput("", "", [zones[0]])],
            topics=[],
            consent=True,
        )
        for _n in range(6)
    ]

    assert Delivery.objects.filter(recipient="+15145550123").count() == 5
    page = page_text(client.get(reverse("alerts:manage", args=[subscribed[-1].token])))
    assert "Rien n'a encore été envoyé" in page
