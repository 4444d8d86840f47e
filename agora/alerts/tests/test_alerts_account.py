"""A signed-in resident's alerts: the subscription made while signed in shows on "Mon compte"
with a link to /fr/alertes/mon-abonnement/, where it is managed with the same forms as the
private link; a subscription someone made with their address without an account does not."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url
from agora.alerts import subscriptions
from agora.alerts.models import ConsentRecord, Subscriber, Zone
from agora.alerts.subscriptions import ContactInput, PlaceInput
from agora.alerts.tests.subscribe_support import (
    offer,
    page_text,
    phone_channels,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_channels")]

MINE = reverse("alerts:mine")


def subscribe(user: object = None) -> subscriptions.Subscribed:
    zones = list(Zone.objects.filter(active=True)) or offer()[0]
    return subscriptions.subscribe(
        contacts=[ContactInput("email", "marie@exemple.ca")],
        language="fr",
        places=[PlaceInput("Travail", "", [zones[1]])],
        topics=[],
        consent=True,
        user=user,  # type: ignore[arg-type]
    )


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(MINE)

    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))


def test_the_account_shows_the_subscription_with_a_link_to_manage_it(client: Client) -> None:
    resident = ResidentFactory.create()
    subscribe(resident)
    client.force_login(resident)

    home = page_text(client.get(url("account_home")))

    assert "Mes alertes" in home
    assert "marie@exemple.ca" in home
    assert "Travail" in home
    assert MINE in home
    assert "aucune alerte ne vous joint" in home


def test_a_subscription_made_without_the_account_is_not_shown(client: Client) -> None:
    resident = ResidentFactory.create(email="marie@exemple.ca")
    subscribe()
    client.force_login(resident)

    home = page_text(client.get(url("account_home")))

    assert "Mes alertes" not in home
    assert client.get(MINE)["Location"] == reverse("alerts:subscribe")


def test_the_resident_manages_and_ends_it_from_the_account(client: Client) -> None:
    resident = ResidentFactory.create()
    subscribed = subscribe(resident)
    subscriptions.confirm_email(contact=subscribed.contact_points[0])
    client.force_login(resident)

    page = client.get(MINE)
    assert page.status_code == 200
    assert "lien privé de gestion" not in page_text(page)
    changed = client.post(MINE, {"action": "preferences", "preferences-language": "en"})
    assert changed["Location"] == MINE
    assert Subscriber.objects.get().language == "en"

    ended = client.post(MINE, {"action": "unsubscribe"})

    assert "Vous êtes désabonné" in page_text(ended)
    contact = Subscriber.objects.get().contact_points.get()
    assert contact.opt_out_source == "account"
    assert ConsentRecord.objects.filter(action="withdrawn").count() == 1
    assert client.get(MINE)["Location"] == reverse("alerts:subscribe")


def test_an_e_mail_sent_from_the_account_links_to_the_account_page(client: Client) -> None:
    resident = ResidentFactory.create()
    subscribe(resident)
    client.force_login(resident)

    client.post(
        MINE, {"action": "add_contact", "contact-channel": "email", "contact-address": "b@x.ca"}
    )

    from agora.alerts.tests.subscribe_support import last_delivery

    assert MINE in last_delivery("email").payload["text"]


def test_the_menu_offers_alerts_once_a_topic_is_active(client: Client) -> None:
    from agora.alerts.navigation import alerts_item

    assert alerts_item() is None
    offer()
    item = alerts_item()
    assert item is not None
    assert item.url == "/fr/alertes/"


def test_an_account_has_one_current_subscription() -> None:
    resident = ResidentFactory.create()
    subscribe(resident)

    with pytest.raises(ValidationError) as refused:
        subscribe(resident)

    assert "déjà abonné" in str(refused.value)
    assert Subscriber.objects.count() == 1


def test_a_resident_who_ended_theirs_may_subscribe_again() -> None:
    resident = ResidentFactory.create()
    ended = subscribe(resident)
    subscriptions.unsubscribe(subscriber=ended.subscriber)

    again = subscribe(resident)

    assert again.subscriber.user == resident
    ended.subscriber.refresh_from_db()
    assert ended.subscriber.user is None  # kept, with its consent records, without the account
