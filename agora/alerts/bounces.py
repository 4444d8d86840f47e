"""An address that cannot receive: when a provider refuses an alert's message for good (the
mail server answers 5xx "no such user", the gateway rejects the number), the contact point
is taken off the alerts (`opt_out_source` "bounce"), so that later alerts do not write to
it again. The subscriber sees it on their management page and may add the address again.
It is not a withdrawal of consent: no consent record is written.

Only the deliveries of alerts count (keys `alert:<alert>:<contact point>:<attempt>`,
sending.py); a confirmation refused leaves its contact point unconfirmed anyway."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from agora.alerts.models import ContactPoint, OptOutSource
from agora.core import deliveries
from agora.core.models import Delivery

ALERT_KEY = re.compile(r"alert:\d+:(?P<point>\d+):\d+")


def _stop_writing_to_refused_address(*, delivery: Delivery, **_kwargs: Any) -> None:
    match = ALERT_KEY.fullmatch(delivery.key)
    if match is None:
        return
    ContactPoint.objects.filter(
        pk=int(match["point"]), channel=delivery.channel, opted_out_at__isnull=True
    ).update(opted_out_at=timezone.now(), opt_out_source=OptOutSource.BOUNCE)


def register() -> None:
    deliveries.refused_for_good.connect(
        _stop_writing_to_refused_address, dispatch_uid="alerts-refused-address"
    )
