"""What waits for a project's moderators, as the screens of /gestion/ list it: the projects a
person moderates, and in each one the contributions waiting for approval, those residents
flagged, and those hidden.

Ideas and comments share one list per queue, in the order a moderator works through it; a
page of the list costs the same few queries whatever its length.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from agora.accounts.reach import staff_reach
from agora.ideas.models import Comment, Flag, FlagReason, Idea, ModerationEvent, Visibility
from agora.participation.models import ProjectPage

IDEA = "idee"
COMMENT = "commentaire"


class Queue(enum.StrEnum):
    """The lists of a project's moderation screen, by their value in the address."""

    PENDING = "attente"
    FLAGGED = "signalements"
    HIDDEN = "masquees"

    @property
    def label(self) -> str:
        return str(
            {
                Queue.PENDING: _("En attente d'approbation"),
                Queue.FLAGGED: _("Signalées"),
                Queue.HIDDEN: _("Masquées"),
            }[self]
        )

    @property
    def condition(self) -> Q:
        return {
            Queue.PENDING: Q(visibility=Visibility.PENDING),
            # The flag counter counts the flags no moderator has reviewed yet.
            Queue.FLAGGED: Q(flag_count__gt=0),
            Queue.HIDDEN: Q(visibility=Visibility.HIDDEN),
        }[self]

    @property
    def ordering(self) -> tuple[str, ...]:
        # Waiting contributions oldest first (first come, first served); flagged ones by
        # number of flags; hidden ones latest first.
        return {
            Queue.PENDING: ("created_at", "pk"),
            Queue.FLAGGED: ("-flag_count", "created_at", "pk"),
            Queue.HIDDEN: ("-created_at", "-pk"),
        }[self]


def moderated_projects(user: Any) -> QuerySet[ProjectPage]:
    """The projects (their French source pages) whose contributions `user` moderates: every
    project for an administrator, the assigned ones for a project moderator. The same rule
    as `participation.moderate_project`, as a query."""
    projects: QuerySet[ProjectPage] = (
        ProjectPage.objects.sources().moderated_within(staff_reach(user)).order_by("title")
    )
    return projects


def with_contributions_waiting() -> Q:
    """The projects where a contribution waits for approval or was flagged, as a condition on
    a query of their source pages."""
    waiting = Queue.PENDING.condition | Queue.FLAGGED.condition
    return Q(pk__in=Idea.objects.filter(waiting).values("project_id")) | Q(
        pk__in=Comment.objects.filter(waiting).values("idea__project_id")
    )


@dataclass
class QueueCounts:
    pending: int = 0
    flagged: int = 0
    hidden: int = 0

    def of(self, queue: Queue) -> int:
        return {
            Queue.PENDING: self.pending,
            Queue.FLAGGED: self.flagged,
            Queue.HIDDEN: self.hidden,
        }[queue]


def _counted(rows: Any, key: str, counts: dict[int, QueueCounts]) -> None:
    for row in rows:
        total = counts[row[key]]
        total.pending += row["pending"]
        total.flagged += row["flagged"]
        total.hidden += row["hidden"]


def queue_counts(projects: list[ProjectPage]) -> dict[int, QueueCounts]:
    """How many contributions wait in each queue of each project. Two queries."""
    counts: dict[int, QueueCounts] = defaultdict(QueueCounts)
    aggregates = {
        "pending": Count("pk", filter=Queue.PENDING.condition),
        "flagged": Count("pk", filter=Queue.FLAGGED.condition),
        "hidden": Count("pk", filter=Queue.HIDDEN.condition),
    }
    ids = [project.pk for project in projects]
    _counted(
        Idea.objects.filter(project_id__in=ids).values("project_id").annotate(**aggregates),
        "project_id",
        counts,
    )
    _counted(
        Comment.objects.filter(idea__project_id__in=ids)
        .values("idea__project_id")
        .annotate(**aggregates),
        "idea__project_id",
        counts,
    )
    return counts


