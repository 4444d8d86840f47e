"""What the staff reads about a project's participation: the projects each person follows in
/gestion/, and a project's totals and weekly counts.

The database counts (aggregates grouped by week, status or theme), so a dashboard costs the
same dozen queries whatever the number of contributions. Weeks start on Monday, in the city's
time zone. Every count is of what residents sent, whatever moderation did with it since; the
breakdown by visibility says how much of it is published.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateTimeField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least, TruncWeek
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from agora.accounts.rules import (
    is_administrator,
    is_department_manager,
    is_elected_official,
    is_project_moderator,
)
from agora.ideas.models import Comment, Idea, IdeaStatus, Reaction, Visibility
from agora.participation.models import (
    Participant,
    ProjectFollower,
    ProjectModerator,
    ProjectPage,
)

# The weekly table keeps the last two years of activity; totals count everything.
MAX_WEEKS = 104
_NEVER = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


def projects_followed_by(user: Any) -> QuerySet[ProjectPage]:
    """The projects (source pages, drafts included) whose dashboard `user` may read:
    every project for administrators and elected officials, the department's for its
    managers, the assigned ones for moderators."""
    sources: QuerySet[ProjectPage] = ProjectPage.objects.filter(locale=Locale.get_default())
    if user.is_superuser or is_administrator(user) or is_elected_official(user):
        return sources
    followed = Q(pk__in=[])
    if is_project_moderator(user):
        followed |= Q(pk__in=ProjectModerator.objects.filter(user=user).values("project"))
    if is_department_manager(user):
        followed |= Q(department__in=user.managed_departments.values("pk"))
    return sources.filter(followed)


def with_listing_counts(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """Adds `idea_count` and the department, for the staff's list of projects."""
    ideas = (
        Idea.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted: QuerySet[ProjectPage] = projects.select_related("department").annotate(
        idea_count=Coalesce(Subquery(ideas), 0)
    )
    return counted


@dataclass(frozen=True)
class Totals:
    participants: int
    ideas: int
    comments: int
    supports: int
    disagreements: int
    followers: int

    @property
    def reactions(self) -> int:
        return self.supports + self.disagreements


@dataclass(frozen=True)
class Week:
    """One week's activity; `participants` counts those who took part for the first time."""

    start: datetime.date
    participants: int = 0
    ideas: int = 0
    comments: int = 0
    reactions: int = 0
    followers: int = 0


@dataclass(frozen=True)
class Dashboard:
    totals: Totals
    weeks: list[Week]
    by_visibility: list[tuple[str, int, int]]  # label, ideas, comments
    ideas_by_status: list[tuple[str, int]]
    ideas_by_theme: list[tuple[str, int]]
    truncated: bool = field(default=False)

    @property
    def cumulative_participants(self) -> list[int]:
        running, totals = 0, []
        for week in self.weeks:
            running += week.participants
            totals.append(running)
        return totals


def project_dashboard(project: ProjectPage) -> Dashboard:
    source = project.source
    ideas = Idea.objects.filter(project=source)
    comments = Comment.objects.filter(idea__project=source)
    reactions = Reaction.objects.filter(idea__project=source)
    followers = ProjectFollower.objects.filter(project=source).active()
    participants = _participants(ideas, comments, reactions)

    reaction_counts = _counts(reactions, "kind")
    totals = Totals(
        participants=participants.count(),
        ideas=ideas.count(),
        comments=comments.count(),
        supports=reaction_counts.get(Reaction.Kind.SUPPORT, 0),
        disagreements=reaction_counts.get(Reaction.Kind.DISAGREE, 0),
        followers=followers.count(),
    )
    weeks, truncated = _weeks(
        participants=_weekly(
            participants.annotate(first_time=_first_contribution(source)), "first_time"
        ),
        ideas=_weekly(ideas, "created_at"),
        comments=_weekly(comments, "created_at"),
        reactions=_weekly(reactions, "created_at"),
        followers=_weekly(followers, "verified_at"),
    )
    return Dashboard(
        totals=totals,
        weeks=weeks,
        by_visibility=_by_visibility(ideas, comments),
        ideas_by_status=_labelled(
            _counts(ideas.filter(visibility=Visibility.PUBLISHED), "status"), IdeaStatus.choices
        ),
        ideas_by_theme=_by_theme(ideas.filter(visibility=Visibility.PUBLISHED)),
        truncated=truncated,
    )


def _participants(
    ideas: QuerySet[Idea], comments: QuerySet[Comment], reactions: QuerySet[Reaction]
) -> QuerySet[Participant]:
    return Participant.objects.filter(
        Q(pk__in=ideas.values("author"))
        | Q(pk__in=comments.values("author"))
        | Q(pk__in=reactions.values("participant"))
    )


def _first_contribution(source: ProjectPage) -> Least:
    """The participant's first idea, comment or reaction in the project."""

    def first(queryset: QuerySet[Any]) -> Coalesce:
        earliest = queryset.order_by("created_at").values("created_at")[:1]
        return Coalesce(Subquery(earliest), Value(_NEVER), output_field=DateTimeField())

    return Least(
        first(Idea.objects.filter(project=source, author=OuterRef("pk"))),
        first(Comment.objects.filter(idea__project=source, author=OuterRef("pk"))),
        first(Reaction.objects.filter(idea__project=source, participant=OuterRef("pk"))),
        output_field=DateTimeField(),
    )


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


def _weeks(**series: dict[datetime.date, int]) -> tuple[list[Week], bool]:
    """Every week from the first with activity to the last, empty weeks included."""
    starts = sorted({week for counts in series.values() for week in counts})
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
        weeks.append(Week(start, **{name: counts.get(start, 0) for name, counts in series.items()}))
        start += datetime.timedelta(weeks=1)
    return weeks, truncated


def _counts(queryset: QuerySet[Any], field_name: str) -> dict[str, int]:
    rows = (
        queryset.order_by().values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    )
    return dict(rows)


def _labelled(counts: dict[str, int], choices: list[tuple[str, Any]]) -> list[tuple[str, int]]:
    """Every choice in its order, with its count (zero included)."""
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def _by_visibility(
    ideas: QuerySet[Idea], comments: QuerySet[Comment]
) -> list[tuple[str, int, int]]:
    idea_counts, comment_counts = _counts(ideas, "visibility"), _counts(comments, "visibility")
    return [
        (str(label), idea_counts.get(value, 0), comment_counts.get(value, 0))
        for value, label in Visibility.choices
    ]


def _by_theme(ideas: QuerySet[Idea]) -> list[tuple[str, int]]:
    rows = (
        ideas.order_by()
        .values("theme__name_fr", "theme__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "theme__name_fr")
    )
    english = (get_language() or "fr").startswith("en")
    return [
        (
            (row["theme__name_en"] if english and row["theme__name_en"] else row["theme__name_fr"])
            or str(_("Sans thème")),
            row["n"],
        )
        for row in rows
    ]
