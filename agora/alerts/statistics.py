"""How many people the alerts reach, for the city's team: the active subscribers (a
subscription not ended with at least one confirmed contact point not opted out) by topic, by
zone and by channel, and, month by month over the last 12 months, the subscriptions begun
and ended (Subscriber.created_at, unsubscribed_at) and the contact points confirmed and
withdrawn (ContactPoint.verified_at, opted_out_at).

Counts only: nothing here names a person. A mandatory topic reaches every active subscriber
of its zones, so it counts them all. Months are those of the municipality (America/Toronto).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agora.alerts import sending
from agora.alerts.models import ContactChannel, ContactPoint, Subscriber, Topic, Zone

MONTHS = 12


@dataclass(frozen=True)
class Tally:
    name: str
    count: int


@dataclass(frozen=True)
class Month:
    month: datetime.date
    subscribed: int
    unsubscribed: int
    confirmed: int
    withdrawn: int


@dataclass(frozen=True)
class SubscriberStatistics:
    active: int
    per_channel: list[Tally]
    per_topic: list[Tally]
    per_zone: list[Tally]
    per_month: list[Month]
    computed_at: datetime.datetime


def active_subscribers() -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(unsubscribed_at=None).filter(
        Exists(sending.reachable_contact_points().filter(subscriber=OuterRef("pk")))
    )


def months_back(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first day of the last `count` months, this one last."""
    year, month = today.year, today.month
    firsts = []
    for _index in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(firsts))


def _per_month(
    source: QuerySet[Any], date_field: str, since: datetime.datetime
) -> dict[datetime.date, int]:
    rows = (
        source.filter(**{f"{date_field}__gte": since})
        .annotate(month=TruncMonth(date_field, tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[datetime.date, int] = {}
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, datetime.datetime) else month
        found[day] = found.get(day, 0) + row["n"]
    return found


def subscriber_statistics(now: datetime.datetime | None = None) -> SubscriberStatistics:
    """The figures of the page and its files, in eight queries."""
    now = now or timezone.now()
    active = active_subscribers()
    total = active.count()
    channel_names = dict(ContactChannel.choices)
    channels = dict(
        sending.reachable_contact_points()
        .values_list("channel")
        .annotate(n=Count("subscriber", distinct=True))
        .order_by()
    )
    topics = Topic.objects.annotate(
        n=Count("subscribers", filter=Q(subscribers__in=active), distinct=True)
    ).order_by("-mandatory", "position", "name_fr")
    zones = Zone.objects.annotate(
        n=Count("places__subscriber", filter=Q(places__subscriber__in=active), distinct=True)
    ).order_by("position", "name_fr")
    months = months_back(timezone.localdate(now))
    since = timezone.make_aware(
        datetime.datetime.combine(months[0], datetime.time.min),
        timezone.get_current_timezone(),
    )
    subscribed = _per_month(Subscriber.objects.all(), "created_at", since)
    unsubscribed = _per_month(Subscriber.objects.all(), "unsubscribed_at", since)
    confirmed = _per_month(ContactPoint.objects.all(), "verified_at", since)
    withdrawn = _per_month(ContactPoint.objects.all(), "opted_out_at", since)
    return SubscriberStatistics(
        active=total,
        per_channel=[
            Tally(capfirst(str(channel_names[c])), channels.get(c, 0))
            for c in ContactChannel.values
        ],
        per_topic=[
            Tally(
                str(_("%(topic)s (obligatoire)") % {"topic": t.name_fr})
                if t.mandatory
                else t.name_fr,
                total if t.mandatory else t.n,
            )
            for t in topics
        ],
        per_zone=[Tally(z.name_fr, z.n) for z in zones],
        per_month=[
            Month(
                month,
                subscribed.get(month, 0),
                unsubscribed.get(month, 0),
                confirmed.get(month, 0),
                withdrawn.get(month, 0),
            )
            for month in months
        ],
        computed_at=now,
    )
