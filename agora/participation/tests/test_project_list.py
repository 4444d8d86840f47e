"""The "Projets" list of /gestion/ (admin_viewsets.py): every role of docs/roles.md against
what the list shows and offers, its state filter, its search, its pagination, its empty states,
and a page that costs the same queries whatever its number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import Department
from agora.accounts.tests.team_factories import DepartmentFactory, administrator, client_of
from agora.core.tests.html import Element, find_all
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ProjectPageFactory
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
)
from agora.participation.tests.staff_roles import (
    answer,
    client_for,
    documented_roles,
    listing_rows,
    person_of_role,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

LIST = "/gestion/projets/"
ADD_PROJECT = "/gestion/pages/add/participation/projectpage/"


@dataclass
class City:
    department: Department
    # Assigned to the moderator, in no department.
    assigned: ProjectPage
    # In the department the manager runs; and in another department.
    departmental: ProjectPage
    elsewhere: ProjectPage


@pytest.fixture
def city(project: ProjectPage) -> City:
    department = DepartmentFactory.create()
    departmental = another_project(project, title="Bibliothèque", slug="bibliotheque")
    in_department(departmental, department)
    elsewhere = another_project(project, title="Aréna", slug="arena")
    in_department(elsewhere)
    return City(department, project, departmental, elsewhere)


def _person(role: str, city: City) -> Any:
    return person_of_role(role, department=city.department, moderated=[city.assigned])


def _targets(row: Element) -> set[str]:
    """The addresses a row's links and buttons lead to."""
    links = {a["href"] for a in find_all(row, "a")}
    return links | {form["action"] for form in find_all(row, "form")}


def _dashboard(project: ProjectPage) -> str:
    return f"/gestion/projets/{project.pk}/tableau-de-bord/"


def _edit(project: ProjectPage) -> str:
    return f"/gestion/pages/{project.pk}/edit/"


def _archive(project: ProjectPage) -> str:
    return f"/gestion/projets/{project.pk}/archiver/"


def _moderators(project: ProjectPage) -> str:
    return f"/gestion/projets/{project.pk}/moderateurs/"


# Every role against every action

