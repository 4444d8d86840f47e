"""An address that cannot receive: when a provider refuses an alert's message for good (the
mail server answers 5xx "no such user", the gateway rejects the number), the contact point
is taken off the alerts (`opt_out_source` "bounce"), so that later alerts do not write to
it again. The subscriber sees it on their management page and may add the address again.
It is not a withdrawal of consent: no consent record is written.

Only the deliveries of alerts count (keys `alert:<alert>:<contact point>:<attempt>`,
sending.py); a confirmation refused leaves its contact point unconfirmed anyway."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from agora.alerts import sending
from agora.alerts.models import ContactPoint, OptOutSource
from agora.core import deliveries
from agora.core.models import Delivery


def _stop_writing_to_refused_address(*, delivery: Delivery, **_kwargs: Any) -> None:
    point_id = sending.contact_point_of(delivery.key)
    if point_id is None or not delivery.key.startswith("alert:"):
        return
    ContactPoint.objects.filter(
        pk=point_id, channel=delivery.channel, opted_out_at__isnull=True
    ).update(opted_out_at=timezone.now(), opt_out_source=OptOutSource.BOUNCE)


def register() -> None:
    deliveries.refused_for_good.connect(
        _stop_writing_to_refused_address, dispatch_uid="alerts-refused-address"
    )
