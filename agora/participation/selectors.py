"""What residents read about projects: the listing with its filters, the phases of calendars
and the entries of feeds. Everything here is published, public and in one language; the
number of queries never depends on the number of projects.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import get_language
from wagtail.images import get_image_model

from agora.core.cache import content_version
from agora.core.models import Theme
from agora.participation import components
from agora.participation.models import (
    ParticipationMethod,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatus,
    ProjectUpdate,
)

# The sizes of the image of a project's card (project_card.html's srcset_image).
CARD_RENDITIONS = ("fill-320x180|format-webp", "fill-640x360|format-webp")
FEED_ENTRIES = 50

# In progress first, then upcoming, then finished; archived projects come last when asked.
STATUS_ORDER = [
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.UPCOMING,
    ProjectStatus.FINISHED,
    ProjectStatus.ARCHIVED,
]


@dataclass(frozen=True)
class ListingFilters:
    theme: str = ""
    level: str = ""
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.theme or self.level or self.status)


def published_projects(index: ProjectIndexPage) -> QuerySet[ProjectPage]:
    """The index's published, public projects (an index has one language)."""
    projects: QuerySet[ProjectPage] = ProjectPage.objects.child_of(index).live().public()
    return projects


def _source_archived() -> Exists:
    """Services archive the French source page; its translations follow it."""
    return Exists(
        ProjectPage.objects.filter(
            translation_key=OuterRef("translation_key"),
            locale__language_code=settings.LANGUAGE_CODE,
            archived_at__isnull=False,
        )
    )


def active_projects(index: ProjectIndexPage) -> QuerySet[ProjectPage]:
    """Published projects that are not archived."""
    return published_projects(index).filter(archived_at__isnull=True).exclude(_source_archived())


def with_listing_status(
    projects: QuerySet[ProjectPage], today: datetime.date
) -> QuerySet[ProjectPage]:
    """Annotates `listing_status` and `status_rank`: the database's version of
    `ProjectPage.status()`, so that a listing filters, sorts and pages by status."""
    taking_part = ~Q(phases__method=ParticipationMethod.INFORMATION)
    projects = projects.annotate(
        phase_count=Count("phases"),
        first_start=Min("phases__start_date"),
        last_end=Max("phases__end_date"),
        open_ended_phases=Count("phases", filter=Q(phases__end_date__isnull=True)),
        taking_part_count=Count("phases", filter=taking_part),
        taking_part_end=Max("phases__end_date", filter=taking_part),
        open_ended_taking_part=Count(
            "phases", filter=taking_part & Q(phases__end_date__isnull=True)
        ),
    )
    projects = projects.annotate(source_archived=_source_archived())
    conditions = {
        ProjectStatus.ARCHIVED: Q(archived_at__isnull=False) | Q(source_archived=True),
        ProjectStatus.UPCOMING: Q(phase_count__gt=0, first_start__gt=today),
        ProjectStatus.FINISHED: Q(
            taking_part_count__gt=0, open_ended_taking_part=0, taking_part_end__lt=today
        )
        | Q(taking_part_count=0, phase_count__gt=0, open_ended_phases=0, last_end__lt=today),
    }
    annotated: QuerySet[ProjectPage] = projects.annotate(
        listing_status=Case(
            *(
                When(condition, then=Value(status.value))
                for status, condition in conditions.items()
            ),
            default=Value(ProjectStatus.IN_PROGRESS.value),
        ),
        status_rank=Case(
            *(
                When(condition, then=Value(STATUS_ORDER.index(status)))
                for status, condition in conditions.items()
            ),
            default=Value(STATUS_ORDER.index(ProjectStatus.IN_PROGRESS)),
            output_field=IntegerField(),
        ),
    )
    return annotated


def project_listing(
    index: ProjectIndexPage, filters: ListingFilters, *, today: datetime.date
) -> QuerySet[ProjectPage]:
    """The projects of the "Participer" page, by status then newest first. Archived projects
    appear only when asked for; phases, themes and card images come in a fixed number of
    queries."""
    projects = with_listing_status(published_projects(index), today)
    if filters.status:
        projects = projects.filter(listing_status=filters.status)
    else:
        projects = projects.exclude(listing_status=ProjectStatus.ARCHIVED)
    if filters.theme:
        projects = projects.filter(
            pk__in=ProjectPage.objects.filter(themes__slug=filters.theme).values("pk")
        )
    if filters.level:
        projects = projects.filter(participation_level=filters.level)
    return with_card_data(projects).order_by("status_rank", "-first_published_at", "-pk")


