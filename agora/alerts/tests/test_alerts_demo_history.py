"""Ville de Démo's alert subscribers and past alerts (agora/alerts/demo_history.py), as
seed_demo leaves them: 500 made-up subscribers whose places, zones, contact points and
consents hold together, and six past alerts (a boil-water advisory with its update and its
cancellation among them) whose deliveries reach exactly their recipients, with the providers'
reports; seeding again adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from agora.alerts import cap, demo, demo_history, sending
from agora.alerts.models import (
    Alert,
    AlertState,
    ConsentRecord,
    ContactChannel,
    ContactPoint,
    MessageType,
    Subscriber,
    SubscriberPlace,
    Zone,
)
from agora.alerts.phones import normalise_phone
from agora.alerts.tests.test_cap import valid
from agora.core import geo
from agora.core.models import Delivery
from tests.databases import SeededDemo

pytestmark = pytest.mark.django_db


def test_five_hundred_subscribers_in_both_languages_on_every_channel(
    demo_city: SeededDemo,
) -> None:
    assert Subscriber.objects.count() == demo_history.SUBSCRIBERS
    languages = Counter(Subscriber.objects.values_list("language", flat=True))
    assert languages["fr"] > languages["en"] > 50
    channels = Counter(ContactPoint.objects.values_list("channel", flat=True))
    assert set(channels) == {ContactChannel.EMAIL, ContactChannel.SMS, ContactChannel.VOICE}
    assert all(count >= 25 for count in channels.values()), channels
    # Everyone can be reached somehow, by a confirmed contact point with its consent record.
    assert not Subscriber.objects.exclude(contact_points__verified_at__isnull=False).exists()
    given = set(
        ConsentRecord.objects.filter(action=ConsentRecord.Action.GIVEN).values_list(
            "subscriber_id", "channel"
        )
    )
    assert set(ContactPoint.objects.values_list("subscriber_id", "channel")) == given
    assert "Alerts: 500 subscribers and 6 past alerts added." in demo_city.output


def test_numbers_are_fictional_and_addresses_reserved_for_examples(demo_city: SeededDemo) -> None:
    for channel, address in ContactPoint.objects.values_list("channel", "address"):
        if channel == ContactChannel.EMAIL:
            assert address.endswith("@example.org")
        else:
            assert normalise_phone(address) == address
            assert address[5:10] == "55501", address
    phones = ContactPoint.objects.exclude(channel=ContactChannel.EMAIL)
    assert phones.values("subscriber").distinct().count() == len(
        set(phones.values_list("address", flat=True))
    )


def test_each_place_lies_in_the_city_and_in_exactly_the_zones_that_contain_it(
    demo_city: SeededDemo,
) -> None:
    shapes = {zone.pk: geo.parse_polygons(zone.geojson) for zone in Zone.objects.all()}
    for place in SubscriberPlace.objects.prefetch_related("zones"):
        longitude, latitude = float(place.longitude or 0), float(place.latitude or 0)
        containing = {
            pk for pk, shape in shapes.items() if geo.contains(shape, longitude, latitude)
        }
        assert {zone.pk for zone in place.zones.all()} == containing
        assert Zone.objects.get(code="ville-de-demo").pk in containing


def test_six_past_alerts_with_the_boil_water_chain(demo_city: SeededDemo) -> None:
    alerts = list(Alert.objects.order_by("sent_at"))
    assert len(alerts) == len(demo_history.PAST_ALERTS)
    assert all(alert.state == AlertState.SENT and alert.sent_at for alert in alerts)
    advisory, update, cancel = alerts[:3]
    assert advisory.topic.code == "avis-ebullition"
    assert (update.message_type, update.references) == (MessageType.UPDATE, advisory)
    assert (cancel.message_type, cancel.references) == (MessageType.CANCEL, update)
    assert cap.chain(cancel) == [advisory, update]
    for alert in alerts:
        assert alert.expires_at > alert.sent_at  # type: ignore[operator]
        message = cap.render(alert)
        assert valid(message)
        assert cap.cap_cp_problems(message) == []


def test_each_past_alert_reached_exactly_its_recipients_with_reports(
    demo_city: SeededDemo,
) -> None:
    for alert in Alert.objects.all():
        deliveries = Delivery.objects.filter(key__startswith=f"alert:{alert.pk}:")
        expected = sending.recipient_counts(alert)
        by_channel = Counter(deliveries.values_list("channel", flat=True))
        assert dict(by_channel) == {k: v for k, v in expected.items() if v}, alert.headline_fr
        assert all(count > 0 for count in expected.values()), alert.headline_fr
        assert not deliveries.filter(state=Delivery.State.PENDING).exists()
    sms = Delivery.objects.filter(channel=ContactChannel.SMS)
    reports = Counter(sms.values_list("report", flat=True))
    assert reports["delivered"] > reports["undelivered"] > 0
    assert Delivery.objects.filter(state=Delivery.State.FAILED).exclude(last_error="").exists()
    voice = Counter(
        Delivery.objects.filter(channel=ContactChannel.VOICE).values_list("report", flat=True)
    )
    assert voice["delivered"] > voice["no-answer"] > 0


def test_seeding_again_adds_nothing(demo_city: SeededDemo) -> None:
    before = (Subscriber.objects.count(), Alert.objects.count(), Delivery.objects.count())
    report: list[str] = []

    demo.seed(report)

    assert report[-1] == "Alerts: 0 subscribers and 0 past alerts added."
    assert (Subscriber.objects.count(), Alert.objects.count(), Delivery.objects.count()) == before
