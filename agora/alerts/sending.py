"""Who an alert reaches, and how it leaves: one Delivery per (alert, contact point, attempt),
written in batches and sent by one task per batch.

Who: every confirmed contact point, not opted out, of a subscriber still subscribed, on a
channel the alert uses, whose places are in one of the alert's zones or inside the polygon
drawn for it; for an optional topic, only the subscribers who chose it (a mandatory topic,
sécurité civile, reaches everyone there).

How: `start_sending()` marks the alert sent (the public sees it from then on) and enqueues
`fan_out`, which walks the recipients in order of contact point, writes each batch's
deliveries (keys `alert:<alert>:<contact point>:1`, so writing a batch twice writes it once)
and enqueues `send_batch` for it. A batch sends its deliveries one by one through
`agora.core.deliveries.send_attempt`, which claims each attempt first: a batch run twice,
or a worker killed in the middle and the batch taken again by the deliveries' retry job,
sends nothing twice and misses no one. `fan_out` itself records how far it went
(`fanned_out_to`) and starts again from there: the `alerts-resume-fan-out` job enqueues it
again for an alert still being fanned out FAN_OUT_TIMEOUT after it was sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora.alerts import confirmations, messages, one_click
from agora.alerts.models import (
    Alert,
    AlertState,
    ContactChannel,
    ContactPoint,
    Subscriber,
    SubscriberPlace,
)
from agora.core import deliveries, geo
from agora.core.models import Delivery

BATCH_SIZE = 500


def channels_of(alert: Alert) -> list[str]:
    chosen = [
        (alert.send_email, ContactChannel.EMAIL),
        (alert.send_sms, ContactChannel.SMS),
        (alert.send_voice, ContactChannel.VOICE),
    ]
    return [str(channel) for used, channel in chosen if used]


def _places_in_polygon(geojson: str) -> list[int]:
    """The places whose point falls inside the drawn polygon: a rectangle in SQL first, then
    the polygon itself for the few inside it."""
    try:
        polygons = geo.parse_polygons(geojson)
    except geo.GeometryError:
        return []
    west, south, east, north = geo.bounding_box(polygons)
    candidates = SubscriberPlace.objects.filter(
        latitude__gte=Decimal(str(south)),
        latitude__lte=Decimal(str(north)),
        longitude__gte=Decimal(str(west)),
        longitude__lte=Decimal(str(east)),
    ).values_list("pk", "latitude", "longitude")
    return [
        pk
        for pk, latitude, longitude in candidates.iterator(chunk_size=2000)
        if latitude is not None
        and longitude is not None
        and geo.contains(polygons, float(longitude), float(latitude))
    ]


def reachable_contact_points() -> QuerySet[ContactPoint]:
    """Every contact point an alert may reach at all: confirmed, not opted out, of a
    subscriber still subscribed (the reports count the subscribers from it too)."""
    return ContactPoint.objects.filter(
        verified_at__isnull=False,
        opted_out_at__isnull=True,
        subscriber__unsubscribed_at__isnull=True,
    )


def recipients(alert: Alert) -> QuerySet[ContactPoint]:
    """The contact points the alert goes to (see the module's docstring)."""
    where = Q(subscriber__places__zones__in=list(alert.zones.values_list("pk", flat=True)))
    if alert.polygon.strip():
        where |= Q(subscriber__places__in=_places_in_polygon(alert.polygon))
    points = reachable_contact_points().filter(channel__in=channels_of(alert)).filter(where)
    if not alert.topic.mandatory:
        points = points.filter(subscriber__topics=alert.topic)
    # One row per contact point, however many of its places or zones match.
    return ContactPoint.objects.filter(pk__in=points.values("pk"))


def recipient_counts(alert: Alert) -> dict[str, int]:
    """How many messages each channel of the alert will send (0 for a channel it uses that
    reaches no one)."""
    counts = dict.fromkeys(channels_of(alert), 0)
    for row in recipients(alert).values("channel").annotate(total=Count("pk")).order_by():
        counts[row["channel"]] = row["total"]
    return counts


def delivery_key(alert: Alert | int, contact_point_id: int, attempt: int = 1) -> str:
    alert_id = alert if isinstance(alert, int) else alert.pk
    # Zero-padded: the keys of a batch sort as its contact points do.
    return f"alert:{alert_id}:{contact_point_id:012d}:{attempt}"


def contact_point_of(key: str) -> int | None:
    """The contact point an alert's or a confirmation code's delivery key names
    (`delivery_key`, confirmations._key); None for another key."""
    parts = key.split(":")
    number = {"alert": 2, "alerts-code": 1}.get(parts[0])
    if number is None or len(parts) <= number or not parts[number].isdigit():
        return None
    return int(parts[number])


def start_sending(alert: Alert, *, now: datetime.datetime | None = None) -> Alert:
    """Marks the alert sent and enqueues its fan-out when the transaction commits. The
    caller (the staff service that sends, audited) has checked that it may be sent."""
    now = now or timezone.now()
    alert.state = AlertState.SENDING
    alert.sent_at = now
    alert.updated_at = now
    alert.fanned_out_to = 0
    alert.save(update_fields=["state", "sent_at", "updated_at", "fanned_out_to"])
    transaction.on_commit(lambda: fan_out.enqueue(alert_id=alert.pk))
    return alert


def _payloads(alert: Alert) -> dict[tuple[str, str], dict[str, Any]]:
    """Each (channel, language)'s message, rendered once for the whole alert."""
    return {
        (channel, language): messages.payload(alert, channel, language)
        for channel in channels_of(alert)
        for language in ("fr", "en")
    }


# A recipient as the fan-out reads it: contact point id, channel, address, the subscriber's
# language, id and management token hash.
Recipient = tuple[int, str, str, str, int, str]
RECIPIENT_FIELDS = (
    "pk",
    "channel",
    "address",
    "subscriber__language",
    "subscriber_id",
    "subscriber__manage_token_hash",
)


def _payload_for(
    payloads: dict[tuple[str, str], dict[str, Any]],
    recipient: Recipient,
    *,
    alert: Alert | None = None,
) -> dict[str, Any]:
    """The message of the recipient's channel and language; an e-mail also carries the
    subscriber's own link to manage or end their subscription and, unless the alert is an
    emergency (or unknown here), the one-click unsubscribe headers of RFC 8058."""
    point_id, channel, address, language, subscriber_id, token_hash = recipient
    language = "en" if language.startswith("en") else "fr"
    payload = payloads[(channel, language)]
    if channel != ContactChannel.EMAIL:
        return payload
    subscriber = Subscriber(pk=subscriber_id, manage_token_hash=token_hash, language=language)
    with translation.override(language):
        footer = _("Gérer ou annuler votre abonnement aux alertes : %(link)s") % {
            "link": confirmations.manage_link_of(subscriber)
        }
    headers = (
        one_click.headers_for(point_id, address, language)
        if alert is not None and not alert.is_emergency
        else {}
    )
    return {**payload, "text": f"{payload['text']}\n\n-- \n{footer}", "headers": headers}


def write_batch(alert: Alert, recipients: Iterable[Recipient]) -> list[str]:
    """Writes the deliveries of the recipients, each once whatever happens; returns their
    keys."""
    payloads = _payloads(alert)
    now = timezone.now()
    rows = [
        Delivery(
            key=delivery_key(alert, recipient[0]),
            channel=recipient[1],
            recipient=recipient[2],
            language=recipient[3],
            payload=_payload_for(payloads, recipient, alert=alert),
            next_attempt_at=now + deliveries.ATTEMPT_TIMEOUT,
            created_at=now,
        )
        for recipient in recipients
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    return [row.key for row in rows]


@task(queue_name="alerts")
def fan_out(*, alert_id: int) -> int:
    """Writes the alert's deliveries batch by batch, enqueuing each batch's sending; returns
    how many contact points it covered this time."""
    alert = Alert.objects.select_related("topic").filter(pk=alert_id).first()
    if alert is None or alert.state != AlertState.SENDING:
        return 0
    covered = 0
    targets = recipients(alert)  # the drawn polygon's places are found once, not per batch
    while True:
        batch = list(
            targets.filter(pk__gt=alert.fanned_out_to)
            .order_by("pk")
            .values_list(*RECIPIENT_FIELDS)[:BATCH_SIZE]
        )
        if not batch:
            break
        with transaction.atomic():
            keys = write_batch(alert, batch)
            alert.fanned_out_to = batch[-1][0]
            alert.save(update_fields=["fanned_out_to"])
            transaction.on_commit(partial(_enqueue_batch, alert_id, keys[0], keys[-1]))
        covered += len(batch)
    Alert.objects.filter(pk=alert.pk, state=AlertState.SENDING).update(state=AlertState.SENT)
    return covered


# A fan-out still running this long after its alert was sent is taken as interrupted (its
# worker killed) and enqueued again: it resumes after `fanned_out_to`. A fan-out of 100,000
# recipients takes well under a minute.
FAN_OUT_TIMEOUT = datetime.timedelta(minutes=10)


def resume_fan_outs(*, now: datetime.datetime) -> int:
    """Enqueues again the fan-out of every alert still being fanned out FAN_OUT_TIMEOUT after
    it was sent; returns how many. Two fan-outs of one alert at once write each delivery
    once and send it once (the keys, the claimed attempts)."""
    stuck = list(
        Alert.objects.filter(
            state=AlertState.SENDING, sent_at__lte=now - FAN_OUT_TIMEOUT
        ).values_list("pk", flat=True)
    )
    for alert_id in stuck:
        fan_out.enqueue(alert_id=alert_id)
    return len(stuck)


def _enqueue_batch(alert_id: int, first_key: str, last_key: str) -> None:
    send_batch.enqueue(alert_id=alert_id, first_key=first_key, last_key=last_key)


@task(queue_name="alerts")
def send_batch(*, alert_id: int, first_key: str, last_key: str) -> int:
    """Sends the batch's deliveries still waiting for their first attempt; returns how many
    this run sent. Its e-mails share one connection to the mail server (`deliveries.batch`)."""
    pending = list(
        Delivery.objects.filter(
            key__gte=first_key,
            key__lte=last_key,
            key__startswith=f"alert:{alert_id}:",
            state=Delivery.State.PENDING,
            attempts=0,
        )
        .order_by("key")
        .values_list("pk", "channel")
    )
    sent = 0
    with deliveries.batch(channel for _pk, channel in pending):
        for delivery_id, _channel in pending:
            if deliveries.send_attempt(delivery_id=delivery_id, attempt=0) == Delivery.State.SENT:
                sent += 1
    return sent
