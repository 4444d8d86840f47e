"""The people of the moderation and official-feedback tests: the city's team by role, and
authors who can or cannot be reached by e-mail."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    department_manager,
    resident,
)
from agora.core.models import Participant
from agora.ideas.models import IdeaFollower
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.tests.factories import ParticipantFactory, ProjectPageFactory


def moderator_of(project: ProjectPage, **fields: Any) -> Any:
    """A project moderator assigned to `project`."""
    user = UserFactory.create(roles=[Role.PROJECT_MODERATOR], **fields)
    ProjectModerator.objects.create(project=project.source, user=user)
    return user


def moderator_of_another_project(project: ProjectPage) -> Any:
    other = ProjectPageFactory.create(
        parent=project.get_parent(), title="Autre projet", slug="autre"
    )
    return moderator_of(other)


def manager_of_the_department(project: ProjectPage) -> Any:
    department = DepartmentFactory.create()
    ProjectPage.objects.filter(pk=project.source.pk).update(department=department)
    return department_manager(department)


# Each role of the team, and the public, as `participation.moderate_project` sees them.
ROLES: dict[str, Callable[[ProjectPage], Any]] = {
    "administrator": lambda project: administrator(),
    "moderator of this project": moderator_of,
    "moderator of another project": moderator_of_another_project,
    "department manager": manager_of_the_department,
    "communications": lambda project: UserFactory.create(roles=[Role.COMMUNICATIONS]),
    "elected official": lambda project: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
    "resident": lambda project: resident(),
    "anonymous": lambda project: AnonymousUser(),
}
ALLOWED_TO_MODERATE = {"administrator", "moderator of this project"}


def reachable_author(email: str = "auteure@example.org", language: str = "fr") -> Participant:
    """A participant without an account who verified their e-mail address."""
    participant: Participant = ParticipantFactory.create(
        email=email, email_verified_at=timezone.now(), language=language
    )
    return participant


def follower(idea: Any, email: str, *, language: str = "fr", **fields: Any) -> IdeaFollower:
    """An active follower (confirmed, subscribed) unless `fields` say otherwise."""
    fields.setdefault("verified_at", timezone.now())
    return IdeaFollower.objects.create(idea=idea, email=email, language=language, **fields)
