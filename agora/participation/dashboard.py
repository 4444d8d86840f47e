"""What the staff reads about a project's participation: the projects each person follows in
/gestion/, and a project's totals and weekly counts.

Each phase component the project's phases use tells what it counts (`contributions`) and
what else it shows (`dashboard_sections`); whoever sent a contribution to any component is
one participant. The database counts (aggregates grouped by week), so a dashboard costs the
same queries whatever the number of contributions. Weeks start on Monday, in the city's time
zone. Every count is of what residents sent, whatever moderation did with it since.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least, TruncWeek
from django.utils import timezone

from agora.accounts.reach import staff_reach
from agora.core.models import Participant
from agora.participation import components
from agora.participation.components import Contributions, DashboardSection
from agora.participation.models import ProjectFollower, ProjectPage

# The weekly table keeps the last two years of activity; totals count everything.
MAX_WEEKS = 104
_NEVER = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


def projects_followed_by(user: Any) -> QuerySet[ProjectPage]:
    """The projects (source pages, drafts included) whose dashboard `user` may read:
    every project for administrators and elected officials, the department's for its
    managers, the assigned ones for moderators."""
    followed: QuerySet[ProjectPage] = ProjectPage.objects.sources().followed_within(
        staff_reach(user)
    )
    return followed


def with_listing_counts(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """Adds `contribution_count` (everything residents sent to every component) and the
    department, for the staff's list of projects, in the same query."""
    counts: list[Any] = [
        Coalesce(Subquery(_row_count(kind.queryset)), 0)
        for component in components.registered()
        for kind in component.contributions(OuterRef("pk"))  # type: ignore[arg-type]
    ]
    total: Any = sum(counts[1:], counts[0]) if counts else Value(0)
    counted: QuerySet[ProjectPage] = projects.select_related("department").annotate(
        contribution_count=total
    )
    return counted


def _row_count(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """One row, the number of rows of `queryset` (COUNT as a plain function: no GROUP BY)."""
    counted: QuerySet[Any] = (
        queryset.order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return counted


@dataclass(frozen=True)
class Tally:
    """One kind of contribution: its label, the title of its weekly chart and its total."""

    key: str
    label: str
    weekly_title: str
    total: int


@dataclass(frozen=True)
class Totals:
    participants: int
    followers: int
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)


@dataclass(frozen=True)
class Week:
    """One week's activity; `participants` counts those who took part for the first time."""

    start: datetime.date
    participants: int = 0
    followers: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)


@dataclass(frozen=True)
class Dashboard:
    totals: Totals
    tallies: list[Tally]
    weeks: list[Week]
    sections: list[DashboardSection] = field(default_factory=list)
    truncated: bool = field(default=False)

    @property
    def cumulative_participants(self) -> list[int]:
        running, totals = 0, []
        for week in self.weeks:
            running += week.participants
            totals.append(running)
        return totals


def used_components(source: ProjectPage) -> list[components.PhaseComponent]:
    """The components of the project's phases, in the order of registration."""
    methods = set(source.phases.values_list("method", flat=True))
    return [c for c in components.registered() if c.identifier in methods]


def project_dashboard(project: ProjectPage) -> Dashboard:
    source = project.source
    used = used_components(source)
    kinds = [kind for component in used for kind in component.contributions(source)]
    followers = ProjectFollower.objects.filter(project=source).active()
    participants = _participants(kinds)

    weekly = {kind.key: _weekly(kind.queryset, kind.date_field) for kind in kinds}
    first_times = _weekly(
        participants.annotate(first_time=_first_contribution(kinds)), "first_time"
    )
    follows = _weekly(followers, "verified_at")
    weeks, truncated = _weeks(weekly, participants=first_times, followers=follows)
    totals = Totals(
        participants=sum(first_times.values()),
        followers=sum(follows.values()),
        counts={key: sum(counts.values()) for key, counts in weekly.items()},
    )
    return Dashboard(
        totals=totals,
        tallies=[
            Tally(kind.key, str(kind.label), str(kind.weekly_title), totals.count(kind.key))
            for kind in kinds
        ],
        weeks=weeks,
        sections=[
            section for component in used for section in component.dashboard_sections(source)
        ],
        truncated=truncated,
    )


def _participants(kinds: list[Contributions]) -> QuerySet[Participant]:
    """Everyone who sent at least one contribution of these kinds."""
    sent = Q(pk__in=[])
    for kind in kinds:
        if kind.participant_field:
            sent |= Q(pk__in=kind.queryset.values(kind.participant_field))
    return Participant.objects.filter(sent)


def _first_contribution(kinds: list[Contributions]) -> Any:
    """The participant's first contribution to the project, of any kind."""

    def first(kind: Contributions) -> Coalesce:
        assert kind.participant_field
        earliest = (
            kind.queryset.filter(**{kind.participant_field: OuterRef("pk")})
            .order_by(kind.date_field)
            .values(kind.date_field)[:1]
        )
        return Coalesce(Subquery(earliest), Value(_NEVER), output_field=DateTimeField())

    firsts = [first(kind) for kind in kinds if kind.participant_field]
    if not firsts:
        return Value(_NEVER, output_field=DateTimeField())
    if len(firsts) == 1:
        return firsts[0]
    return Least(*firsts, output_field=DateTimeField())


def _weekly(queryset: QuerySet[Any], date_field: str) -> dict[datetime.date, int]:
    rows = (
        queryset.filter(**{f"{date_field}__isnull": False})
        .annotate(week=TruncWeek(date_field, tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    return {_as_date(week): n for week, n in rows}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _weeks(
    kinds: dict[str, dict[datetime.date, int]],
    *,
    participants: dict[datetime.date, int],
    followers: dict[datetime.date, int],
) -> tuple[list[Week], bool]:
    """Every week from the first with activity to the last, empty weeks included."""
    series = [*kinds.values(), participants, followers]
    starts = sorted({week for counts in series for week in counts})
    if not starts:
        return [], False
    first, last = starts[0], starts[-1]
    count = (last - first).days // 7 + 1
    truncated = count > MAX_WEEKS
    if truncated:
        first = last - datetime.timedelta(weeks=MAX_WEEKS - 1)
    weeks = []
    start = first
    while start <= last:
        weeks.append(
            Week(
                start,
                participants=participants.get(start, 0),
                followers=followers.get(start, 0),
                counts={key: counts.get(start, 0) for key, counts in kinds.items()},
            )
        )
        start += datetime.timedelta(weeks=1)
    return weeks, truncated
