"""Managing a subscription through its private link, /fr/alertes/gerer/<token>/: changing the
language, topics and places, adding and removing contact points, and unsubscribing from
everything in one click. A forged or ended link is a 404 that changes nothing; asking for the
link again answers the same whether the address is subscribed or not."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agora.alerts import subscriptions
from agora.alerts.models import ConsentRecord, ContactPoint, Subscriber, Zone
from agora.alerts.subscriptions import ContactInput, PlaceInput
from agora.alerts.tests.factories import ZoneFactory
from agora.alerts.tests.subscribe_support import (
    last_delivery,
    offer,
    page_text,
    phone_channels,  # noqa: F401
)
from agora.core.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_channels")]


def make(
    zones: list[Zone], *, confirmed: bool = True, language: str = "fr"
) -> subscriptions.Subscribed:
    subscribed = subscriptions.subscribe(
        contacts=[
            ContactInput("email", "marie@exemple.ca"),
            ContactInput("sms", "+15145550123"),
        ],
        language=language,
        places=[PlaceInput("Maison", "12, rue des Érables", [zones[0]])],
        topics=[],
        consent=True,
    )
    if confirmed:  # the e-mail only: the SMS waits for its code
        subscriptions.confirm_email(contact=subscribed.contact_points[0])
    return subscribed


def manage_url(token: str) -> str:
    return reverse("alerts:manage", args=[token])


def test_the_page_shows_the_subscription(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)

    response = client.get(manage_url(subscribed.token))

    page = page_text(response)
    assert response.status_code == 200
    assert "marie@exemple.ca" in page
    assert "Confirmé" in page
    assert "Renvoyer le code" in page  # the SMS is not confirmed yet
    assert "Maison" in page
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("token", ["forged", "x" * 43, "a" * 200])
def test_a_forged_token_is_a_404_that_changes_nothing(client: Client, token: str) -> None:
    zones, _mandatory, _optional = offer()
    make(zones)

    shown = client.get(manage_url(token))
    posted = client.post(manage_url(token), {"action": "unsubscribe"})

    assert shown.status_code == posted.status_code == 404
    assert "Lien introuvable" in page_text(shown)
    assert Subscriber.objects.get().unsubscribed_at is None
    assert not ConsentRecord.objects.filter(action="withdrawn").exists()


def test_language_and_topics_change(client: Client) -> None:
    zones, _mandatory, optional = offer()
    subscribed = make(zones)

    response = client.post(
        manage_url(subscribed.token),
        {
            "action": "preferences",
            "preferences-language": "en",
            "preferences-topics": [str(optional.pk)],
        },
    )

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "en"
    assert list(subscriber.topics.all()) == [optional]


def test_places_change_and_a_place_without_zone_is_refused(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    url = manage_url(subscribed.token)

    added = client.post(url, {"action": "ajouter_lieu", "lieux": "1", "lieu-0-label": "Maison"})
    assert 'name="lieu-1-zones"' in page_text(added)

    refused = client.post(
        url,
        {"action": "places", "lieux": "2", "lieu-0-zones": [zones[0].pk], "lieu-1-label": "X"},
    )
    assert refused.status_code == 400
    assert "au moins une zone" in page_text(refused)
    assert Subscriber.objects.get().places.count() == 1

    saved = client.post(
        url,
        {
            "action": "places",
            "lieux": "2",
            "lieu-0-label": "Maison",
            "lieu-0-zones": [zones[0].pk],
            "lieu-1-label": "Travail",
            "lieu-1-zones": [zones[1].pk],
        },
    )
    assert saved.status_code == 302
    places = list(Subscriber.objects.get().places.all())
    assert [(p.label, list(p.zones.all())) for p in places] == [
        ("Maison", [zones[0]]),
        ("Travail", [zones[1]]),
    ]


def test_a_contact_point_is_added_and_confirmed_with_the_same_link(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    url = manage_url(subscribed.token)

    response = client.post(
        url, {"action": "add_contact", "contact-channel": "email", "contact-address": "T@X.ca"}
    )

    assert response.status_code == 302
    added = ContactPoint.objects.get(address="t@x.ca")
    assert (added.priority, added.verified_at) == (3, None)
    email = last_delivery("email")
    assert email.recipient == "t@x.ca"
    assert url in email.payload["text"]  # the management link the person already has


@pytest.mark.parametrize(
    ("channel", "address", "message"),
    [
        ("email", "pas-un-courriel", "adresse courriel valide"),
        ("sms", "123", "n'est pas valide"),
        ("fax", "4505550199", "Sélectionnez un choix valide"),
        ("email", "marie@exemple.ca", "fait déjà partie"),
    ],
)
def test_a_bad_contact_point_is_refused_on_its_field(
    client: Client, channel: str, address: str, message: str
) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    before = Delivery.objects.count()

    response = client.post(
        manage_url(subscribed.token),
        {"action": "add_contact", "contact-channel": channel, "contact-address": address},
    )

    assert response.status_code == 400
    assert message in page_text(response)
    assert ContactPoint.objects.count() == 2
    assert Delivery.objects.count() == before


def test_removing_a_contact_point_withdraws_its_consent_but_not_the_last_one(
    client: Client,
) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    url = manage_url(subscribed.token)
    email = ContactPoint.objects.get(channel="email")
    sms = ContactPoint.objects.get(channel="sms")

    assert client.post(url, {"action": "remove", "contact": email.pk}).status_code == 302
    email.refresh_from_db()
    assert (email.opt_out_source, email.opted_out_at is not None) == ("link", True)
    assert ConsentRecord.objects.filter(channel="email", action="withdrawn").count() == 1

    refused = client.post(url, {"action": "remove", "contact": sms.pk})
    assert refused.status_code == 400
    assert "seul moyen de contact" in page_text(refused)
    sms.refresh_from_db()
    assert sms.opted_out_at is None


def test_unsubscribing_from_everything_takes_one_click(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    url = manage_url(subscribed.token)

    response = client.post(url, {"action": "unsubscribe"})

    assert response.status_code == 200
    assert "Vous êtes désabonné" in page_text(response)
    subscriber = Subscriber.objects.get()
    assert subscriber.unsubscribed_at is not None
    assert all(
        c.opted_out_at is not None and c.opt_out_source == "link"
        for c in subscriber.contact_points.all()
    )
    # Only the e-mail was confirmed: one withdrawal, for its channel.
    assert list(
        ConsentRecord.objects.filter(action="withdrawn").values_list("channel", "text_version")
    ) == [("email", "2026-12")]
    assert client.get(url).status_code == 404


def test_the_page_takes_the_same_queries_for_one_place_or_three(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    one = make(zones)
    many = subscriptions.subscribe(
        contacts=[ContactInput("email", f"p{n}@exemple.ca") for n in range(3)],
        language="fr",
        places=[PlaceInput(f"Lieu {n}", "", zones) for n in range(3)],
        topics=[],
        consent=True,
    )
    ZoneFactory.create()

    client.get(manage_url(one.token))  # the site's own first-request lookups
    counts = []
    for token in (one.token, many.token):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(manage_url(token)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[0] <= 20


def test_the_english_page_reads_in_english(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones, language="en")
    with translation.override("en"):
        url = manage_url(subscribed.token)

    response = client.get(url)

    assert url.startswith("/en/")
    assert response.status_code == 200
    assert "North sector" in page_text(response)


# Asking for the link again ------------------------------------------------------------------


def test_the_link_is_sent_again_to_a_subscribed_address_and_replaces_the_old_one(
    client: Client,
) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    before = Delivery.objects.count()

    response = client.post(reverse("alerts:ask_link"), {"address": "MARIE@exemple.ca"})

    assert response.status_code == 200
    assert Delivery.objects.count() == before + 1
    email = last_delivery("email")
    assert "/fr/alertes/gerer/" in email.payload["text"]
    assert client.get(manage_url(subscribed.token)).status_code == 404
    new_path = (
        "/fr/alertes/gerer/"
        + email.payload["text"].split("/fr/alertes/gerer/")[1].split("/")[0]
        + "/"
    )
    assert client.get(new_path).status_code == 200


def test_a_mobile_number_gets_the_link_by_sms(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    make(zones)

    client.post(reverse("alerts:ask_link"), {"address": "514 555-0123"})

    assert "/fr/alertes/gerer/" in last_delivery("sms").payload["text"]


def test_asking_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client: Client,
) -> None:
    zones, _mandatory, _optional = offer()
    make(zones)
    known = client.post(reverse("alerts:ask_link"), {"address": "marie@exemple.ca"})
    before = Delivery.objects.count()

    unknown = client.post(reverse("alerts:ask_link"), {"address": "inconnu@exemple.ca"})

    assert unknown.status_code == known.status_code == 200

    def main(response: Any) -> str:
        return page_text(response).split("<main", 1)[1].split("</main>", 1)[0]

    assert main(unknown) == main(known)
    assert Delivery.objects.count() == before


def test_an_ended_subscription_gets_no_link(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    subscriptions.unsubscribe(subscriber=subscribed.subscriber)
    before = Delivery.objects.count()

    client.post(reverse("alerts:ask_link"), {"address": "marie@exemple.ca"})

    assert Delivery.objects.count() == before


def test_a_mistyped_address_gets_a_message(client: Client) -> None:
    response = client.post(reverse("alerts:ask_link"), {"address": "pas un numéro"})

    assert response.status_code == 400
    assert "n'est pas valide" in page_text(response)


def test_confirmations_record_the_consent_given_once_per_contact_point() -> None:
    zones, _mandatory, _optional = offer()
    make(zones)
    email = ContactPoint.objects.get(channel="email")

    subscriptions.confirm_email(contact=email)

    assert ConsentRecord.objects.filter(action="given").count() == 1
    assert ConsentRecord.objects.get().recorded_at <= timezone.now()


def test_the_link_of_later_messages_opens_the_page_until_a_new_link_is_asked_for(
    client: Client,
) -> None:
    from agora.alerts.confirmations import manage_link_of

    zones, _mandatory, _optional = offer()
    subscribed = make(zones)
    link = manage_link_of(subscribed.subscriber)
    path = "/" + link.split("/", 3)[3]
    number, mac = path.split("/")[-2].split(".")

    assert client.get(path).status_code == 200
    assert client.get(manage_url(f"{number}.{'0' * len(mac)}")).status_code == 404
    assert client.get(manage_url(f"x.{mac}")).status_code == 404
    client.post(reverse("alerts:ask_link"), {"address": "marie@exemple.ca"})
    assert client.get(path).status_code == 404
