"""What the idea box shows residents: the list and the map of a project's ideas, one idea
with its city answers, and its comment threads.

Every read goes through `visible_to`: published contributions, plus a participant's own
that wait for approval. Hidden comments stay in their thread as a placeholder that says why.
Lists load only the columns a card shows, so a page of 20 ideas costs the same whether the
project has 30 ideas or 10 000.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.functional import cached_property

from agora.core import held
from agora.core.cache import content_version
from agora.core.models import Participant, Theme
from agora.core.page_cache import scope_version
from agora.ideas.models import (
    HELD_REACTION,
    Comment,
    Idea,
    IdeaQuerySet,
    IdeaStatus,
    Reaction,
    StatusChange,
    Visibility,
)
from agora.ideas.phases import IDEA_BOX
from agora.participation.models import Phase, ProjectPage

IDEAS_PER_PAGE = 20
MAP_MARKER_LIMIT = 500
EXCERPT_LENGTH = 220
# How long a project's idea count is reused between pages of the list. Contributions and
# moderation renew it at once (through the project's cache scope); this bounds how late a
# change made elsewhere shows in the count (the ideas themselves are always read fresh).
IDEA_COUNT_SECONDS = 60

# What an idea card shows, and nothing more (the description is read as a short excerpt).
CARD_FIELDS = (
    "id",
    "project_id",
    "phase_key",
    "title",
    "language",
    "author_name",
    "by_former_participant",
    "organisation__name",
    "organisation__verified_at",
    "theme__name_fr",
    "theme__name_en",
    "theme__slug",
    "status",
    "visibility",
    "support_count",
    "disagree_count",
    "comment_count",
    "created_at",
)


class IdeaSort(enum.StrEnum):
    """The orders a resident can choose, by their value in the address (`?tri=`)."""

    RECENT = "recent"
    SUPPORTED = "appuis"
    DISCUSSED = "discussion"

    @property
    def ordering(self) -> tuple[str, ...]:
        # Each order starts with the column of an index on Idea; the creation date then the
        # id break ties so that pages never repeat nor skip an idea.
        return {
            IdeaSort.RECENT: ("-created_at", "-pk"),
            IdeaSort.SUPPORTED: ("-support_count", "-created_at", "-pk"),
            IdeaSort.DISCUSSED: ("-comment_count", "-created_at", "-pk"),
        }[self]


@dataclass(frozen=True)
class IdeaFilters:
    """The sort and filters of the list and map, read from the query string. An unknown sort
    or status is ignored: a mistyped or stale address still shows ideas. A theme that no idea
    of the project carries is not ignored (`unknown_theme`): showing every idea under a
    theme's address would let a resident believe they are all about it."""

    sort: IdeaSort = IdeaSort.RECENT
    theme: Theme | None = None
    status: IdeaStatus | None = None
    unknown_theme: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, str], themes: Iterable[Theme]) -> IdeaFilters:
        sort_value = query.get("tri", "")
        sort = IdeaSort(sort_value) if sort_value in IdeaSort else IdeaSort.RECENT
        theme_slug = query.get("theme", "")
        theme = next((t for t in themes if t.slug == theme_slug), None) if theme_slug else None
        status_value = query.get("statut", "")
        status = IdeaStatus(status_value) if status_value in IdeaStatus.values else None
        return cls(
            sort=sort,
            theme=theme,
            status=status,
            unknown_theme=bool(theme_slug) and theme is None,
        )

    @property
    def active(self) -> bool:
        """True when the list is narrowed (the sort alone narrows nothing)."""
        return self.theme is not None or self.status is not None or self.unknown_theme


@dataclass(frozen=True)
class IdeaBoxState:
    """Whether residents can propose ideas on a project now, and since or until when not."""

    open_phase: Phase | None
    closed_on: datetime.date | None = None
    opens_on: datetime.date | None = None

    @property
    def is_open(self) -> bool:
        return self.open_phase is not None


