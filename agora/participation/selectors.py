"""What residents read about projects: the listing with its filters, the phases of calendars
and the entries of feeds. Everything here is published, public and in one language; the
number of queries never depends on the number of projects.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
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
from wagtail.images import get_image_model

from agora.core.models import Theme
from agora.participation.models import (
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatus,
    ProjectUpdate,
)

# The image shown on a project's card, in the listing and in the embeddable card.
CARD_RENDITION = "fill-640x360"
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
    projects = projects.annotate(
        phase_count=Count("phases"),
        first_start=Min("phases__start_date"),
        last_end=Max("phases__end_date"),
        open_ended_phases=Count("phases", filter=Q(phases__end_date__isnull=True)),
    )
    projects = projects.annotate(source_archived=_source_archived())
    conditions = {
        ProjectStatus.ARCHIVED: Q(archived_at__isnull=False) | Q(source_archived=True),
        ProjectStatus.UPCOMING: Q(phase_count__gt=0, first_start__gt=today),
        ProjectStatus.FINISHED: Q(phase_count__gt=0, open_ended_phases=0, last_end__lt=today),
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
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
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
