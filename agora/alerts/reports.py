"""What became of an alert's messages, for the city's team: per channel, how many contact
points are queued, sent, delivered, failed, without answer or opted out, and the list of
those that failed. An update and a cancellation are alerts of their own, each with its
report; the report names the other messages of the chain.

An alert's deliveries have the keys `alert:<alert>:<contact point, 12 digits>:<attempt>`
(sending.delivery_key). A contact point tried several times (a call made again) counts
once, by its last attempt; each counts in one outcome, the first that applies:

1. opted out: the contact point was withdrawn after its delivery was written (STOP, the
   one-click unsubscribe of this very e-mail…), or the channel skipped it for that reason
   (report "opted-out");
2. delivered: the provider says so (text message "delivered", call "completed");
3. no answer: the last call was busy or not answered;
4. failed: refused or abandoned after the last retry, or reported undelivered, failed or
   canceled;
5. queued: not handed over yet (first attempt or a retry to come);
6. sent: handed over, no word from the provider yet.

Everything is counted by the database in one query (the last attempt of each contact point
is picked by a window function), whatever the number of messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber, StrIndex, Substr
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agora.alerts.models import Alert, AlertState, ContactChannel, ContactPoint, OptOutSource
from agora.core.models import Delivery

# Written to the audit log when someone downloads the failing contacts (their addresses).
FAILURES_EXPORTED: Final = "alert.failures_exported"

KEY_PREFIX = "alert:"
POINT_DIGITS = 12
# What providers report (Delivery.report): Kannel's words for text messages, a call's status.
DELIVERED_REPORTS = ("delivered", "completed")
NO_ANSWER_REPORTS = ("busy", "no-answer")
FAILED_REPORTS = ("undelivered", "failed", "canceled")
SKIPPED_OPTED_OUT_REPORTS = ("opted-out",)
REPORTED_STATES = (AlertState.SENDING, AlertState.SENT)
# The providers' words as staff read them (the files keep them too, in the staff's language).
REPORT_LABELS = {
    "sent": _("transmis à l'opérateur"),
    "buffered": _("gardé par l'opérateur"),
    "delivered": _("livré"),
    "completed": _("répondu"),
    "undelivered": _("non livré"),
    "failed": _("refusé"),
    "canceled": _("annulé"),
    "busy": _("occupé"),
    "no-answer": _("sans réponse"),
    "opted-out": _("désabonné"),
}


class Outcome:
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    NO_ANSWER = "no_answer"
    OPTED_OUT = "opted_out"

    ORDER = (QUEUED, SENT, DELIVERED, FAILED, NO_ANSWER, OPTED_OUT)
    LABELS = {
        QUEUED: _("En attente"),
        SENT: _("Transmis"),
        DELIVERED: _("Reçus"),
        FAILED: _("En échec"),
        NO_ANSWER: _("Sans réponse"),
        OPTED_OUT: _("Désabonnés"),
    }
    FAILING = (FAILED, NO_ANSWER)


CHANNEL_ORDER = (ContactChannel.EMAIL, ContactChannel.SMS, ContactChannel.VOICE)


@dataclass(frozen=True)
class ChannelCounts:
    channel: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return channel_label(self.channel)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def delivered(self) -> int:
        return self.counts.get(Outcome.DELIVERED, 0)

    @property
    def failing(self) -> int:
        return sum(self.counts.get(outcome, 0) for outcome in Outcome.FAILING)

    @property
    def queued(self) -> int:
        return self.counts.get(Outcome.QUEUED, 0)

    def cells(self) -> list[int]:
        return [self.counts.get(outcome, 0) for outcome in Outcome.ORDER]


@dataclass(frozen=True)
class AlertReport:
    alert: Alert
    per_channel: list[ChannelCounts]

    @property
    def totals(self) -> ChannelCounts:
        summed = {
            outcome: sum(row.counts.get(outcome, 0) for row in self.per_channel)
            for outcome in Outcome.ORDER
        }
        return ChannelCounts("", summed)

    def rows(self) -> list[list[Any]]:
        """The table: a channel a line, then the totals (for the page and the files)."""
        return [
            *([row.label, *row.cells(), row.total] for row in self.per_channel),
            [str(_("Total")), *self.totals.cells(), self.totals.total],
        ]


def channel_label(channel: str) -> str:
    return capfirst(str(dict(ContactChannel.choices).get(channel, channel))) or channel


def headings() -> list[str]:
    return [str(_("Moyen")), *(str(Outcome.LABELS[o]) for o in Outcome.ORDER), str(_("Total"))]


class NotReportedError(Exception):
    """The alert was never sent (a draft, waiting for approval or scheduled): no report."""


def is_reported(alert: Alert) -> bool:
    return alert.state in REPORTED_STATES and alert.sent_at is not None


# The deliveries ---------------------------------------------------------------------------


def _key_parts(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """Reads the alert, the contact point and the attempt out of each key."""
    after = len(KEY_PREFIX) + 1  # where the alert's number starts (SQL counts from 1)
    colon = StrIndex(Substr("key", after), Value(":"))
    return deliveries.annotate(
        alert_ref=Cast(Substr("key", after, colon - 1), IntegerField()),
        point_id=Cast(Substr("key", colon + after, POINT_DIGITS), IntegerField()),
        attempt_number=Cast(Substr("key", colon + after + POINT_DIGITS + 1), IntegerField()),
    )


def _of_alerts(alert_ids: Iterable[int]) -> QuerySet[Delivery]:
    keys = Q(pk__in=[])
    for alert_id in alert_ids:
        keys |= Q(key__startswith=f"{KEY_PREFIX}{alert_id}:")
    return Delivery.objects.filter(keys)


def last_attempts(alert_ids: Iterable[int]) -> QuerySet[Any]:
    """The last delivery of each contact point of the alerts, with its `outcome`, the
    `alert_ref` and `point_id` of its key (annotations: a QuerySet of Any for the type
    checker)."""
    ranked = _key_parts(_of_alerts(alert_ids)).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("alert_ref"), F("point_id")],
            order_by=[F("attempt_number").desc()],
        )
    )
    latest = _key_parts(Delivery.objects.filter(pk__in=ranked.filter(rank=1).values("pk")))
    withdrawn_since = Exists(
        ContactPoint.objects.filter(
            pk=OuterRef("point_id"), opted_out_at__gte=OuterRef("created_at")
        ).exclude(opt_out_source=OptOutSource.BOUNCE)  # refused by the provider: a failure
    )
    return latest.annotate(
        outcome=Case(
            When(withdrawn_since, then=Value(Outcome.OPTED_OUT)),
            When(report__in=SKIPPED_OPTED_OUT_REPORTS, then=Value(Outcome.OPTED_OUT)),
            When(report__in=DELIVERED_REPORTS, then=Value(Outcome.DELIVERED)),
            When(report__in=NO_ANSWER_REPORTS, then=Value(Outcome.NO_ANSWER)),
            When(
                Q(state__in=[Delivery.State.FAILED, Delivery.State.ABANDONED])
                | Q(report__in=FAILED_REPORTS),
                then=Value(Outcome.FAILED),
            ),
            When(state=Delivery.State.PENDING, then=Value(Outcome.QUEUED)),
            default=Value(Outcome.SENT),
            output_field=CharField(),
        )
    )


# Reports ----------------------------------------------------------------------------------


def _channels(alert: Alert, found: Iterable[str]) -> list[str]:
    used = {
        channel
        for channel, chosen in zip(
            CHANNEL_ORDER, (alert.send_email, alert.send_sms, alert.send_voice), strict=True
        )
        if chosen
    } | set(found)
    return [str(c) for c in CHANNEL_ORDER if c in used] + sorted(used - set(CHANNEL_ORDER))


def alert_report(alert: Alert) -> AlertReport:
    """The counts of the alert, a line per channel it uses: one query. Raises
    NotReportedError for an alert never sent."""
    if not is_reported(alert):
        raise NotReportedError
    counts: dict[str, dict[str, int]] = {}
    for row in (
        last_attempts([alert.pk]).values("channel", "outcome").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(row["channel"], {})[row["outcome"]] = row["n"]
    return AlertReport(
        alert=alert,
        per_channel=[ChannelCounts(c, counts.get(c, {})) for c in _channels(alert, counts)],
    )


def totals_of(alert_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per alert, its contact points by outcome (for the index of sent alerts): one query."""
    totals: dict[int, dict[str, int]] = {alert_id: {} for alert_id in alert_ids}
    if not alert_ids:
        return totals
    rows = last_attempts(alert_ids).values("alert_ref", "outcome").annotate(n=Count("pk"))
    for row in rows.order_by():
        totals.setdefault(row["alert_ref"], {})[row["outcome"]] = row["n"]
    return totals


