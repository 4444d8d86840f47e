"""Who runs a project: administrators and the managers of the project's department assign
moderators to it and remove them; whoever creates a project becomes its moderator.

An assignment belongs to the project's source page, so it holds for every translation. Only a
member of the team with the project-moderator role can be assigned: the role is what lets them
into /gestion/ and what rules.py checks with the assignment.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.accounts.reach import forget_staff_reach
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.rules import is_project_moderator
from agora.core import audit
from agora.participation import audit_actions
from agora.participation.models import ProjectModerator, ProjectPage

ASSIGNED = audit_actions.PROJECT_MODERATOR_ASSIGNED
REMOVED = audit_actions.PROJECT_MODERATOR_REMOVED


def moderator_candidates() -> QuerySet[User]:
    """The people who may be assigned: active members holding the project-moderator role."""
    return User.objects.filter(
        is_active=True,
        deleted_at__isnull=True,
        groups__name=GROUP_NAMES[Role.PROJECT_MODERATOR],
    ).distinct()


def moderators_of(project: ProjectPage) -> QuerySet[ProjectModerator]:
    return (
        ProjectModerator.objects.filter(project=project.source)
        .select_related("user", "assigned_by")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@transaction.atomic
def assign_moderator(*, project: ProjectPage, user: User, actor: User) -> ProjectModerator:
    """Makes `user` a moderator of `project`. Refused unless `actor` may assign moderators in
    it and `user` holds the project-moderator role; assigning someone twice changes nothing."""
    _check_may_assign(actor, project)
    if not is_project_moderator(user) or not user.is_active or user.deleted_at is not None:
        raise ValidationError(
            _(
                "%(name)s n'a pas le rôle de modérateur de projet. Invitez cette personne avec "
                "ce rôle (Équipe → Invitations) avant de lui confier le projet."
            )
            % {"name": user}
        )
    return _assign(project=project.source, user=user, actor=actor, reason="assigned")


@transaction.atomic
def remove_moderator(*, project: ProjectPage, user: User, actor: User) -> None:
    """Takes `user` off `project`: they no longer edit it nor moderate its contributions."""
    _check_may_assign(actor, project)
    source = project.source
    assignment = ProjectModerator.objects.filter(project=source, user=user).first()
    if assignment is None:
        raise ValidationError(_("Cette personne ne modère pas ce projet."))
    assignment.delete()
    forget_staff_reach(user)
    audit.record(actor=actor, action=REMOVED, target=source, details=_details(source, user))


@transaction.atomic
def make_creator_moderator(
    *, project: ProjectPage, creator: User | AnonymousUser
) -> ProjectModerator | None:
    """Whoever creates a project with the project-moderator role becomes its moderator, so
    that they keep editing it. Administrators edit every project and need no assignment."""
    if not isinstance(creator, User) or not creator.pk or not is_project_moderator(creator):
        return None
    return _assign(project=project.source, user=creator, actor=creator, reason="created")


def _assign(*, project: ProjectPage, user: User, actor: User, reason: str) -> ProjectModerator:
    assignment, created = ProjectModerator.objects.get_or_create(
        project=project, user=user, defaults={"assigned_by": actor}
    )
    if created:
        forget_staff_reach(user)
        audit.record(
            actor=actor,
            action=ASSIGNED,
            target=project,
            details={**_details(project, user), "reason": reason},
        )
    return assignment


def _check_may_assign(actor: User, project: ProjectPage) -> None:
    if not actor.has_perm("participation.assign_moderators", project):
        raise PermissionDenied(
            _(
                "Seuls les administrateurs et les gestionnaires du service responsable du projet "
                "choisissent ses modérateurs."
            )
        )


def _details(project: ProjectPage, user: User) -> dict[str, Any]:
    return {"project": project.title, "moderator": f"{user} <{user.email}>"}