def queue_rows(project: ProjectPage, queue: Queue) -> QuerySet[Any]:
    """The contributions of one queue as rows (`kind`, `pk`, `created_at`, `flag_count`),
    ideas and comments together, in the queue's order. Unevaluated: paginate it, then load
    a page with `queue_items`."""
    ideas = (
        Idea.objects.of_project(project)
        .filter(queue.condition)
        .annotate(kind=Value(IDEA, output_field=CharField()))
        .values("kind", "pk", "created_at", "flag_count")
        .order_by()
    )
    comments = (
        Comment.objects.filter(idea__project=project.source)
        .filter(queue.condition)
        .annotate(kind=Value(COMMENT, output_field=CharField()))
        .values("kind", "pk", "created_at", "flag_count")
        .order_by()
    )
    rows: QuerySet[Any] = ideas.union(comments, all=True).order_by(*queue.ordering)
    return rows


@dataclass
class QueueItem:
    """One contribution as the moderator sees it, with the flags nobody reviewed yet."""

    kind: str
    contribution: Idea | Comment
    flags: list[tuple[str, int]] = field(default_factory=list)
    # The idea's public page, when residents can read it.
    public_url: str = ""

    @property
    def idea(self) -> Idea:
        contribution = self.contribution
        return contribution.idea if isinstance(contribution, Comment) else contribution

    @property
    def is_hidden(self) -> bool:
        return self.contribution.visibility == Visibility.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.contribution.visibility == Visibility.PENDING

    @property
    def is_comment(self) -> bool:
        return self.kind == COMMENT

    @property
    def text(self) -> str:
        contribution = self.contribution
        return contribution.body if isinstance(contribution, Comment) else contribution.description

    @property
    def flag_total(self) -> int:
        return sum(count for _label, count in self.flags)


def _flag_summary(rows: Any, key: str) -> dict[int, list[tuple[str, int]]]:
    labels = dict(FlagReason.choices)
    summary: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        summary[row[key]].append((str(labels.get(row["reason"], row["reason"])), row["n"]))
    return summary


def queue_items(rows: list[dict[str, Any]]) -> list[QueueItem]:
    """The contributions of a page of `queue_rows`, in the same order. Four queries."""
    idea_ids = [row["pk"] for row in rows if row["kind"] == IDEA]
    comment_ids = [row["pk"] for row in rows if row["kind"] == COMMENT]
    ideas = Idea.objects.select_related("author", "organisation", "theme").in_bulk(idea_ids)
    comments = Comment.objects.select_related("author", "organisation", "idea").in_bulk(comment_ids)
    unreviewed = Flag.objects.filter(reviewed_at__isnull=True).order_by("reason")
    idea_flags = _flag_summary(
        unreviewed.filter(idea_id__in=idea_ids).values("idea_id", "reason").annotate(n=Count("pk")),
        "idea_id",
    )
    comment_flags = _flag_summary(
        unreviewed.filter(comment_id__in=comment_ids)
        .values("comment_id", "reason")
        .annotate(n=Count("pk")),
        "comment_id",
    )
    items = []
    for row in rows:
        if row["kind"] == IDEA and row["pk"] in ideas:
            items.append(QueueItem(IDEA, ideas[row["pk"]], idea_flags.get(row["pk"], [])))
        elif row["kind"] == COMMENT and row["pk"] in comments:
            items.append(QueueItem(COMMENT, comments[row["pk"]], comment_flags.get(row["pk"], [])))
    return items


def moderation_log(project: ProjectPage) -> QuerySet[ModerationEvent]:
    """The project's moderation decisions, the latest first, with what they were about."""
    return (
        ModerationEvent.objects.filter(project=project.source)
        .select_related("moderator", "idea", "comment", "comment__idea")
        .order_by("-created_at", "-pk")
    )


def ideas_to_answer(project: ProjectPage, status: str | None = None) -> QuerySet[Idea]:
    """The project's published ideas, the most supported first, for the city's answers."""
    ideas = Idea.objects.of_project(project).published()
    if status:
        ideas = ideas.filter(status=status)
    ordered: QuerySet[Idea] = ideas.select_related("organisation").order_by(
        "-support_count", "-created_at", "-pk"
    )
    return ordered