def failing(alert: Alert) -> QuerySet[Any]:
    """The contact points whose last attempt failed or was not answered, by channel then
    address; staff see their addresses (to correct or remove them)."""
    return (
        last_attempts([alert.pk])
        .filter(outcome__in=Outcome.FAILING)
        .order_by("channel", "recipient", "pk")
    )


def failing_headings() -> list[str]:
    return [
        str(_("Moyen")),
        str(_("Adresse ou numéro")),
        str(_("Langue")),
        str(_("Résultat")),
        str(_("Rapport du fournisseur")),
        str(_("Dernière erreur")),
        str(_("Essais")),
    ]


def failing_row(delivery: Delivery) -> list[Any]:
    outcome = getattr(delivery, "outcome", Outcome.FAILED)
    return [
        channel_label(delivery.channel),
        delivery.recipient,
        delivery.language,
        str(Outcome.LABELS.get(outcome, outcome)),
        str(REPORT_LABELS.get(delivery.report, delivery.report)),
        delivery.last_error,
        delivery.attempts,
    ]


def sent_alerts() -> QuerySet[Alert]:
    """The alerts that have a report (tests and exercises too), newest first."""
    return (
        Alert.objects.filter(state__in=REPORTED_STATES, sent_at__isnull=False)
        .select_related("topic")
        .order_by("-sent_at", "-pk")
    )
