"""The "Mes projets" panel of /gestion/'s home: each project a person runs, with what waits for
them in it, in place of Wagtail's page counts.

A project moderator sees the projects assigned to them, a department manager those of their
departments (and any they moderate), an administrator every one (the first `MAX_PROJECTS`,
with a link to the whole list). For each project: what its phase components hold for this
person (`PhaseComponent.waiting_work`: contributions to moderate, a survey to approve…), the
feedback the city promised residents and its date, and the date of its last published update.

The panel costs the same queries whatever the number of projects: the projects with their
last update's date, their phases (for the feedback's state), then each component's own few.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from agora.accounts.reach import StaffReach, staff_reach
from agora.accounts.rules import is_administrator, is_department_manager, is_project_moderator
from agora.participation import components
from agora.participation.admin_viewsets import may_edit
from agora.participation.components import WaitingItem
from agora.participation.models import ProjectPage, ProjectUpdate

# An administrator runs every project: the home shows the first ones, the "Projets" list all.
MAX_PROJECTS = 30


class Feedback(enum.StrEnum):
    """Where the city stands on the feedback it promised residents (accountability.py)."""

    PROMISED = "promised"  # participation goes on: the date is a promise
    DUE = "due"  # participation closed, the report is not published yet
    OVERDUE = "overdue"  # and the promised date has passed
    PUBLISHED = "published"


@dataclass(frozen=True)
class ProjectAtHome:
    """One project of the panel, as the person reading it runs it."""

    project: ProjectPage
    waiting: list[WaitingItem]
    feedback: Feedback
    feedback_due: datetime.date | None
    feedback_published: datetime.date | None
    last_update: datetime.date | None
    may_edit: bool

    @property
    def dashboard_url(self) -> str:
        return reverse("participation_admin:dashboard", args=[self.project.pk])

    @property
    def update_url(self) -> str:
        return reverse("participation_admin:update", args=[self.project.pk])

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.project.pk])

    @property
    def feedback_waits(self) -> bool:
        return self.feedback in (Feedback.DUE, Feedback.OVERDUE)


@dataclass(frozen=True)
class HomeProjects:
    projects: list[ProjectAtHome] = field(default_factory=list)
    # More projects than the panel shows (an administrator's city).
    more: bool = False


def runs_projects(user: Any) -> bool:
    """Administrators, department managers and project moderators see the panel (a moderator
    given no project yet reads that nothing is entrusted to them)."""
    return bool(
        getattr(user, "is_active", False)
        and (is_administrator(user) or is_department_manager(user) or is_project_moderator(user))
    )


def _projects(reach: StaffReach) -> QuerySet[ProjectPage]:
    last_update = (
        ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    projects: QuerySet[ProjectPage] = (
        ProjectPage.objects.sources()
        .within_reach(reach)
        .filter(archived_at__isnull=True)
        .annotate(last_update=Subquery(last_update))
        .prefetch_related("phases")
        .order_by("title", "pk")
    )
    return projects


def _feedback(project: ProjectPage, today: datetime.date) -> Feedback:
    if project.accountability_published:
        return Feedback.PUBLISHED
    if not project.awaiting_feedback(today):
        return Feedback.PROMISED
    due = project.feedback_due_date
    return Feedback.OVERDUE if due is not None and due < today else Feedback.DUE


def home_projects(user: Any, today: datetime.date | None = None) -> HomeProjects:
    """The projects `user` runs, with what waits for them in each."""
    today = today or timezone.localdate()
    reach = staff_reach(user)
    projects = list(_projects(reach)[: MAX_PROJECTS + 1])
    more = len(projects) > MAX_PROJECTS
    projects = projects[:MAX_PROJECTS]
    waiting: dict[int, list[WaitingItem]] = {}
    if projects:
        for component in components.registered():
            for project_id, items in component.waiting_work(projects, reach).items():
                waiting.setdefault(project_id, []).extend(items)
    rows = [
        ProjectAtHome(
            project=project,
            waiting=waiting.get(project.pk, []),
            feedback=_feedback(project, today),
            feedback_due=project.feedback_due_date,
            feedback_published=(
                timezone.localdate(project.accountability_published_at)
                if project.accountability_published_at
                else None
            ),
            last_update=getattr(project, "last_update", None),
            may_edit=may_edit(reach, project),
        )
        for project in projects
    ]
    return HomeProjects(rows, more)


class MyProjectsPanel(Component):
    """ "Mes projets", first on the home of those who run projects."""

    name = "agora_my_projects"
    template_name = "participation/admin/home_projects.html"
    order = 50  # before Wagtail's own panels (workflows: 210 and 220)

    class Media:
        css = {"all": ("participation/admin/home.css",)}

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        request = (parent_context or {})["request"]
        context["home"] = home_projects(request.user)
        context["projects_url"] = reverse("participation_admin:index")
        context["heading"] = _("Mes projets")
        return context


def add_my_projects(request: Any, panels: list[Any]) -> None:
    """`construct_homepage_panels`: "Mes projets" for those who run projects."""
    if runs_projects(request.user):
        panels.append(MyProjectsPanel())


def leave_out_page_counts(request: Any, summary_items: list[Any]) -> None:
    """`construct_homepage_summary_items`: Wagtail counts the site's pages, images and
    documents; a moderator or a manager works on projects, which their panel lists. The
    administrators keep the counts of the site they run."""
    user = request.user
    if runs_projects(user) and not is_administrator(user):
        summary_items.clear()