ACTIONS = [
    "open the list",
    "see the project assigned to them",
    "see their department's project",
    "see another department's project",
    "edit the project assigned to them",
    "archive the project assigned to them",
    "edit their department's project",
    "assign moderators in their department's project",
    "assign moderators in another department's project",
    "add a project",
]
Y, N = True, False
MATRIX: dict[str, list[bool]] = {
    #                               list  assigned dept  other  edit  archive editdept assign assign2 add
    "administrator": [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
    "department manager": [Y, N, Y, N, N, N, N, Y, N, N],
    "project moderator": [Y, Y, N, N, Y, Y, N, N, N, Y],
    "communications": [N, N, N, N, N, N, N, N, N, N],
    "clerk": [N, N, N, N, N, N, N, N, N, N],
    "elected official": [Y, Y, Y, Y, N, N, N, N, N, N],
    "resident": [N, N, N, N, N, N, N, N, N, N],
    "organisation representative": [N, N, N, N, N, N, N, N, N, N],
    "visitor": [N, N, N, N, N, N, N, N, N, N],
}
# How the list answers those who may not open it.
REFUSAL = {
    "communications": "refused",
    "clerk": "refused",
    "resident": "not team",
    "organisation representative": "not team",
    "visitor": "login",
}


def test_the_matrix_has_a_line_for_every_role_of_the_document() -> None:
    assert list(MATRIX) == documented_roles()


def _what_the_list_offers(response: Any, city: City) -> dict[str, bool]:
    if response.status_code != 200:
        return dict.fromkeys(ACTIONS, False)
    html = response.content
    rows = {row_title: _targets(row) for row_title, row in listing_rows(html).items()}
    everything = set().union(*rows.values())
    return {
        "open the list": True,
        "see the project assigned to them": _dashboard(city.assigned) in everything,
        "see their department's project": _dashboard(city.departmental) in everything,
        "see another department's project": _dashboard(city.elsewhere) in everything,
        "edit the project assigned to them": _edit(city.assigned) in everything,
        "archive the project assigned to them": _archive(city.assigned) in everything,
        "edit their department's project": _edit(city.departmental) in everything,
        "assign moderators in their department's project": (
            _moderators(city.departmental) in everything
        ),
        "assign moderators in another department's project": (
            _moderators(city.elsewhere) in everything
        ),
        "add a project": ADD_PROJECT.encode() in html,
    }


@pytest.mark.parametrize("role", documented_roles())
def test_each_role_sees_and_may_do_what_the_matrix_says(city: City, role: str) -> None:
    user = _person(role, city)

    response = client_for(user).get(LIST)

    assert answer(response) == REFUSAL.get(role, "shown")
    offered = _what_the_list_offers(response, city)
    expected = dict(zip(ACTIONS, MATRIX[role], strict=True))
    wrong = [action for action in ACTIONS if offered[action] is not expected[action]]
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("role", ["administrator", "department manager", "project moderator"])
def test_each_rows_links_follow_the_rules(city: City, role: str) -> None:
    """The rights each row shows, read from the reach, are those of rules.py."""
    user = _person(role, city)

    rows = listing_rows(client_of(user).get(LIST).content)

    for project in ProjectPage.objects.sources():
        listed = project.title in rows
        assert listed is user.has_perm("participation.view_project_dashboard", project)
        if listed:
            targets = _targets(rows[project.title])
            assert (_edit(project) in targets) is user.has_perm(
                "participation.edit_project", project
            )
            assert (_moderators(project) in targets) is user.has_perm(
                "participation.assign_moderators", project
            )


# What each row says


def test_each_row_shows_the_department_the_state_and_the_contributions(city: City) -> None:
    CommentFactory.create(idea=IdeaFactory.create(project=city.assigned))
    ProjectPageFactory.create(parent=city.assigned.get_parent(), title="Patinoire", publish=False)
    city.assigned.get_workflow().start(city.departmental, administrator())

    rows = listing_rows(client_of(administrator()).get(LIST).content)

    cells = {title: [td.text for td in find_all(row, "td")][:3] for title, row in rows.items()}
    assert cells["Parc riverain"] == ["—", "Publié", "2"]
    assert cells["Bibliothèque"] == [city.department.name, "En attente d'approbation", "0"]
    assert cells["Patinoire"] == ["—", "Brouillon", "0"]


@pytest.mark.parametrize(
    ("state", "titles"),
    [
        ("draft", {"Patinoire"}),
        ("awaiting_approval", {"Bibliothèque"}),
        ("published", {"Parc riverain"}),
        ("archived", {"Aréna"}),
    ],
)
def test_the_list_filters_by_state(city: City, state: str, titles: set[str]) -> None:
    ProjectPageFactory.create(parent=city.assigned.get_parent(), title="Patinoire", publish=False)
    city.assigned.get_workflow().start(city.departmental, administrator())
    client = client_of(administrator())
    client.post(_archive(city.elsewhere))

    rows = listing_rows(client.get(LIST, {"etat": state}).content)

    assert set(rows) == titles


def test_the_list_finds_a_project_by_its_title(city: City) -> None:
    rows = listing_rows(client_of(administrator()).get(LIST, {"q": "biblio"}).content)

    assert set(rows) == {"Bibliothèque"}


def test_a_search_sent_without_javascript_gets_the_whole_page(city: City) -> None:
    client = client_of(administrator())

    # The form's address is the results fragment, which only the page's script asks for.
    response = client.get(LIST + "results/", {"q": "biblio"})
    assert response.status_code == 302
    assert response["Location"] == LIST + "?q=biblio"
    fragment = client.get(
        LIST + "results/", {"q": "biblio"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert set(listing_rows(fragment.content)) == {"Bibliothèque"}


def test_a_filter_that_leaves_nothing_says_so(city: City) -> None:
    html = client_of(manager_of(city.departmental)).get(LIST, {"etat": "draft"}).content

    assert "Aucun projet ne correspond à ces filtres." in html.decode()


def test_an_empty_list_says_so_in_both_languages(project_index: Any) -> None:
    client = client_of(administrator())

    assert "Aucun projet pour le moment." in client.get(LIST).content.decode()
    english = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No projects yet." in english


def test_the_list_shows_fifty_projects_a_page(project: ProjectPage) -> None:
    for number in range(50):
        another_project(project, title=f"Projet {number:02}", slug=f"projet-{number:02}")
    client = client_of(administrator())

    first = listing_rows(client.get(LIST).content)
    second = listing_rows(client.get(LIST, {"p": 2}).content)

    assert len(first) == 50
    assert set(second) == {"Projet 49"}


def test_a_page_of_the_list_costs_the_same_queries_whatever_its_length(city: City) -> None:
    moderator = moderator_of(city.assigned)
    manager = manager_of(city.departmental)
    clients = [client_of(person) for person in (administrator(), manager, moderator)]

    def queries(client: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for client in clients:
        queries(client)  # caches filled (content types, locales)
    before = [queries(client) for client in clients]
    for number in range(6):
        project = another_project(city.assigned, title=f"Projet {number}", slug=f"p-{number}")
        in_department(project, city.department)
        moderator.moderated_projects.create(project=project)
        CommentFactory.create(idea=IdeaFactory.create(project=project))
    after = [queries(client) for client in clients]

    assert after == before
