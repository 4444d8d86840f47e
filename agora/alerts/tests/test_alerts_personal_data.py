"""What the alerts hold about a person (Loi 25): the subscriptions of their account and those
with one of their e-mail addresses, exported whole and deleted on erasure; nobody else's."""

import pytest

from agora.accounts.tests.team_factories import UserFactory
from agora.alerts import subscriptions
from agora.alerts.models import ConsentRecord, ContactPoint, Subscriber, SubscriberPlace
from agora.alerts.subscriptions import ContactInput, PlaceInput
from agora.alerts.tests.subscribe_support import (
    offer,
    phone_channels,  # noqa: F401
)
from agora.core.personal_data import DataSubject, erase_personal_data, export_personal_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_channels")]


def test_subscriptions_are_found_by_account_and_by_address_exported_then_erased() -> None:
    zones, _mandatory, optional = offer()
    user = UserFactory.create(email="marie@example.org")

    def subscribe(address: str, *, user: object = None) -> subscriptions.Subscribed:
        return subscriptions.subscribe(
            contacts=[ContactInput("email", address), ContactInput("sms", "+15145550123")],
            language="fr",
            places=[PlaceInput("Maison", "12, rue des Érables", [zones[0]])],
            topics=[optional],
            consent=True,
            user=user,  # type: ignore[arg-type]
        )

    with_account = subscribe("autre@example.org", user=user)
    subscriptions.confirm_email(contact=with_account.contact_points[0])
    subscribe("Marie@Example.org".lower())
    someone_else = subscribe("voisin@example.org")
    subject = DataSubject(user=user, emails=frozenset({"marie@example.org"}))

    exported = export_personal_data(subject)["alerts"]

    assert isinstance(exported, list)
    assert len(exported) == 2
    first = exported[0]
    assert first["places"][0]["address"] == "12, rue des Érables"
    assert first["places"][0]["zones"] == ["Secteur nord"]
    assert first["topics"] == [optional.name_fr]
    assert [c["address"] for c in first["contact_points"]] == [
        "autre@example.org",
        "+15145550123",
    ]
    assert first["consents"][0]["action"] == "given"

    erase_personal_data(subject)

    assert list(Subscriber.objects.all()) == [someone_else.subscriber]
    assert ContactPoint.objects.filter(subscriber=someone_else.subscriber).count() == 2
    assert SubscriberPlace.objects.count() == 1
    assert not ConsentRecord.objects.exclude(subscriber=someone_else.subscriber).exists()