@dataclass
class CommentThread:
    """A top-level comment and its replies (one level), as the visitor may see them."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def idea_box_state(project: ProjectPage, today: datetime.date | None = None) -> IdeaBoxState:
    """The state of the project's idea-box phases, read in the page's own language."""
    phases = [p for p in project.phase_list() if p.method == IDEA_BOX]
    open_phase = next((p for p in phases if p.is_open(today)), None)
    if open_phase is not None:
        return IdeaBoxState(open_phase=open_phase)
    reference = today or timezone.localdate()
    ended = [p.end_date for p in phases if p.end_date is not None and p.end_date < reference]
    upcoming = [p.start_date for p in phases if p.start_date > reference]
    return IdeaBoxState(
        open_phase=None,
        closed_on=max(ended) if ended and not upcoming else None,
        opens_on=min(upcoming) if upcoming else None,
    )


def idea_themes(
    project: ProjectPage, *, viewer: Any = None, participant: Participant | None = None
) -> list[Theme]:
    """The themes residents can filter by: those the ideas the visitor may see actually
    carry, so that no choice leads to an empty list. One query. `project` is the project's
    source page."""
    used = Idea.objects.filter(project=project, theme=OuterRef("pk")).visible_to(
        viewer, participant
    )
    return list(Theme.objects.filter(Exists(used)))


def supported_idea_ids(ideas: Iterable[Idea], participant: Participant | None) -> set[int]:
    """The ids of those `ideas` the participant supports, in one query (none without a
    participant)."""
    ids = [idea.pk for idea in ideas]
    if participant is None or not ids:
        return set()
    return set(
        Reaction.objects.filter(
            participant=participant, idea_id__in=ids, kind=Reaction.Kind.SUPPORT
        ).values_list("idea_id", flat=True)
    )


def _visible_ideas(
    *, project: ProjectPage, viewer: Any, participant: Participant | None
) -> IdeaQuerySet:
    ideas: IdeaQuerySet = Idea.objects.of_project(project).visible_to(viewer, participant)
    return ideas


def _filtered(ideas: IdeaQuerySet, *, theme: Theme | None, status: str | None) -> IdeaQuerySet:
    if theme is not None:
        ideas = ideas.filter(theme=theme)
    if status:
        ideas = ideas.filter(status=status)
    return ideas


def _as_cards(ideas: IdeaQuerySet) -> IdeaQuerySet:
    cards: IdeaQuerySet = (
        ideas.select_related("theme", "organisation")
        .only(*CARD_FIELDS)
        .annotate(excerpt=Substr("description", 1, EXCERPT_LENGTH))
    )
    return cards


def ideas_for_list(
    *,
    project: ProjectPage,
    viewer: Any,
    participant: Participant | None,
    sort: IdeaSort = IdeaSort.RECENT,
    theme: Theme | None = None,
    status: str | None = None,
) -> IdeaQuerySet:
    """The ideas of the project's list, in the chosen order, with what a card shows: the
    columns of the idea, its theme and organisation, and `excerpt` (the start of the
    description). Unevaluated: paginate it."""
    ideas = _visible_ideas(project=project, viewer=viewer, participant=participant)
    ideas = _filtered(ideas, theme=theme, status=status)
    ordered: IdeaQuerySet = _as_cards(ideas).order_by(*sort.ordering)
    return ordered


def ideas_for_map(
    *,
    project: ProjectPage,
    viewer: Any,
    participant: Participant | None,
    theme: Theme | None = None,
    status: str | None = None,
    limit: int = MAP_MARKER_LIMIT,
) -> tuple[list[Idea], bool]:
    """The most recent ideas that have a place on the map, at most `limit`, and whether
    there were more. One query."""
    ideas = _visible_ideas(project=project, viewer=viewer, participant=participant)
    ideas = _filtered(ideas, theme=theme, status=status).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    placed = list(
        ideas.select_related("theme")
        .only(
            "id",
            "title",
            "language",
            "location_name",
            "latitude",
            "longitude",
            "status",
            "visibility",
            "theme__name_fr",
            "theme__name_en",
        )
        .order_by(*IdeaSort.RECENT.ordering)[: limit + 1]
    )
    return placed[:limit], len(placed) > limit


class IdeaPaginator(Paginator[Idea]):
    """A paginator that reuses the count of a project's ideas for a few seconds (when
    `count_key` is given), so that paging through a large list runs one query for the ideas
    and none to count them again."""

    def __init__(self, object_list: Any, per_page: int, *, count_key: str | None = None):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return int(super().count)
        cached = cache.get(self.count_key)
        if cached is None:
            cached = int(super().count)
            cache.set(self.count_key, cached, IDEA_COUNT_SECONDS)
        return int(cached)


def idea_count_key(*, project: ProjectPage, filters: IdeaFilters) -> str:
    """The cache key of a project's public idea count for these filters (`project` is the
    source page). It changes with the project's cache scope, which every contribution and
    moderation decision bumps, and with the content version that staff publishing bumps."""
    theme = filters.theme.pk if filters.theme is not None else ""
    status = filters.status or ""
    scope = scope_version(f"project:{project.pk}")
    return f"agora:idea-count:{content_version()}:{project.pk}:{scope}:{theme}:{status}"


def paginate_ideas(
    ideas: IdeaQuerySet,
    *,
    project: ProjectPage,
    participant: Participant | None,
    filters: IdeaFilters,
    page_number: str | None,
) -> Any:
    """One page of the list. The count is shared between visitors who see only published
    ideas; a participant may also see their own ideas waiting for approval, so their count
    is their own."""
    if filters.unknown_theme:
        ideas = ideas.none()
    shared = participant is None and not filters.unknown_theme
    count_key = idea_count_key(project=project, filters=filters) if shared else None
    return IdeaPaginator(ideas, IDEAS_PER_PAGE, count_key=count_key).get_page(page_number)


def idea_for_detail(
    *, project: ProjectPage, idea_id: int, viewer: Any, participant: Participant | None
) -> Idea | None:
    """The idea if it belongs to this project and the visitor may see it, with its theme
    and organisation; None otherwise (another project's id, hidden, someone else's idea
    waiting for approval)."""
    idea: Idea | None = (
        _visible_ideas(project=project, viewer=viewer, participant=participant)
        .select_related("theme", "organisation")
        .filter(pk=idea_id)
        .first()
    )
    return idea


@dataclass(frozen=True)
class SupportOrigins:
    """Where an idea's supports came from, for a phase open to anonymous participants: the
    city reads both numbers (agora/core/integrity.py), and how many wait for a moderator."""

    verified: int
    anonymous: int
    held: int


def support_origins(idea: Idea) -> SupportOrigins:
    """Two queries, whatever the number of supports."""
    verified = (
        Reaction.objects.filter(idea=idea, kind=Reaction.Kind.SUPPORT)
        .filter(
            Q(participant__user__isnull=False) | Q(participant__email_verified_at__isnull=False)
        )
        .count()
    )
    waiting = held.held_counts(HELD_REACTION, Idea, [idea.pk]).get(idea.pk, 0)
    return SupportOrigins(
        verified=verified, anonymous=max(0, idea.support_count - verified), held=waiting
    )


def reaction_of(idea: Idea, participant: Participant | None) -> str | None:
    """The kind of the participant's reaction to the idea (support or disagree), if any."""
    if participant is None:
        return None
    kind: str | None = (
        Reaction.objects.filter(idea=idea, participant=participant)
        .values_list("kind", flat=True)
        .first()
    )
    return kind


def status_history(idea: Idea) -> list[StatusChange]:
    """The city's answers to the idea, the latest first."""
    return list(idea.status_changes.all())


def comment_threads(
    idea: Idea, *, viewer: Any, participant: Participant | None
) -> list[CommentThread]:
    """The idea's comments as threads, oldest first, in one query: published comments,
    hidden ones (shown as a placeholder with the moderator's reason) and the visitor's own
    waiting for approval. A reply whose comment the visitor may not see is left out."""
    own = Q(author=participant, visibility=Visibility.PENDING) if participant else Q(pk__in=[])
    comments = (
        Comment.objects.filter(idea=idea)
        .filter(Q(visibility__in=[Visibility.PUBLISHED, Visibility.HIDDEN]) | own)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    threads: dict[int, CommentThread] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = CommentThread(comment=comment)
        else:
            replies.append(comment)
    for reply in replies:
        thread = threads.get(reply.parent_id) if reply.parent_id is not None else None
        if thread is not None:
            thread.replies.append(reply)
    return list(threads.values())
