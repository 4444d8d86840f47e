"""The "Projets" list of /gestion/: Wagtail's page listing of the projects a person follows
(their reach: every project for administrators and elected officials, their department's for
managers, those assigned to them for moderators), with each one's state, department and
contributions, filtered by state, and the links to its screens. The same viewset mounts those
screens (admin_views.py: dashboard, exports, moderators, archiving) under /gestion/projets/.

Each row's links follow the person's rights on it, read from the reach in memory (the rules
`edit_project` and `assign_moderators` say the same; tests walk both), so that a page of the
list costs the same queries whatever its length.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.models import Locale

from agora.accounts.reach import StaffReach, staff_reach
from agora.core.permission_policies import RulesPermissionPolicy
from agora.core.viewsets import (
    RowHeadingColumn,
    RowTemplateColumn,
    SourcePageFilterSet,
    StaffPageIndexView,
    StaffPageListingViewSet,
)
from agora.participation import admin_views, publication_states
from agora.participation.dashboard import projects_followed_by, with_listing_counts
from agora.participation.models import ProjectIndexPage, ProjectPage

ROWS_PER_PAGE = 50


def may_edit(reach: StaffReach, project: ProjectPage) -> bool:
    """`participation.edit_project` on a project (its source page), from the reach."""
    return reach.is_admin or project.pk in reach.moderated_project_ids


def may_assign_moderators(reach: StaffReach, project: ProjectPage) -> bool:
    """`participation.assign_moderators` on a project (its source page), from the reach."""
    return reach.is_admin or project.department_id in reach.department_ids


class ProjectFilterSet(SourcePageFilterSet):
    etat = django_filters.ChoiceFilter(
        label=_("État"),
        choices=list(publication_states.LABELS.items()),
        method="filter_state",
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ProjectPage
        fields: list[str] = []

    def filter_state(
        self, queryset: QuerySet[ProjectPage], name: str, value: str
    ) -> QuerySet[ProjectPage]:
        return queryset.filter(publication_states.in_state(value))


class ProjectIndexView(StaffPageIndexView):
    page_title = _("Projets")
    add_item_label = _("Nouveau projet")
    introduction = _(
        "Les projets que vous suivez : ceux qui vous sont confiés, ceux de votre service, "
        "ou tous selon votre rôle."
    )
    empty_message = _("Aucun projet pour le moment.")
    no_match_message = _("Aucun projet ne correspond à ces filtres.")
    search_fields = ["title"]

    def get_base_queryset(self) -> QuerySet[ProjectPage]:
        followed = projects_followed_by(self.request.user)
        return with_listing_counts(publication_states.with_publication_states(followed))

    def describe_rows(self, rows: list[Any]) -> None:
        reach = staff_reach(self.request.user)
        for project in rows:
            project.may_edit = may_edit(reach, project)
            project.may_assign_moderators = may_assign_moderators(reach, project)

    def get_add_url(self) -> str | None:
        """The page editor's form for a new project under "Participer", for those who may
        add one there."""
        index = ProjectIndexPage.objects.filter(locale=Locale.get_default()).first()
        if index is None or not index.permissions_for_user(self.request.user).can_add_subpage():
            return None
        return reverse("wagtailadmin_pages:add", args=("participation", "projectpage", index.pk))


def _dashboard_url(project: ProjectPage) -> str:
    return reverse("participation_admin:dashboard", args=[project.pk])


class ProjectListingViewSet(StaffPageListingViewSet):
    model = ProjectPage
    name = "participation_admin"
    url_prefix = "projets"
    icon = "site"
    menu_label = _("Projets")
    menu_name = "projects"
    menu_order = 150
    index_view_class = ProjectIndexView
    permission_policy = RulesPermissionPolicy(ProjectPage, {"view": "participation.list_projects"})
    filterset_class = ProjectFilterSet
    ordering = "title"
    list_per_page = ROWS_PER_PAGE
    columns = [
        RowHeadingColumn("title", label=_("Projet"), sort_key="title", get_url=_dashboard_url),
        Column(
            "department",
            label=_("Service responsable"),
            accessor=lambda project: project.department or "—",
            sort_key="department__name",
        ),
        Column("state", label=_("État"), accessor=publication_states.label_of),
        Column("contribution_count", label=_("Contributions"), sort_key="contribution_count"),
        RowTemplateColumn(
            "actions",
            label=_("Actions"),
            template_name="participation/admin/project_actions_cell.html",
            object_name="project",
            forms=True,
        ),
    ]
    screens = [
        path("<int:pk>/tableau-de-bord/", admin_views.project_dashboard, name="dashboard"),
        path(
            "<int:pk>/export/<slug:contents>.<slug:file_format>",
            admin_views.project_export,
            name="export",
        ),
        path("<int:pk>/moderateurs/", admin_views.project_moderators, name="moderators"),
        path("<int:pk>/archiver/", admin_views.project_archive, name="archive"),
        path("<int:pk>/mise-a-jour/", admin_views.project_update, name="update"),
        path(
            "<int:pk>/moderateurs/<int:user_id>/retirer/",
            admin_views.project_moderator_remove,
            name="remove_moderator",
        ),
    ]


def project_listing() -> ProjectListingViewSet:
    return ProjectListingViewSet()
