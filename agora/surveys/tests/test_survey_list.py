"""The "Sondages" list of /gestion/ (admin_viewsets.py): every role of docs/roles.md against
what the list shows and offers, its search, its pagination, its empty states, and a page that
costs the same queries whatever its number of rows. (Its filters by type and status are in
test_builder_survey.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import Department
from agora.accounts.tests.team_factories import DepartmentFactory, administrator, client_of
from agora.core.tests.html import Element, find_all
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import manager_of, moderator_of
from agora.participation.tests.staff_roles import (
    answer,
    client_for,
    documented_roles,
    listing_rows,
    person_of_role,
)
from agora.surveys.models import Survey
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

LIST = "/gestion/sondages/"
ADD_SURVEY = "/gestion/sondages/nouveau/"


@dataclass
class City:
    department: Department
    project: ProjectPage
    # The survey of the project assigned to the moderator (a project in no department), one
    # of the department the manager runs, and one of another department.
    assigned: Survey
    departmental: Survey
    elsewhere: Survey


@pytest.fixture
def city(project: ProjectPage) -> City:
    department = DepartmentFactory.create()
    return City(
        department=department,
        project=project,
        assigned=SurveyFactory.create(title_fr="Parc", project=project),
        departmental=SurveyFactory.create(title_fr="Bibliothèque", department=department),
        elsewhere=SurveyFactory.create(title_fr="Aréna", department=DepartmentFactory.create()),
    )


def _person(role: str, city: City) -> Any:
    return person_of_role(role, department=city.department, moderated=[city.project])


def _links(row: Element) -> set[str]:
    return {a["href"] for a in find_all(row, "a")}


def _build(survey: Survey) -> str:
    return f"/gestion/sondages/{survey.pk}/"


def _settings(survey: Survey) -> str:
    return f"/gestion/sondages/{survey.pk}/reglages/"


def _results(survey: Survey) -> str:
    return f"/gestion/sondages/{survey.pk}/resultats/"


# Every role against every action

ACTIONS = [
    "open the list",
    "see the survey of the project assigned to them",
    "see their department's survey",
    "see another department's survey",
    "build the survey of the project assigned to them",
    "build their department's survey",
    "build another department's survey",
    "read the results of another department's survey",
    "add a survey",
]
Y, N = True, False
MATRIX: dict[str, list[bool]] = {
    #                               list  assigned dept  other  build  builddept buildother results add
    "administrator": [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    "department manager": [Y, N, Y, N, N, Y, N, N, Y],
    "project moderator": [Y, Y, N, N, Y, N, N, N, Y],
    "communications": [N, N, N, N, N, N, N, N, N],
    "clerk": [N, N, N, N, N, N, N, N, N],
    "elected official": [Y, Y, Y, Y, N, N, N, Y, N],
    "resident": [N, N, N, N, N, N, N, N, N],
    "organisation representative": [N, N, N, N, N, N, N, N, N],
    "visitor": [N, N, N, N, N, N, N, N, N],
}
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
    rows = listing_rows(response.content)
    links = {title: _links(row) for title, row in rows.items()}
    return {
        "open the list": True,
        "see the survey of the project assigned to them": "Parc" in rows,
        "see their department's survey": "Bibliothèque" in rows,
        "see another department's survey": "Aréna" in rows,
        "build the survey of the project assigned to them": (
            _build(city.assigned) in links.get("Parc", set())
        ),
        "build their department's survey": (
            _build(city.departmental) in links.get("Bibliothèque", set())
        ),
        "build another department's survey": _build(city.elsewhere) in links.get("Aréna", set()),
        "read the results of another department's survey": (
            _results(city.elsewhere) in links.get("Aréna", set())
        ),
        "add a survey": ADD_SURVEY.encode() in response.content,
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


@pytest.mark.parametrize(
    "role", ["administrator", "department manager", "project moderator", "elected official"]
)
def test_each_rows_links_follow_the_rules(city: City, role: str) -> None:
    """The rights each row shows, read from the reach, are those of rules.py."""
    user = _person(role, city)

    rows = listing_rows(client_of(user).get(LIST).content)

    for survey in Survey.objects.all():
        listed = survey.title_fr in rows
        assert listed is user.has_perm("surveys.view_survey_results", survey)
        if listed:
            links = _links(rows[survey.title_fr])
            may_build = user.has_perm("surveys.change_survey", survey)
            assert (_build(survey) in links) is may_build
            assert (_settings(survey) in links) is may_build
            assert (_results(survey) in links) is True


# Search, pages, empty states, queries


def test_the_list_finds_a_survey_by_its_title_in_either_language(city: City) -> None:
    SurveyFactory.create(title_fr="Vos parcs", title_en="Your green spaces")
    client = client_of(administrator())

    assert set(listing_rows(client.get(LIST, {"q": "green"}).content)) == {"Vos parcs"}
    assert set(listing_rows(client.get(LIST, {"q": "biblio"}).content)) == {"Bibliothèque"}


def test_the_list_shows_fifty_surveys_a_page_the_latest_first(home: Any) -> None:
    surveys = [SurveyFactory.create(title_fr=f"Sondage {n:02}") for n in range(51)]
    client = client_of(administrator())

    first = listing_rows(client.get(LIST).content)
    second = listing_rows(client.get(LIST, {"p": 2}).content)

    assert len(first) == 50
    assert set(second) == {surveys[0].title_fr}


def test_an_empty_list_says_so_in_both_languages(home: Any) -> None:
    client = client_of(administrator())

    assert "Aucun sondage pour le moment." in client.get(LIST).content.decode()
    assert "No surveys yet." in client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_page_of_the_list_costs_the_same_queries_whatever_its_length(city: City) -> None:
    moderator = moderator_of(city.project)
    manager = manager_of(city.project)
    clients = [client_of(person) for person in (administrator(), manager, moderator)]

    def queries(client: Client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for client in clients:
        queries(client)  # caches filled (content types, locales)
    before = [queries(client) for client in clients]
    for _number in range(6):
        survey = SurveyFactory.create(project=city.project)
        question = QuestionFactory.create(section__survey=survey, kind="yes_no")
        respond(survey, {question: "oui"})
    after = [queries(client) for client in clients]

    assert after == before
