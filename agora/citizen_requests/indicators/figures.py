"""The figures, each counted by the database (an aggregate query each, three for the
percentiles on SQLite); `indicators()` gathers them, `cached_indicators()` keeps them a
minute. What each counts is said in the package's docstring (__init__.py)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agora.citizen_requests.indicators.period import Scope
from agora.citizen_requests.models import OPEN_STATUSES, CitizenRequest, RequestStatus
from agora.core.languages import in_language

CACHE_SECONDS = 60
MEDIAN, NINETIETH = 0.5, 0.9
# The ages of the waiting requests, in days: [0, 7), [7, 30), [30, 90), 90 and more.
AGE_LIMITS_DAYS = (7, 30, 90)
# The statuses in the order the pages list them: open ones first, then the closings.
STATUS_ORDER = (
    RequestStatus.NEW,
    RequestStatus.ACKNOWLEDGED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.RESOLVED,
    RequestStatus.REJECTED,
    RequestStatus.REFERRED,
)


@dataclass(frozen=True)
class Tally:
    """A count under a name staff wrote in both languages (a theme, a service, a district,
    whose English name is empty)."""

    name_fr: str
    name_en: str
    count: int

    @property
    def name(self) -> str:
        return in_language(self, "name")


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int

    @property
    def label(self) -> str:
        return str(RequestStatus(self.status).label)


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    count: int


@dataclass(frozen=True)
class Resolution:
    """The requests resolved during the period: how many, how many by their due date, and
    the time from receipt to resolution that half of them, and nine in ten, did not exceed."""

    resolved: int
    on_time: int
    median: datetime.timedelta | None
    ninetieth: datetime.timedelta | None

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.resolved, 1) if self.resolved else None


@dataclass(frozen=True)
class Backlog:
    """The requests open now: how many, how many past their due date, how many per age
    (`AGE_LIMITS_DAYS`), and when the oldest was received."""

    open: int
    overdue: int
    ages: tuple[int, ...]
    oldest: datetime.datetime | None


@dataclass(frozen=True)
class DepartmentRow:
    """One municipal department on the staff dashboard ("" for requests of none)."""

    name: str
    received: int
    still_open: int
    resolved: int
    on_time: int
    overdue: int

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.resolved, 1) if self.resolved else None


def _scoped(scope: Scope) -> QuerySet[CitizenRequest]:
    requests = CitizenRequest.objects.order_by()
    if scope.theme is not None:
        requests = requests.filter(service__group=scope.theme)
    if scope.department is not None:
        requests = requests.filter(department=scope.department)
    return requests


def _received_q(scope: Scope) -> Q:
    first, after = scope.period.bounds()
    return Q(created_at__gte=first, created_at__lt=after)


def _resolved_q(scope: Scope) -> Q:
    first, after = scope.period.bounds()
    return Q(status=RequestStatus.RESOLVED, closed_at__gte=first, closed_at__lt=after)


def received(scope: Scope) -> QuerySet[CitizenRequest]:
    """The requests received during the period, duplicates left out."""
    return _scoped(scope).filter(_received_q(scope)).exclude(status=RequestStatus.DUPLICATE)


def _tallies(rows: Iterable[Mapping[str, Any]], fr: str, en: str) -> list[Tally]:
    tallies = [Tally(row[fr] or "", row[en] or "", row["n"]) for row in rows]
    return sorted(tallies, key=lambda tally: (-tally.count, tally.name_fr.casefold()))


def per_theme(scope: Scope) -> list[Tally]:
    """Received per theme, most first."""
    rows = (
        received(scope)
        .values("service__group__name_fr", "service__group__name_en")
        .annotate(n=Count("pk"))
    )
    return _tallies(rows, "service__group__name_fr", "service__group__name_en")


def per_service(scope: Scope) -> list[Tally]:
    """Received per service, most first."""
    rows = (
        received(scope)
        .values("service_id", "service__name_fr", "service__name_en")
        .annotate(n=Count("pk"))
    )
    return _tallies(rows, "service__name_fr", "service__name_en")


def per_month(scope: Scope) -> list[MonthCount]:
    """Received per month of the period, every month shown (0 for none)."""
    zone = timezone.get_default_timezone()
    rows = (
        received(scope)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = {
        timezone.localtime(row["month"], zone).date().replace(day=1): row["n"] for row in rows
    }
    return [MonthCount(month, counts.get(month, 0)) for month in scope.period.months()]


def per_district(scope: Scope) -> list[Tally]:
    """Received per district, most first; "" for requests outside every district or without
    a place."""
    rows = received(scope).values("district").annotate(n=Count("pk"))
    return sorted(
        (Tally(row["district"], "", row["n"]) for row in rows),
        key=lambda tally: (not tally.name_fr, -tally.count, tally.name_fr.casefold()),
    )


def per_status(scope: Scope) -> tuple[list[StatusCount], int]:
    """Received per status today (`STATUS_ORDER`, 0 for none), and the duplicates left out."""
    rows = _scoped(scope).filter(_received_q(scope)).values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    statuses = [StatusCount(str(status), counts.get(status, 0)) for status in STATUS_ORDER]
    return statuses, counts.get(RequestStatus.DUPLICATE, 0)


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile: the value below which `fraction` of the ordered
    values fall, interpolated between the two nearest."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    allow_order_by = True
    template = "%(function)s(%(expressions)s) WITHIN GROUP (%(order_by)s)%(filter)s"


def _duration() -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())


def resolution(scope: Scope) -> Resolution:
    """The requests resolved during the period, their median and 90th-percentile times.

    PostgreSQL computes everything in one query (`percentile_cont`). Elsewhere (SQLite has
    no percentile), the database counts them, then gives the two times nearest each
    percentile, sorted by duration (ORDER BY … OFFSET), between which it is interpolated as
    `percentile_cont` does: the same figures on both."""
    resolved = _scoped(scope).filter(_resolved_q(scope))
    on_time = Count("pk", filter=Q(closed_at__lte=F("due_at")))
    if connection.vendor == "postgresql":
        figures = resolved.aggregate(
            n=Count("pk"),
            on_time=on_time,
            median=PercentileCont(
                Value(MEDIAN), order_by=_duration(), output_field=DurationField()
            ),
            ninetieth=PercentileCont(
                Value(NINETIETH), order_by=_duration(), output_field=DurationField()
            ),
        )
        return Resolution(figures["n"], figures["on_time"], figures["median"], figures["ninetieth"])
    figures = resolved.aggregate(n=Count("pk"), on_time=on_time)
    return Resolution(
        figures["n"],
        figures["on_time"],
        _percentile(resolved, figures["n"], MEDIAN),
        _percentile(resolved, figures["n"], NINETIETH),
    )


def _percentile(
    requests: QuerySet[CitizenRequest], count: int, fraction: float
) -> datetime.timedelta | None:
    """The `fraction` percentile of the requests' durations, interpolated between the two
    nearest, which the database sorts and picks (ORDER BY … OFFSET … LIMIT 2)."""
    if not count:
        return None
    position = fraction * (count - 1)
    below = math.floor(position)
    durations = (
        requests.annotate(duration=_duration())
        .order_by("duration")
        .values_list("duration", flat=True)
    )
    nearest: list[datetime.timedelta] = list(durations[below : below + 2])
    if len(nearest) == 1:
        return nearest[0]
    return nearest[0] + (nearest[1] - nearest[0]) * (position - below)


def backlog(scope: Scope, now: datetime.datetime) -> Backlog:
    """The requests open now, by age, whatever the period (theme and department apply)."""
    days = [now - datetime.timedelta(days=limit) for limit in AGE_LIMITS_DAYS]
    ages: dict[str, Any] = {"age0": Count("pk", filter=Q(created_at__gt=days[0]))}
    for index in range(1, len(days)):
        ages[f"age{index}"] = Count(
            "pk", filter=Q(created_at__gt=days[index], created_at__lte=days[index - 1])
        )
    ages[f"age{len(days)}"] = Count("pk", filter=Q(created_at__lte=days[-1]))
    figures = (
        _scoped(scope)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            oldest=Min("created_at"),
            **ages,
        )
    )
    return Backlog(
        open=figures["n"],
        overdue=figures["overdue"],
        ages=tuple(figures[f"age{index}"] for index in range(len(days) + 1)),
        oldest=figures["oldest"],
    )


def per_department(scope: Scope, now: datetime.datetime) -> list[DepartmentRow]:
    """For the staff dashboard, per municipal department: received during the period and
    still open, resolved during the period and by their due date, and overdue now."""
    received_q = _received_q(scope) & ~Q(status=RequestStatus.DUPLICATE)
    resolved_q = _resolved_q(scope)
    overdue_q = Q(status__in=OPEN_STATUSES, due_at__lt=now)
    rows = (
        _scoped(scope)
        .filter(received_q | resolved_q | overdue_q)
        .values("department__name")
        .annotate(
            received=Count("pk", filter=received_q),
            still_open=Count("pk", filter=received_q & Q(status__in=OPEN_STATUSES)),
            resolved=Count("pk", filter=resolved_q),
            on_time=Count("pk", filter=resolved_q & Q(closed_at__lte=F("due_at"))),
            overdue=Count("pk", filter=overdue_q),
        )
    )
    departments = [
        DepartmentRow(
            name=row["department__name"] or "",
            received=row["received"],
            still_open=row["still_open"],
            resolved=row["resolved"],
            on_time=row["on_time"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    return sorted(departments, key=lambda row: (not row.name, -row.received, row.name.casefold()))


# Together ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    """Every figure of a scope, as computed at `computed_at`."""

    scope: Scope
    computed_at: datetime.datetime
    per_theme: list[Tally]
    per_service: list[Tally]
    per_month: list[MonthCount]
    per_district: list[Tally]
    per_status: list[StatusCount]
    duplicates: int
    resolution: Resolution
    backlog: Backlog
    per_department: list[DepartmentRow]

    @property
    def received(self) -> int:
        return sum(status.count for status in self.per_status)

    @property
    def still_open(self) -> int:
        return sum(s.count for s in self.per_status if s.status in OPEN_STATUSES)

    @property
    def closed(self) -> int:
        return self.received - self.still_open

    @property
    def has_districts(self) -> bool:
        return any(tally.name_fr for tally in self.per_district)


def indicators(scope: Scope, *, departments: bool = False) -> Indicators:
    """Every figure of `scope`: eight queries (ten on a database without percentiles), one
    more with the departments."""
    now = timezone.now()
    statuses, duplicates = per_status(scope)
    return Indicators(
        scope=scope,
        computed_at=now,
        per_theme=per_theme(scope),
        per_service=per_service(scope),
        per_month=per_month(scope),
        per_district=per_district(scope),
        per_status=statuses,
        duplicates=duplicates,
        resolution=resolution(scope),
        backlog=backlog(scope, now),
        per_department=per_department(scope, now) if departments else [],
    )


def cached_indicators(scope: Scope, *, departments: bool = False) -> Indicators:
    """`indicators(scope)`, computed at most once every `CACHE_SECONDS` for the same choice
    (kept in the shared cache, whatever the language: names are kept in both)."""
    key = f"agora:request-indicators:{'staff' if departments else 'public'}:{scope.key()}"
    kept: Indicators | None = cache.get(key)
    if kept is None:
        kept = indicators(scope, departments=departments)
        cache.set(key, kept, CACHE_SECONDS)
    return kept