def with_card_data(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """What a project card shows, fetched for all cards at once."""
    images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
    return projects.prefetch_related("phases", "themes", Prefetch("image", queryset=images))


def listed_themes(index: ProjectIndexPage) -> QuerySet[Theme]:
    """Themes of at least one published project of this index: the theme filter's choices."""
    return Theme.objects.filter(pk__in=published_projects(index).values("themes")).order_by(
        "name_fr"
    )


def phases_of(projects: QuerySet[ProjectPage]) -> QuerySet[Phase]:
    """The phases of these projects, with their project, by date: a calendar's events."""
    phases: QuerySet[Phase] = (
        Phase.objects.filter(project__in=projects)
        .select_related("project")
        .order_by("start_date", "project_id", "sort_order")
    )
    return phases


def latest_projects(index: ProjectIndexPage) -> QuerySet[ProjectPage]:
    return published_projects(index).order_by("-first_published_at", "-pk")[:FEED_ENTRIES]


def latest_updates(index: ProjectIndexPage) -> QuerySet[ProjectUpdate]:
    updates: QuerySet[ProjectUpdate] = (
        ProjectUpdate.objects.filter(project__in=published_projects(index))
        .select_related("project")
        .order_by("-date", "-pk")[:FEED_ENTRIES]
    )
    return updates


# How many took part -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationCounts:
    """What the first screen of a project's page and its card say of participation:
    `participants`, then `tallies` (number, noun) such as (42, "idées")."""

    participants: int = 0
    tallies: list[tuple[int, str]] = field(default_factory=list)


def participation_counts(
    projects: Iterable[ProjectPage],
) -> dict[uuid.UUID, ParticipationCounts]:
    """The participation counts of these projects (in any language), by translation key,
    kept `PARTICIPATION_COUNTS_SECONDS` in the cache: counting the distinct participants of
    a project with thousands of ideas and reactions costs tens of milliseconds, and a project
    page is rebuilt after every contribution. The cache is emptied when staff publish."""
    keys = list({project.translation_key for project in projects})
    seconds = settings.PARTICIPATION_COUNTS_SECONDS
    if not keys or not seconds:
        return _participation_counts(keys)
    prefix = f"agora:participation:{content_version()}:{get_language()}"
    cache_keys = {key: f"{prefix}:{key}" for key in keys}
    found: dict[str, ParticipationCounts] = cache.get_many(list(cache_keys.values()))
    fresh = _participation_counts([key for key in keys if cache_keys[key] not in found])
    if fresh:
        cache.set_many({cache_keys[key]: counts for key, counts in fresh.items()}, seconds)
    return {key: fresh[key] if key in fresh else found[cache_keys[key]] for key in keys}


def _participation_counts(keys: list[uuid.UUID]) -> dict[uuid.UUID, ParticipationCounts]:
    """The participation counts of the projects of these translation keys.

    A participant is one `Participant` (one browser, or one account) who sent at least one
    of what the phase components count publicly (`PhaseComponent.public_counts`): a published
    idea or comment, a support or disagreement on a published idea, a response to a published
    survey. Whoever did several of these, or took part in several phases, counts once.
    One query per kind with a noun and one for the participants, whatever the number of
    projects: contributions belong to the source page, which shares its translation key with
    every translation."""
    if not keys:
        return {}
    kinds = [kind for component in components.registered() for kind in component.public_counts()]
    tallies: dict[uuid.UUID, list[tuple[int, str]]] = {key: [] for key in keys}
    for kind in kinds:
        if kind.noun is None:
            continue
        key_path = f"{kind.project_field}__translation_key"
        rows = dict(
            kind.rows.filter(**{f"{key_path}__in": keys})
            .order_by()
            .values(key_path)
            .annotate(n=Count("pk"))
            .values_list(key_path, "n")
        )
        for key in keys:
            count = rows.get(key, 0)
            tallies[key].append((count, kind.noun(count)))
    participants = _participants_by_project(kinds, keys)
    return {
        key: ParticipationCounts(participants=participants.get(key, 0), tallies=tallies[key])
        for key in keys
    }


def _participants_by_project(
    kinds: list[components.PublicCount], keys: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Distinct participants by project, counted by the database in one query: the union of
    every kind's (project, participant) pairs keeps each pair once."""
    pairs: list[QuerySet[Any]] = [
        kind.rows.filter(
            **{
                f"{kind.project_field}__translation_key__in": keys,
                f"{kind.participant_field}__isnull": False,
            }
        )
        .order_by()
        .annotate(
            counted_project=F(f"{kind.project_field}__translation_key"),
            counted_participant=F(kind.participant_field),
        )
        .values_list("counted_project", "counted_participant")
        for kind in kinds
    ]
    if not pairs:
        return {}
    union = pairs[0].union(*pairs[1:]) if len(pairs) > 1 else pairs[0].distinct()
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    # The ORM cannot group a union; the inner query is the ORM's own, with its parameters.
    grouped = (
        f"SELECT counted_project, COUNT(*) FROM ({sql}) AS pairs "  # noqa: S608
        "GROUP BY counted_project"
    )
    with connections[union.db].cursor() as cursor:
        cursor.execute(grouped, params)
        rows = cursor.fetchall()
    return {_as_uuid(key): count for key, count in rows}


def _as_uuid(value: Any) -> uuid.UUID:
    """SQLite hands back a UUID as its 32 hexadecimal digits, PostgreSQL as a UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
