"""Where a project stands in its publication, as the team's list of projects (/gestion/projets/)
shows and filters it: a draft, waiting for the approval of its department (the workflow
"Approbation des projets", approval.py), published, or archived. The label reads one project;
the filter is the same rule as a database condition, so that a page of the list costs the same
queries whatever it shows."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, WorkflowState

DRAFT = "draft"
AWAITING_APPROVAL = "awaiting_approval"
PUBLISHED = "published"
ARCHIVED = "archived"

LABELS = {
    DRAFT: gettext_lazy("Brouillon"),
    AWAITING_APPROVAL: gettext_lazy("En attente d'approbation"),
    PUBLISHED: gettext_lazy("Publié"),
    ARCHIVED: gettext_lazy("Archivé"),
}


def with_publication_states(projects: QuerySet[Any]) -> QuerySet[Any]:
    """Annotates `awaiting_approval`, in the same query. (Wagtail's
    `prefetch_workflow_states()` finds nothing on a query of project pages: its relation
    looks for the project's content type, and a workflow state names the page's.)"""
    annotated: QuerySet[Any] = projects.annotate(awaiting_approval=_awaiting_approval())
    return annotated


def state_of(project: Any) -> str:
    """The state of a project of `with_publication_states`: a submitted project waits,
    whatever else it is."""
    if project.awaiting_approval:
        return AWAITING_APPROVAL
    if project.archived_at is not None:
        return ARCHIVED
    if project.live:
        return PUBLISHED
    return DRAFT


def label_of(project: Any) -> str:
    state = state_of(project)
    label = str(LABELS[state])
    if state == PUBLISHED and project.has_unpublished_changes:
        return f"{label} {_('(modifications en brouillon)')}"
    return label


def in_state(state: str) -> Q:
    """The projects in `state` (see `state_of`), as a condition on a query of project pages."""
    waiting = Q(_awaiting_approval())
    if state == AWAITING_APPROVAL:
        return waiting
    archived = Q(archived_at__isnull=False)
    return {
        ARCHIVED: ~waiting & archived,
        PUBLISHED: ~waiting & ~archived & Q(live=True),
        DRAFT: ~waiting & ~archived & Q(live=False),
    }.get(state, Q())


def _awaiting_approval() -> Exists:
    """A workflow in progress on the page (approval.py's workflow, or the tree's)."""
    return Exists(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
    )
