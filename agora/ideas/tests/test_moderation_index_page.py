"""The "Modération" menu and its list of projects (admin_viewsets.py): shown to those who
moderate a project, every role of docs/roles.md against it, its filter, its empty state, and a
page that costs the same queries whatever its number of rows."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
)
from agora.core.tests.html import find, find_all
from agora.ideas.models import Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, moderator_of_another_project
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory
from agora.participation.tests.staff_roles import (
    answer,
    client_for,
    documented_roles,
    listing_rows,
    person_of_role,
)

pytestmark = pytest.mark.django_db

MENU_LINK = b"/gestion/moderation/"


def test_a_moderator_has_the_menu_and_sees_their_projects_only(project: ProjectPage) -> None:
    user = moderator_of(project)
    moderator_of_another_project(project)
    IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    CommentFactory.create(idea=IdeaFactory.create(project=project), visibility=Visibility.PENDING)
    client = client_of(user)

    assert MENU_LINK in client.get("/gestion/").content
    response = client.get("/gestion/moderation/")

    assert response.status_code == 200
    rows = find_all(find(response.content, "table", class_="listing"), "tr")[1:]
    assert [row.text for row in rows] == [
        "Parc riverain 2 0 0 Parc riverain : journal de modération"
    ]


def test_an_administrator_sees_every_project(project: ProjectPage) -> None:
    moderator_of_another_project(project)

    response = client_of(administrator()).get("/gestion/moderation/")

    assert len(find_all(find(response.content, "table", class_="listing"), "tr")) == 3


@pytest.mark.parametrize("role", [Role.COMMUNICATIONS, Role.ELECTED_OFFICIAL, Role.CLERK])
def test_the_menu_is_hidden_from_those_who_moderate_nothing(
    project: ProjectPage, role: Role
) -> None:
    response = client_of(UserFactory.create(roles=[role])).get("/gestion/")

    assert response.status_code == 200
    assert MENU_LINK not in response.content


def test_a_project_moderator_without_a_project_has_no_menu(project: ProjectPage) -> None:
    response = client_of(UserFactory.create(roles=[Role.PROJECT_MODERATOR])).get("/gestion/")

    assert MENU_LINK not in response.content


# Every role against the list

LIST = "/gestion/moderation/"


# What each role gets from the list: its answer, and the projects it shows (the project
# assigned to the moderator, "Parc riverain", and another one).
MATRIX: dict[str, tuple[str, set[str]]] = {
    "administrator": ("shown", {"Parc riverain", "Autre projet"}),
    "department manager": ("refused", set()),
    "project moderator": ("shown", {"Parc riverain"}),
    "communications": ("refused", set()),
    "clerk": ("refused", set()),
    "elected official": ("refused", set()),
    "resident": ("not team", set()),
    "organisation representative": ("not team", set()),
    "visitor": ("login", set()),
}


def test_the_matrix_has_a_line_for_every_role_of_the_document() -> None:
    assert list(MATRIX) == documented_roles()


@pytest.mark.parametrize("role", documented_roles())
def test_each_role_sees_the_projects_it_moderates_and_no_other(
    project: ProjectPage, role: str
) -> None:
    other = ProjectPageFactory.create(parent=project.get_parent(), title="Autre projet")
    department = DepartmentFactory.create()
    ProjectPage.objects.filter(pk__in=[project.pk, other.pk]).update(department=department)
    user = person_of_role(role, department=department, moderated=[project])

    response = client_for(user).get(LIST)

    expected_answer, expected_projects = MATRIX[role]
    assert answer(response) == expected_answer
    if expected_answer == "shown":
        rows = listing_rows(response.content)
        assert set(rows) == expected_projects
        for project_shown in ProjectPage.objects.filter(title__in=rows):
            assert user.has_perm("participation.moderate_project", project_shown)
            links = {a["href"] for a in find_all(rows[project_shown.title], "a")}
            assert f"/gestion/moderation/{project_shown.pk}/" in links
            assert f"/gestion/moderation/{project_shown.pk}/journal/" in links


def test_the_list_keeps_the_projects_where_contributions_wait(project: ProjectPage) -> None:
    quiet = ProjectPageFactory.create(parent=project.get_parent(), title="Projet tranquille")
    IdeaFactory.create(project=quiet, visibility=Visibility.HIDDEN)
    IdeaFactory.create(project=project, flag_count=1)
    client = client_of(administrator())

    waiting = listing_rows(client.get(LIST, {"a_traiter": "oui"}).content)
    calm = listing_rows(client.get(LIST, {"a_traiter": "non"}).content)

    assert set(waiting) == {"Parc riverain"}
    assert set(calm) == {"Projet tranquille"}


def test_an_administrator_without_projects_reads_an_empty_list_in_both_languages(
    project_index: Any,
) -> None:
    client = client_of(administrator())

    assert "Aucun projet pour le moment." in client.get(LIST).content.decode()
    assert "No projects yet." in client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.postgresql
def test_a_page_of_the_list_costs_the_same_queries_whatever_its_length(
    project: ProjectPage,
) -> None:
    moderator = moderator_of(project)
    clients = [client_of(administrator()), client_of(moderator)]

    def queries(client: Client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for client in clients:
        queries(client)  # caches filled (content types, locales)
    before = [queries(client) for client in clients]
    for number in range(6):
        other = ProjectPageFactory.create(parent=project.get_parent(), title=f"Projet {number}")
        ProjectModerator.objects.create(project=other, user=moderator)
        IdeaFactory.create(project=other, visibility=Visibility.PENDING)
        CommentFactory.create(idea=IdeaFactory.create(project=other), flag_count=1)
    after = [queries(client) for client in clients]

    assert after == before
