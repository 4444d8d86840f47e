"""Équipe → Services municipaux in /gestion/: administrators create and edit departments."""

import pytest

from agora.accounts.models import Department
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.core.models import AuditEntry
from agora.core.tests.html import find_all, text_of
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

LIST = "/gestion/equipe/services/"


def test_an_administrator_lists_departments_with_their_managers(home: HomePage) -> None:
    department = DepartmentFactory.create(name="Loisirs")
    department_manager(department, first_name="Gaston", last_name="Lagaffe")

    response = client_of(administrator()).get(LIST)

    assert response.status_code == 200
    assert "Loisirs" in text_of(response.content)
    assert "Gaston Lagaffe" in text_of(response.content)


def test_an_administrator_creates_a_department_with_its_people(home: HomePage) -> None:
    manager = UserFactory.create(roles=[Role.DEPARTMENT_MANAGER])

    response = client_of(administrator()).post(
        f"{LIST}new/", {"name": "Loisirs", "managers": [manager.pk], "members": []}
    )

    assert response.status_code == 302
    department = Department.objects.get(name="Loisirs")
    assert list(department.managers.all()) == [manager]
    assert AuditEntry.objects.filter(action="department.created").count() == 1


def test_only_members_of_the_team_are_offered_as_managers(home: HomePage) -> None:
    manager = UserFactory.create(roles=[Role.DEPARTMENT_MANAGER])
    outsider = resident()

    response = client_of(administrator()).get(f"{LIST}new/")

    offered = {int(box["value"]) for box in find_all(response.content, "input", name="managers")}
    assert manager.pk in offered
    assert outsider.pk not in offered


def test_an_administrator_renames_a_department(home: HomePage) -> None:
    department = DepartmentFactory.create(name="Loisirs")

    response = client_of(administrator()).post(
        f"{LIST}edit/{department.pk}/",
        {"name": "Loisirs et culture", "managers": [], "members": []},
    )

    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "Loisirs et culture"
    assert AuditEntry.objects.filter(action="department.updated").count() == 1


def test_a_duplicate_name_is_refused_on_the_form(home: HomePage) -> None:
    DepartmentFactory.create(name="Loisirs")

    response = client_of(administrator()).post(
        f"{LIST}new/", {"name": "Loisirs", "managers": [], "members": []}
    )

    assert response.status_code == 200
    assert Department.objects.count() == 1
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["manager", "resident"])
def test_others_cannot_manage_departments(home: HomePage, who: str) -> None:
    department = DepartmentFactory.create(name="Loisirs")
    user = department_manager(department) if who == "manager" else resident()
    client = client_of(user)

    listing = client.get(LIST)
    edit = client.post(f"{LIST}edit/{department.pk}/", {"name": "Autre", "managers": []})

    # A member of the team reads the staff area's refusal; a resident, that the staff area
    # is for the city's team.
    assert listing.status_code == 403
    assert edit.status_code == 403
    department.refresh_from_db()
    assert department.name == "Loisirs"


def test_departments_are_not_deleted_from_the_back_office(home: HomePage) -> None:
    department = DepartmentFactory.create()

    response = client_of(administrator()).post(f"{LIST}delete/{department.pk}/", follow=True)

    assert response.status_code == 404
    assert Department.objects.filter(pk=department.pk).exists()
    listing = client_of(administrator()).get(LIST).content
    assert find_all(listing, "a", href=f"{LIST}edit/{department.pk}/")
    assert not find_all(listing, "a", href=f"{LIST}delete/{department.pk}/")
