"""What the alerts hold about a person, for the personal-data registry (Loi 25): their
subscriptions (the one made with their account, and every one with one of their e-mail
addresses among its contact points), with the places, the contact points and the record of
the consents given and withdrawn.

When the person deletes their account, those subscriptions are deleted whole: nothing of an
alert subscription is kept once its subscriber is gone (the deliveries to their addresses
are erased by core's own declaration)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from agora.alerts.models import ConsentRecord, ContactPoint, Subscriber, SubscriberPlace
from agora.core.personal_data import DataSubject, register_personal_data


def _subscribers_of(subject: DataSubject) -> QuerySet[Subscriber]:
    by_email = ContactPoint.objects.filter(
        Q(channel="email") & subject.email_filter("address")
    ).values("subscriber_id")
    return Subscriber.objects.filter(Q(user=subject.user) | Q(pk__in=by_email))


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_alerts(subject: DataSubject) -> list[dict[str, Any]]:
    return [
        {
            "subscribed_at": subscriber.created_at.isoformat(),
            "unsubscribed_at": _date(subscriber.unsubscribed_at),
            "language": subscriber.language,
            "consent_text_version": subscriber.consent_text_version,
            "consent_at": subscriber.consent_at.isoformat(),
            "topics": [topic.name_fr for topic in subscriber.topics.all()],
            "places": [
                {
                    "label": place.label,
                    "address": place.address,
                    "latitude": str(place.latitude) if place.latitude is not None else None,
                    "longitude": str(place.longitude) if place.longitude is not None else None,
                    "zones": [zone.name_fr for zone in place.zones.all()],
                }
                for place in subscriber.places.all()
            ],
            "contact_points": [
                {
                    "channel": contact.channel,
                    "address": contact.address,
                    "priority": contact.priority,
                    "confirmed_at": _date(contact.verified_at),
                    "opted_out_at": _date(contact.opted_out_at),
                    "opt_out_source": contact.opt_out_source,
                }
                for contact in subscriber.contact_points.all()
            ],
            "consents": [
                {
                    "channel": consent.channel,
                    "action": consent.action,
                    "text_version": consent.text_version,
                    "recorded_at": consent.recorded_at.isoformat(),
                }
                for consent in subscriber.consents.all()
            ],
        }
        for subscriber in _subscribers_of(subject)
        .prefetch_related("topics", "places__zones", "contact_points", "consents")
        .order_by("created_at", "pk")
    ]


def erase_alerts(subject: DataSubject) -> None:
    _subscribers_of(subject).delete()


def register() -> None:
    register_personal_data(
        "alerts",
        models=[Subscriber, SubscriberPlace, ContactPoint, ConsentRecord],
        export=export_alerts,
        erase=erase_alerts,
    )
