"""The city's team around a project, as the tests of the project screens need it: a moderator
assigned to it, the managers of its department, and people of other projects and
departments."""

from typing import Any

from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import DepartmentFactory, UserFactory, department_manager
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory


def moderator(**fields: Any) -> User:
    user: User = UserFactory.create(roles=[Role.PROJECT_MODERATOR], **fields)
    return user


def moderator_of(project: ProjectPage, **fields: Any) -> User:
    """A project moderator assigned to `project`."""
    user = moderator(**fields)
    ProjectModerator.objects.create(project=project.source, user=user)
    return user


def in_department(project: ProjectPage, department: Department | None = None) -> Department:
    """Puts `project` (every language) under `department` (a new one by default)."""
    department = department or DepartmentFactory.create()
    ProjectPage.objects.filter(translation_key=project.translation_key).update(
        department=department
    )
    project.refresh_from_db()
    return department


def manager_of(project: ProjectPage) -> User:
    """A manager of the project's department (the project gets one if it has none)."""
    department = project.source.department or in_department(project)
    return department_manager(department)


def another_project(project: ProjectPage, **fields: Any) -> ProjectPage:
    fields.setdefault("title", "Réfection de la rue Principale")
    page: ProjectPage = ProjectPageFactory.create(parent=project.get_parent(), **fields)
    return page


def role(name: Role, **fields: Any) -> User:
    user: User = UserFactory.create(roles=[name], **fields)
    return user
