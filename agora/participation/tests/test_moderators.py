"""Administrators and the managers of a project's department choose its moderators, from the
project's "Modérateurs" screen in /gestion/; every change is in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import administrator, client_of, resident
from agora.core.models import AuditEntry
from agora.core.tests.html import find_all, text_of
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.moderators import (
    assign_moderator,
    make_creator_moderator,
    remove_moderator,
)
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator,
    moderator_of,
    role,
)

pytestmark = pytest.mark.django_db


def screen(project: ProjectPage) -> str:
    return f"/gestion/projets/{project.pk}/moderateurs/"


def remove_url(project: ProjectPage, user: User) -> str:
    return f"/gestion/projets/{project.pk}/moderateurs/{user.pk}/retirer/"


def moderates(project: ProjectPage, user: User) -> bool:
    return ProjectModerator.objects.filter(project=project.source, user=user).exists()


# The services


def test_an_administrator_assigns_a_moderator(project: ProjectPage) -> None:
    person = moderator()
    admin = administrator()

    assignment = assign_moderator(project=project, user=person, actor=admin)

    assert assignment.assigned_by == admin
    assert moderates(project, person)
    entry = AuditEntry.objects.get(action="project.moderator_assigned")
    assert entry.actor == admin
    assert entry.object_id == str(project.pk)
    assert person.email in entry.details["moderator"]


def test_a_manager_assigns_moderators_in_their_department_projects(project: ProjectPage) -> None:
    person = moderator()

    assign_moderator(project=project, user=person, actor=manager_of(project))

    assert moderates(project, person)


def test_a_manager_cannot_assign_in_another_department_project(project: ProjectPage) -> None:
    in_department(project)
    outsider = manager_of(another_project(project))

    with pytest.raises(PermissionDenied):
        assign_moderator(project=project, user=moderator(), actor=outsider)

    assert not ProjectModerator.objects.exists()


@pytest.mark.parametrize(
    "name", [Role.PROJECT_MODERATOR, Role.COMMUNICATIONS, Role.CLERK, Role.ELECTED_OFFICIAL]
)
def test_other_roles_cannot_assign(project: ProjectPage, name: Role) -> None:
    with pytest.raises(PermissionDenied):
        assign_moderator(project=project, user=moderator(), actor=role(name))


def test_only_a_member_with_the_moderator_role_can_be_assigned(project: ProjectPage) -> None:
    with pytest.raises(ValidationError) as refused:
        assign_moderator(project=project, user=resident(), actor=administrator())

    assert "rôle de modérateur" in " ".join(refused.value.messages)
    assert not ProjectModerator.objects.exists()
    assert not AuditEntry.objects.filter(action="project.moderator_assigned").exists()


def test_assigning_twice_changes_nothing(project: ProjectPage) -> None:
    person, admin = moderator(), administrator()

    assign_moderator(project=project, user=person, actor=admin)
    assign_moderator(project=project, user=person, actor=admin)

    assert ProjectModerator.objects.count() == 1
    assert AuditEntry.objects.filter(action="project.moderator_assigned").count() == 1


def test_an_assignment_made_on_the_translation_belongs_to_the_project(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    person = moderator()

    assign_moderator(project=english_project, user=person, actor=administrator())

    assert ProjectModerator.objects.get().project_id == project.pk
    assert person.has_perm("participation.edit_project", english_project)


def test_a_removed_moderator_no_longer_runs_the_project(project: ProjectPage) -> None:
    person = moderator_of(project)
    admin = administrator()

    remove_moderator(project=project, user=person, actor=admin)

    assert not moderates(project, person)
    assert not person.has_perm("participation.edit_project", project)
    assert not person.has_perm("participation.moderate_project", project)
    entry = AuditEntry.objects.get(action="project.moderator_removed")
    assert entry.actor == admin


def test_removing_someone_who_does_not_moderate_the_project_is_refused(
    project: ProjectPage,
) -> None:
    with pytest.raises(ValidationError):
        remove_moderator(project=project, user=moderator(), actor=administrator())


def test_a_manager_cannot_remove_in_another_department_project(project: ProjectPage) -> None:
    in_department(project)
    person = moderator_of(project)

    with pytest.raises(PermissionDenied):
        remove_moderator(project=project, user=person, actor=manager_of(another_project(project)))

    assert moderates(project, person)


def test_the_creator_becomes_moderator_only_with_the_moderator_role(project: ProjectPage) -> None:
    person = moderator()

    assert make_creator_moderator(project=project, creator=administrator()) is None
    assert make_creator_moderator(project=project, creator=person) is not None
    assert moderates(project, person)


# The screen


def test_an_administrator_sees_the_moderators_and_the_people_who_may_be_added(
    project: ProjectPage,
) -> None:
    current = moderator_of(project, first_name="Lise", last_name="Lavoie")
    candidate = moderator(first_name="Paul", last_name="Proulx")
    outsider = resident(first_name="Rita", last_name="Résidente")

    response = client_of(administrator()).get(screen(project))

    assert response.status_code == 200
    assert "Lise Lavoie" in text_of(response.content)
    offered = {option["value"] for option in find_all(response.content, "option")}
    assert str(candidate.pk) in offered
    assert str(current.pk) not in offered
    assert str(outsider.pk) not in offered


def test_a_manager_adds_a_moderator_from_the_screen(project: ProjectPage) -> None:
    person = moderator()
    client = client_of(manager_of(project))

    response = client.post(screen(project), {"user": person.pk})

    assert response.status_code == 302
    assert moderates(project, person)


def test_a_manager_removes_a_moderator_from_the_screen(project: ProjectPage) -> None:
    person = moderator_of(project)
    client = client_of(manager_of(project))

    response = client.post(remove_url(project, person))

    assert response.status_code == 302
    assert not moderates(project, person)


def test_a_tampered_choice_is_refused(project: ProjectPage) -> None:
    outsider = resident()

    response = client_of(administrator()).post(screen(project), {"user": outsider.pk})

    assert response.status_code == 200
    assert find_all(response.content, "p", class_="error-message")
    assert not ProjectModerator.objects.exists()


def test_removing_someone_from_another_project_is_not_found(project: ProjectPage) -> None:
    other = another_project(project)
    elsewhere = moderator_of(other)

    response = client_of(administrator()).post(remove_url(project, elsewhere))

    # Not found (Django's LocaleMiddleware turns a 404 outside i18n_patterns into a redirect).
    assert response.status_code in (302, 404)
    assert moderates(other, elsewhere)
    assert not AuditEntry.objects.filter(action="project.moderator_removed").exists()


@pytest.mark.parametrize(
    "who",
    [
        "manager of another department",
        "moderator of the project",
        "communications",
        "elected official",
        "resident",
    ],
)
def test_the_screen_is_refused_to_others(project: ProjectPage, who: str) -> None:
    in_department(project)
    person = {
        "manager of another department": lambda: manager_of(another_project(project)),
        "moderator of the project": lambda: moderator_of(project),
        "communications": lambda: role(Role.COMMUNICATIONS),
        "elected official": lambda: role(Role.ELECTED_OFFICIAL),
        "resident": lambda: resident(),
    }[who]()
    candidate = moderator()
    client = client_of(person)

    assert client.get(screen(project)).status_code in (302, 403)
    assert client.post(screen(project), {"user": candidate.pk}).status_code in (302, 403)
    assert not moderates(project, candidate)


def test_a_refusal_inside_the_back_office_is_a_403(project: ProjectPage) -> None:
    in_department(project)
    response = client_of(manager_of(another_project(project))).get(screen(project))

    assert response.status_code == 403


def test_the_page_editor_links_to_the_moderators_screen(project: ProjectPage) -> None:
    response = client_of(administrator()).get(f"/gestion/pages/{project.pk}/edit/")

    assert screen(project) in response.content.decode()
