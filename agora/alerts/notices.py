"""The alerts the public reads: those sent for real (not exercises or tests), newest first,
each with where it stands now (in force, expired, updated, cancelled)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.alerts.models import Alert, AlertState, CapStatus, MessageType

NOTICES_PER_PAGE = 20


class Standing:
    IN_FORCE = "in-force"
    EXPIRED = "expired"
    UPDATED = "updated"
    CANCELLED = "cancelled"


STANDING_LABELS = {
    Standing.IN_FORCE: _("en vigueur"),
    Standing.EXPIRED: _("expirée"),
    Standing.UPDATED: _("mise à jour depuis"),
    Standing.CANCELLED: _("annulée"),
}


def published() -> QuerySet[Alert]:
    """Sent, real alerts (updates and cancellations included), newest first."""
    return (
        Alert.objects.filter(state=AlertState.SENT, sent_at__isnull=False)
        .filter(cap_status=CapStatus.ACTUAL)
        .select_related("topic")
        .order_by("-sent_at", "-pk")
    )


@dataclass(frozen=True)
class Notice:
    alert: Alert
    standing: str
    latest: Alert | None  # the update or cancellation that replaced it, if any

    @property
    def standing_label(self) -> Any:
        return STANDING_LABELS[self.standing]

    def headline(self, language: str) -> str:
        return self.alert.localized("headline", language)


def notices(alerts: list[Alert], now: datetime.datetime | None = None) -> list[Notice]:
    """Each alert with where it stands, in one query for all their followers."""
    now = now or timezone.now()
    followers: dict[int, Alert] = {}
    for follower in (
        published().filter(references__in=[alert.pk for alert in alerts]).order_by("sent_at", "pk")
    ):
        assert follower.references_id is not None  # the filter above
        followers[follower.references_id] = follower
    result = []
    for alert in alerts:
        latest = followers.get(alert.pk)
        if alert.message_type == MessageType.CANCEL:
            standing = Standing.CANCELLED
        elif latest is not None:
            standing = (
                Standing.CANCELLED
                if latest.message_type == MessageType.CANCEL
                else Standing.UPDATED
            )
        elif alert.expires_at <= now:
            standing = Standing.EXPIRED
        else:
            standing = Standing.IN_FORCE
        result.append(Notice(alert=alert, standing=standing, latest=latest))
    return result
