"""What the public map and list read: the public requests (never a private one), without a
description, an address or a person, their places rounded by the database to about 100 m."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, DecimalField, Q, QuerySet
from django.db.models.functions import Round

from agora.citizen_requests.indicators.figures import CACHE_SECONDS
from agora.citizen_requests.models import OPEN_STATUSES, CitizenRequest, RequestStatus
from agora.core.languages import in_language

# Points are rounded to 3 decimals of a degree (about 110 m north-south, 80 m east-west here):
# a place, never a door.
PLACE_DECIMALS = 3
# The places the map draws at most (those with the most requests): a light page.
MAP_PLACES = 800
# The filter of the public list and map ("statut"): open, closed, or one status.
OPEN_FILTER, CLOSED_FILTER = "ouvertes", "fermees"


def statuses_of(choice: str) -> frozenset[str]:
    """The statuses a value of the "statut" filter keeps; all of them for "" (or anything
    else)."""
    if choice == OPEN_FILTER:
        return frozenset(OPEN_STATUSES)
    if choice == CLOSED_FILTER:
        return frozenset(set(RequestStatus.values) - OPEN_STATUSES)
    if choice in RequestStatus.values:
        return frozenset({choice})
    return frozenset(RequestStatus.values)


@dataclass(frozen=True)
class PublicFilter:
    """The choice of the public list and map: a service (its code), a "statut" value."""

    service_code: str = ""
    status: str = ""

    def key(self) -> str:
        return f"{self.service_code}:{self.status}"


def public_requests(choice: PublicFilter) -> QuerySet[CitizenRequest]:
    """The public requests matching `choice`; private ones never."""
    requests = CitizenRequest.objects.filter(public=True)
    if choice.service_code:
        requests = requests.filter(service__code=choice.service_code)
    statuses = statuses_of(choice.status)
    if statuses != frozenset(RequestStatus.values):
        requests = requests.filter(status__in=statuses)
    return requests


@dataclass(frozen=True)
class PublicRequest:
    """A line of the public list: no description, no address, no person; the place rounded."""

    tracking_number: str
    status: str
    created_at: datetime.datetime
    district: str
    service_name_fr: str
    service_name_en: str
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def service_name(self) -> str:
        return in_language(self, "service_name")

    @property
    def status_label(self) -> str:
        return str(RequestStatus(self.status).label)


def _rounded(field: str) -> Round:
    return Round(field, PLACE_DECIMALS, output_field=DecimalField(max_digits=9, decimal_places=3))


def public_rows(requests: QuerySet[CitizenRequest]) -> QuerySet[CitizenRequest, Any]:
    """The columns of the public list, the coordinates rounded by the database: the exact
    point never leaves it."""
    return requests.order_by("-created_at", "-pk").values(
        "tracking_number",
        "status",
        "created_at",
        "district",
        "service__name_fr",
        "service__name_en",
        place_latitude=_rounded("latitude"),
        place_longitude=_rounded("longitude"),
    )


def public_request(row: dict[str, Any]) -> PublicRequest:
    return PublicRequest(
        tracking_number=row["tracking_number"],
        status=row["status"],
        created_at=row["created_at"],
        district=row["district"],
        service_name_fr=row["service__name_fr"],
        service_name_en=row["service__name_en"],
        latitude=_decimal(row["place_latitude"]),
        longitude=_decimal(row["place_longitude"]),
    )


def _decimal(value: Any) -> Decimal | None:
    """A rounded coordinate as the database gave it (SQLite gives a float)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-PLACE_DECIMALS))


@dataclass(frozen=True)
class Place:
    """A rounded point of the map, with its requests and how many are open."""

    latitude: Decimal
    longitude: Decimal
    count: int
    open: int


@dataclass(frozen=True)
class Places:
    places: list[Place]
    requests: int  # the requests with a place, drawn or not
    more: bool  # more places than `MAP_PLACES`: those with the most requests are drawn


def public_places(choice: PublicFilter) -> Places:
    """The places of the public requests matching `choice`, grouped by rounded point by the
    database, those with the most requests first (two queries)."""
    located = public_requests(choice).filter(latitude__isnull=False, longitude__isnull=False)
    rows = list(
        located.order_by()
        .values(rounded_latitude=_rounded("latitude"), rounded_longitude=_rounded("longitude"))
        .annotate(n=Count("pk"), still_open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
        .order_by("-n", "rounded_latitude", "rounded_longitude")[: MAP_PLACES + 1]
    )
    places = [
        Place(
            latitude=_decimal(row["rounded_latitude"]) or Decimal(0),
            longitude=_decimal(row["rounded_longitude"]) or Decimal(0),
            count=row["n"],
            open=row["still_open"],
        )
        for row in rows[:MAP_PLACES]
    ]
    return Places(places=places, requests=located.count(), more=len(rows) > MAP_PLACES)


def cached_public_places(choice: PublicFilter) -> Places:
    key = f"agora:request-places:{choice.key()}"
    kept: Places | None = cache.get(key)
    if kept is None:
        kept = public_places(choice)
        cache.set(key, kept, CACHE_SECONDS)
    return kept


def cached_public_count(choice: PublicFilter) -> int:
    """How many public requests match `choice` (for the list's pages), counted at most once
    a minute."""
    key = f"agora:request-public-count:{choice.key()}"
    count: int | None = cache.get(key)
    if count is None:
        count = public_requests(choice).count()
        cache.set(key, count, CACHE_SECONDS)
    return count
