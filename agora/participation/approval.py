"""The approval step of a project's publication: a moderator submits the project, the managers
of its department or an administrator approve it (which publishes it) or ask for changes.

Wagtail's group approval task lets every member of a group approve every page; a department
manager must approve only the projects of their own department, so the step is a task type of
its own, answering from `participation.approve_project` (rules.py). Migration
`0002_project_approval_workflow` creates the workflow "Approbation des projets" with this
step; `ProjectPage.get_workflow()` uses it for every project, French or English, wherever the
language's page tree puts it (a workflow assigned in the tree would miss the translations).
An administrator who deactivates the workflow in Settings → Workflows gives the projects back
to the tree's own workflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Task, TaskState, Workflow
from wagtail.users.models import UserProfile

from agora.accounts.models import User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.rules import is_administrator, is_department_manager
from agora.core.email import enqueue_email

if TYPE_CHECKING:
    from agora.participation.models import ProjectPage

APPROVE = "participation.approve_project"


class ProjectApprovalTask(Task):
    """Approved by an administrator or by a manager of the project's department."""

    class Meta:
        app_label = "participation"
        verbose_name = _("approbation par le service responsable")
        verbose_name_plural = _("approbations par le service responsable")

    @classmethod
    def get_description(cls) -> str:
        return str(
            _(
                "Les gestionnaires du service responsable du projet, ou un administrateur, "
                "approuvent sa publication."
            )
        )

    def user_can_approve(self, obj: Any, user: Any) -> bool:
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        project = _specific(obj)
        return _is_project(project) and bool(user.has_perm(APPROVE, project))

    def start(self, workflow_state: Any, user: Any = None) -> TaskState:
        task_state: TaskState = super().start(workflow_state, user=user)
        project = _specific(workflow_state.content_object)
        if _is_project(project):
            notify_reviewers(project=project, submitted_by=user, submission=task_state.pk)
        return task_state

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self.user_can_approve(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        return not self.user_can_approve(obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        return self.user_can_approve(obj, user)

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        if not self.user_can_approve(obj, user):
            return []
        return [
            ("reject", _("Demander des modifications"), True),
            ("approve", _("Approuver et publier"), False),
            ("approve", _("Approuver et publier avec un commentaire"), True),
        ]

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> QuerySet[TaskState]:
        states: QuerySet[TaskState] = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser or is_administrator(user):
            return states
        if not is_department_manager(user):
            none: QuerySet[TaskState] = TaskState.objects.none()
            return none
        page_ids = (
            projects_of_departments_managed_by(user)
            .annotate(id_text=Cast("pk", CharField()))
            .values("id_text")
        )
        reviewable: QuerySet[TaskState] = states.filter(workflow_state__object_id__in=page_ids)
        return reviewable


def _specific(obj: Any) -> Any:
    """The page as its own type (Wagtail hands some screens the base `Page`)."""
    return getattr(obj, "specific_deferred", obj)


def _is_project(obj: Any) -> bool:
    from agora.participation.models import ProjectPage

    return isinstance(obj, ProjectPage)


def project_workflow() -> Workflow | None:
    """The active workflow with a project approval step, if the city kept one."""
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    workflow: Workflow | None = (
        Workflow.objects.filter(
            active=True,
            workflow_tasks__task__active=True,
            workflow_tasks__task__content_type=ContentType.objects.get_for_model(
                ProjectApprovalTask
            ),
        )
        .order_by("pk")
        .first()
    )
    return workflow


def projects_of_departments_managed_by(user: Any) -> QuerySet[ProjectPage]:
    """Every language's page of the projects whose department `user` manages."""
    from agora.participation.models import ProjectPage

    keys = ProjectPage.objects.filter(
        locale=Locale.get_default(), department__managers=user
    ).values("translation_key")
    pages: QuerySet[ProjectPage] = ProjectPage.objects.filter(translation_key__in=keys)
    return pages


def reviewers_of(project: ProjectPage) -> QuerySet[Any]:
    """Who is told that the project waits for approval: the managers of its department and
    the administrators."""
    department_id = project.source.department_id
    users = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)
    administrators = users.filter(groups__name=GROUP_NAMES[Role.ADMINISTRATOR])
    if department_id is None:
        return administrators.distinct()
    managers = users.filter(
        groups__name=GROUP_NAMES[Role.DEPARTMENT_MANAGER], managed_departments=department_id
    )
    return (administrators | managers).distinct()


def notify_reviewers(
    *, project: ProjectPage, submitted_by: User | None, submission: int | None = None
) -> None:
    """E-mails each reviewer (after the submission commits) in their language of /gestion/,
    once per submission (the workflow task's state)."""
    edit_path = reverse("wagtailadmin_pages:edit", args=[project.pk])
    for reviewer in reviewers_of(project).exclude(pk=getattr(submitted_by, "pk", None)):
        enqueue_email(
            to=reviewer.email,
            template="participation/admin/email/project_submitted",
            context={
                "project_title": project.title,
                "submitted_by": str(submitted_by or ""),
                "link": f"{settings.WAGTAILADMIN_BASE_URL}{edit_path}",
            },
            language=UserProfile.get_for_user(reviewer).get_preferred_language(),
            key=f"project-submitted:{submission}:{reviewer.pk}" if submission else "",
        )


def submission_message(project: ProjectPage) -> str:
    """What the moderator reads once the project is submitted: who will approve it."""
    department = project.source.department
    if department is None:
        return gettext(
            "Soumis pour approbation. Les administrateurs de la plateforme seront avisés."
        )
    names = [
        manager.public_name or manager.email
        for manager in department.managers.filter(
            is_active=True,
            deleted_at__isnull=True,
            groups__name=GROUP_NAMES[Role.DEPARTMENT_MANAGER],
        ).order_by("last_name", "first_name")
    ]
    if not names:
        return gettext(
            "Soumis pour approbation. Le service %(department)s n'a pas de gestionnaire : "
            "les administrateurs de la plateforme seront avisés."
        ) % {"department": department.name}
    return gettext(
        "Soumis pour approbation. Les gestionnaires du service %(department)s (%(names)s) "
        "seront avisés."
    ) % {"department": department.name, "names": ", ".join(names)}
