"""The subscription page, /fr/alertes/ (/en/alerts/): what the alerts are, the topics (the
mandatory ones always included), and one form that works without JavaScript. Bad input gets
a message on its field and writes nothing; a good one subscribes with unconfirmed contact
points, sends their confirmations and opens the private management page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.accounts.tests.factories import ResidentFactory
from agora.alerts.models import ContactPoint, Subscriber, SubscriberPlace
from agora.alerts.tests.factories import TopicFactory
from agora.alerts.tests.subscribe_support import (
    form_data,
    offer,
    page_text,
    phone_channels,  # noqa: F401
)
from agora.core.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_channels")]

PAGE = "/fr/alertes/"


def subscribe(client: Client, data: dict[str, Any]) -> Any:
    return client.post(PAGE, data)


def nothing_written() -> bool:
    return not (
        Subscriber.objects.exists()
        or ContactPoint.objects.exists()
        or SubscriberPlace.objects.exists()
        or Delivery.objects.exists()
    )


def test_the_page_explains_the_topics_with_the_mandatory_ones_always_included(
    client: Client,
) -> None:
    offer()

    response = client.get(PAGE)

    page = page_text(response)
    assert response.status_code == 200
    assert "Toujours incluses" in page
    assert "Sécurité civile" in page
    assert 'name="lieu-0-zones"' in page
    assert "Ancien secteur" not in page  # a withdrawn zone is not offered
    assert "2026-12" in page  # the consent text's version
    assert 'name="consent"' in page


def test_the_english_page_reads_in_english(client: Client) -> None:
    offer()
    with translation.override("en"):
        address = reverse("alerts:subscribe")

    response = client.get(address)

    page = page_text(response)
    assert address.startswith("/en/")
    assert response.status_code == 200
    assert "North sector" in page
    assert "Civil safety" in page
    assert 'value="en" required id="id_language_1" checked' in page


def test_adding_a_place_shows_another_block_and_keeps_what_was_typed(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    response = subscribe(client, form_data(zones, ajouter_lieu="1"))

    page = page_text(response)
    assert response.status_code == 200
    assert 'name="lieu-1-zones"' in page
    assert 'value="marie@exemple.ca"' in page.lower()
    assert "Corrigez ce qui suit" not in page
    assert nothing_written()


def test_no_more_than_three_places(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    response = subscribe(client, form_data(zones, lieux="3", ajouter_lieu="1"))

    page = page_text(response)
    assert 'name="lieu-2-zones"' in page
    assert 'name="lieu-3-zones"' not in page
    assert "Ajouter un lieu" not in page


def test_a_resident_subscribes_and_lands_on_the_private_page_with_the_code_form(
    client: Client,
) -> None:
    zones, _mandatory, optional = offer()

    response = subscribe(
        client,
        form_data(zones, sms_order="1", email_order="2", topics=[str(optional.pk)]),
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/alertes/gerer/")
    subscriber = Subscriber.objects.get()
    assert subscriber.user is None
    assert subscriber.language == "fr"
    assert subscriber.consent_text_version == "2026-12"
    assert list(subscriber.topics.all()) == [optional]
    [place] = subscriber.places.all()
    assert (place.label, list(place.zones.all())) == ("Maison", [zones[0]])
    assert [(c.channel, c.address, c.verified_at) for c in subscriber.contact_points.all()] == [
        ("sms", "+15145550123", None),
        ("email", "marie@exemple.ca", None),
    ]
    token = response["Location"].split("/")[-2]
    assert token not in subscriber.manage_token_hash
    assert sorted(Delivery.objects.values_list("channel", "recipient")) == [
        ("email", "marie@exemple.ca"),
        ("sms", "+15145550123"),
    ]
    page = client.get(response["Location"])
    text = page_text(page)
    assert "Aucun de vos moyens de contact n'est encore confirmé" in text
    assert "Entrez le code à 6 chiffres" in text or 'name="code-' in text
    assert "Renvoyer le code" in text
    assert "Un code à 6 chiffres est envoyé par texto au 514 555-0123." in text
    assert "Un lien de confirmation est envoyé à marie@exemple.ca." in text
    assert page["Referrer-Policy"] == "same-origin"


def test_a_voice_number_gets_its_code_in_a_call_script(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    subscribe(client, form_data(zones, email="", sms="", voice="450 555-0199"))

    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.recipient) == ("voice", "+14505550199")
    assert "code de confirmation" in delivery.payload["script"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "", "sms": "", "voice": ""}, "email", "au moins un moyen"),
        ({"email": "pas-un-courriel"}, "email", "adresse courriel valide"),
        ({"sms": "123"}, "sms", "n'est pas valide"),
        ({"voice": "+33 1 23 45 67 89"}, "voice", "Canada et des États-Unis"),
        ({"sms_order": "9"}, "sms_order", "Sélectionnez un choix valide"),
        ({"language": "de"}, "language", "Sélectionnez un choix valide"),
        ({"consent": None}, "consent", "Cochez la case"),
        ({"lieu-0-zones": []}, "lieu-0-zones", "au moins une zone"),
        ({"lieu-0-zones": ["999999"]}, "lieu-0-zones", "Choisissez parmi"),
        ({"lieu-0-label": "x" * 81}, "lieu-0-label", "au plus 80"),
        ({"topics": ["999999"]}, "topics", "Choisissez parmi"),
    ],
)
def test_bad_input_gets_a_message_on_its_field_and_writes_nothing(
    client: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    zones, _mandatory, _optional = offer()

    response = subscribe(client, form_data(zones, **changes))

    page = page_text(response)
    assert response.status_code == 400
    assert "Corrigez ce qui suit" in page
    assert f'id="id_{field}_error"' in page
    assert message.lower() in page.lower()
    assert nothing_written()


def test_a_withdrawn_zone_or_a_mandatory_topic_cannot_be_chosen(client: Client) -> None:
    zones, mandatory, _optional = offer()
    withdrawn = TopicFactory.create(active=False)

    for topics in ([str(mandatory.pk)], [str(withdrawn.pk)]):
        response = subscribe(client, form_data(zones, topics=topics))
        assert response.status_code == 400
    assert nothing_written()


def test_the_honeypot_refuses_software_that_fills_every_field(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    response = subscribe(client, form_data(zones, site_web="http://spam.example"))

    assert response.status_code == 400
    assert nothing_written()


def test_a_connection_without_proof_of_work_is_limited(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    codes = [
        subscribe(client, form_data(zones, email=f"p{n}@exemple.ca", sms="")).status_code
        for n in range(6)
    ]

    assert codes == [302] * 5 + [429]
    assert Subscriber.objects.count() == 5


def test_contact_details_never_travel_in_the_address(client: Client) -> None:
    zones, _mandatory, _optional = offer()

    response = subscribe(client, form_data(zones))

    location = response["Location"]
    assert "marie" not in location.lower()
    assert "5550123" not in location
    assert "?" not in location


def test_a_signed_in_resident_is_linked_and_sent_to_their_page(client: Client) -> None:
    zones, _mandatory, _optional = offer()
    resident = ResidentFactory.create()
    client.force_login(resident)

    response = subscribe(client, form_data(zones))

    assert response["Location"] == "/fr/alertes/mon-abonnement/"
    assert Subscriber.objects.get().user == resident
    again = page_text(client.get(PAGE))
    assert "Vous êtes déjà abonné aux alertes." in again
    assert subscribe(client, form_data(zones))["Location"] == "/fr/alertes/mon-abonnement/"
    assert Subscriber.objects.count() == 1


def test_without_zones_the_page_says_subscriptions_open_soon(client: Client) -> None:
    TopicFactory.create()

    page = page_text(client.get(PAGE))

    assert "ouvriront bientôt" in page
    assert 'name="consent"' not in page
