"""A person's reach is computed once, in a few queries, from their roles and their
assignments (agora/accounts/reach.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from pytest_django import DjangoAssertNumQueries

from agora.accounts.models import User
from agora.accounts.reach import NO_REACH, StaffReach, forget_staff_reach, staff_reach
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    department_manager,
    resident,
)
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.tests.project_team import another_project, in_department

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The same person as a new request would load them: nothing computed yet."""
    return User.objects.get(pk=user.pk)


def test_a_manager_who_also_moderates_reaches_both_in_three_queries(
    project: ProjectPage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    department = in_department(project)
    other = another_project(project)
    person = department_manager(department)
    person.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.PROJECT_MODERATOR])[0])
    ProjectModerator.objects.create(project=other, user=person)
    person = _fresh(person)
    with django_assert_num_queries(3):  # roles, departments managed, projects moderated
        reach = staff_reach(person)
    assert reach.department_ids == {department.pk}
    assert reach.moderated_project_ids == {other.pk}
    assert not reach.is_admin
    assert not reach.reads_everything


def test_the_reach_is_computed_once_per_request(
    project: ProjectPage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    person = _fresh(department_manager(in_department(project)))
    first = staff_reach(person)
    with django_assert_num_queries(0):
        assert staff_reach(person) is first


def test_an_administrator_reaches_everything_after_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    person = _fresh(administrator())
    with django_assert_num_queries(1):
        reach = staff_reach(person)
    assert reach.is_admin
    assert reach.reads_everything


def test_a_superuser_reaches_everything_without_a_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    person = User.objects.create_superuser("racine@example.org", "un-mot-de-passe-solide")
    with django_assert_num_queries(0):
        assert staff_reach(person).is_admin


def test_an_elected_official_reads_everything_and_runs_nothing() -> None:
    reach = staff_reach(UserFactory.create(roles=[Role.ELECTED_OFFICIAL]))
    assert reach.reads_everything
    assert not reach.is_admin
    assert not reach.department_ids
    assert not reach.moderated_project_ids


def test_a_department_counts_only_with_the_manager_role() -> None:
    person = resident()
    DepartmentFactory.create().managers.add(person)
    assert staff_reach(person) == StaffReach(user_id=person.pk)


def test_a_visitor_and_a_deactivated_account_reach_nothing() -> None:
    assert staff_reach(AnonymousUser()) is NO_REACH
    former = administrator(is_active=False)
    assert staff_reach(former) is NO_REACH


def test_an_assignment_made_with_the_same_user_object_is_seen_after_forgetting(
    project: ProjectPage,
) -> None:
    person = UserFactory.create(roles=[Role.PROJECT_MODERATOR])
    assert not staff_reach(person).moderated_project_ids
    ProjectModerator.objects.create(project=project, user=person)
    forget_staff_reach(person)
    assert staff_reach(person).moderated_project_ids == {project.pk}
