"""Every staff list of /gestion/ shows, for every role of docs/roles.md, exactly the objects
rules.py lets that person act on: the lists start from one computed reach
(agora/accounts/reach.py), the permissions from the predicates, and here they must agree.

The city: three departments, five projects (one translated), seven surveys and three citizen
requests spread over them; the department manager runs the first department, the moderator two projects in two
departments, and a resident manages a department without the manager role (which gives them
nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.accounts.invitations import departments_open_to
from agora.accounts.models import Department
from agora.accounts.reach import staff_reach
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    OrganisationFactory,
    UserFactory,
    administrator,
    department_manager,
    resident,
)
from agora.citizen_requests.desk_selectors import desk_requests
from agora.citizen_requests.models import CitizenRequest
from agora.citizen_requests.tests.desk_factories import request_of
from agora.ideas.moderation_queue import moderated_projects
from agora.participation.dashboard import projects_followed_by
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.tests.project_team import another_project, in_department
from agora.surveys.admin_forms import departments_within_reach, projects_within_reach
from agora.surveys.building import surveys_followed_by
from agora.surveys.models import Survey
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

ROLES_DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "roles.md"


def _documented_roles() -> list[str]:
    header = next(
        line for line in ROLES_DOCUMENT.read_text(encoding="utf-8").splitlines() if line[:2] == "| "
    )
    return [cell.strip() for cell in header.strip().strip("|").split("|")][1:]


ROLES = _documented_roles()


def _role(role: Role) -> Callable[[World], Any]:
    return lambda world: UserFactory.create(roles=[role])


def _moderator(world: World) -> Any:
    user = UserFactory.create(roles=[Role.PROJECT_MODERATOR])
    for project in (world.assigned_project, world.other_department_assigned_project):
        ProjectModerator.objects.create(project=project, user=user)
    world.department.members.add(user)
    return user


def _representative(world: World) -> Any:
    user = resident()
    OrganisationFactory.create(members=[user])
    return user


def _resident(world: World) -> Any:
    # Named a department's manager, but without the role: it gives no reach.
    user = resident()
    world.department.managers.add(user)
    return user


PEOPLE: dict[str, Callable[[World], Any]] = {
    "administrator": lambda world: administrator(),
    "department manager": lambda world: department_manager(world.department),
    "project moderator": _moderator,
    "communications": _role(Role.COMMUNICATIONS),
    "clerk": _role(Role.CLERK),
    "elected official": _role(Role.ELECTED_OFFICIAL),
    "resident": _resident,
    "organisation representative": _representative,
    "visitor": lambda world: AnonymousUser(),
}


@dataclass
class World:
    department: Department
    other_department: Department
    assigned_project: ProjectPage
    other_department_assigned_project: ProjectPage


@pytest.fixture
def world(project: ProjectPage, english_project: ProjectPage) -> World:
    department, other, _unused = (
        DepartmentFactory.create(),
        DepartmentFactory.create(),
        DepartmentFactory.create(),
    )
    in_department(project, department)
    in_department_unassigned = another_project(project, title="Bibliothèque")
    in_department(in_department_unassigned, department)
    assigned_elsewhere = another_project(project, title="Pistes cyclables")
    in_department(assigned_elsewhere, other)
    in_other_department = another_project(project, title="Aréna")
    in_department(in_other_department, other)
    without_department = another_project(project, title="Jardins communautaires")
    SurveyFactory.create(project=project)
    SurveyFactory.create(department=department)
    SurveyFactory.create(project=assigned_elsewhere)
    SurveyFactory.create(department=other)
    SurveyFactory.create()
    SurveyFactory.create(project=without_department, department=department)
    SurveyFactory.create(project=in_department_unassigned, department=other)
    for requests_department in (department, other, None):
        request_of(requests_department)
    return World(
        department=department,
        other_department=other,
        assigned_project=project,
        other_department_assigned_project=assigned_elsewhere,
    )


def test_every_role_of_the_document_has_a_person_here() -> None:
    assert sorted(ROLES) == sorted(PEOPLE)


def _projects_allowed(user: Any, permission: str) -> set[int]:
    """The projects (as their source pages) on whose page, in any language, the person holds
    `permission`."""
    return {page.source.pk for page in ProjectPage.objects.all() if user.has_perm(permission, page)}


def _ids(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_each_staff_list_shows_exactly_what_the_rules_allow(world: World, role: str) -> None:
    user = PEOPLE[role](world)
    lists = {
        "project dashboards": (
            _ids(projects_followed_by(user)),
            _projects_allowed(user, "participation.view_project_dashboard"),
        ),
        "moderation queues": (
            _ids(moderated_projects(user)),
            _projects_allowed(user, "participation.moderate_project"),
        ),
        "surveys followed": (
            _ids(surveys_followed_by(user)),
            {s.pk for s in Survey.objects.all() if user.has_perm("surveys.view_survey_results", s)},
        ),
        "surveys built": (
            _ids(Survey.objects.within_reach(staff_reach(user))),
            {s.pk for s in Survey.objects.all() if user.has_perm("surveys.change_survey", s)},
        ),
        "projects a survey may join": (
            _ids(projects_within_reach(user)),
            {
                page.pk
                for page in ProjectPage.objects.sources()
                if user.has_perm("surveys.change_survey", Survey(project=page))
            },
        ),
        "departments a survey may belong to": (
            _ids(departments_within_reach(user)),
            {
                d.pk
                for d in Department.objects.all()
                if user.has_perm("surveys.change_survey", Survey(department=d))
            },
        ),
        "the requests desk's queue": (
            _ids(desk_requests(user)),
            {
                r.pk
                for r in CitizenRequest.objects.all()
                if user.has_perm("citizen_requests.handle_request", r)
            },
        ),
        "departments open to invitations": (
            _ids(departments_open_to(user)),
            {
                d.pk
                for d in Department.objects.all()
                if user.has_perm("accounts.invite_to_department", d)
            },
        ),
    }
    wrong = {name: pair for name, pair in lists.items() if pair[0] != pair[1]}
    assert not wrong, f"{role}: listed ≠ allowed: {wrong}"


def test_the_fixture_gives_the_lists_something_to_tell_apart(world: World) -> None:
    """Each staff role sees some of the city and not all of it, so that the walk above
    compares real selections."""
    manager = PEOPLE["department manager"](world)
    moderator = PEOPLE["project moderator"](world)
    everything = Survey.objects.count()
    for person in (manager, moderator):
        followed = surveys_followed_by(person).count()
        assert 0 < followed < everything
    assert 0 < projects_followed_by(manager).count() < ProjectPage.objects.sources().count()
