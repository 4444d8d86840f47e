"""The "Modération" list of /gestion/: Wagtail's page listing of the projects a person
moderates (every project for administrators, those assigned to them for moderators), with
what waits in each one's queues, and the links to its queue and its moderation log. The same
viewset mounts each project's moderation screens (admin_views.py) under /gestion/moderation/.

The counts of a page of the list take two queries (moderation_queue.queue_counts), whatever
its length.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from agora.core.permission_policies import RulesPermissionPolicy
from agora.core.viewsets import (
    RowHeadingColumn,
    RowTemplateColumn,
    SourcePageFilterSet,
    StaffPageIndexView,
    StaffPageListingViewSet,
)
from agora.ideas import admin_views
from agora.ideas.moderation_queue import (
    moderated_projects,
    queue_counts,
    with_contributions_waiting,
)
from agora.participation.models import ProjectPage

ROWS_PER_PAGE = 50
CONTRIBUTION = "<int:project_id>/<slug:kind>/<int:pk>"


class ModerationFilterSet(SourcePageFilterSet):
    a_traiter = django_filters.ChoiceFilter(
        label=_("Contributions à modérer"),
        choices=[("oui", _("Oui")), ("non", _("Non"))],
        method="filter_waiting",
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ProjectPage
        fields: list[str] = []

    def filter_waiting(
        self, queryset: QuerySet[ProjectPage], name: str, value: str
    ) -> QuerySet[ProjectPage]:
        waiting = with_contributions_waiting()
        return queryset.filter(waiting) if value == "oui" else queryset.exclude(waiting)


class ModerationIndexView(StaffPageIndexView):
    page_title = _("Modération")
    page_subtitle = _("Les projets que vous modérez")
    caption = _("Contributions qui attendent une décision, par projet")
    empty_message = _("Aucun projet pour le moment.")
    no_match_message = _("Aucun projet ne correspond à ces filtres.")
    search_fields = ["title"]

    def get_base_queryset(self) -> QuerySet[ProjectPage]:
        return moderated_projects(self.request.user)

    def describe_rows(self, rows: list[Any]) -> None:
        counts = queue_counts(rows)
        for project in rows:
            project.queue_counts = counts[project.pk]


def _queue_url(project: ProjectPage) -> str:
    return reverse("ideas_moderation:queue", args=[project.pk])


class ModerationListingViewSet(StaffPageListingViewSet):
    model = ProjectPage
    name = "ideas_moderation"
    url_prefix = "moderation"
    icon = "comment"
    menu_label = _("Modération")
    menu_name = "moderation"
    menu_order = 205
    index_view_class = ModerationIndexView
    permission_policy = RulesPermissionPolicy(ProjectPage, {"view": "ideas.list_moderation_queues"})
    filterset_class = ModerationFilterSet
    ordering = "title"
    list_per_page = ROWS_PER_PAGE
    columns = [
        RowHeadingColumn("title", label=_("Projet"), sort_key="title", get_url=_queue_url),
        Column("pending", label=_("En attente d'approbation"), accessor="queue_counts.pending"),
        Column("flagged", label=_("Signalées"), accessor="queue_counts.flagged"),
        Column("hidden", label=_("Masquées"), accessor="queue_counts.hidden"),
        RowTemplateColumn(
            "log",
            label=_("Journal"),
            template_name="ideas/admin/moderation_log_cell.html",
            object_name="project",
        ),
    ]
    screens = [
        path("<int:project_id>/", admin_views.moderation_queue, name="queue"),
        path("<int:project_id>/journal/", admin_views.log, name="log"),
        path("<int:project_id>/idees/", admin_views.ideas, name="ideas"),
        path(
            "<int:project_id>/idees/<int:idea_id>/reponse/",
            admin_views.idea_status,
            name="idea_status",
        ),
        path(f"{CONTRIBUTION}/approuver/", admin_views.approve, name="approve"),
        path(f"{CONTRIBUTION}/masquer/", admin_views.hide, name="hide"),
        path(f"{CONTRIBUTION}/retablir/", admin_views.restore, name="restore"),
        path(
            f"{CONTRIBUTION}/rejeter-signalements/",
            admin_views.dismiss_flags,
            name="dismiss_flags",
        ),
    ]


def moderation_listing() -> ModerationListingViewSet:
    return ModerationListingViewSet()
