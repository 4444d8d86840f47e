"""update_department(): renaming and changing people is audited with what changed."""

import pytest
from django.core.exceptions import PermissionDenied

from agora.accounts.departments import update_department
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    department_manager,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_changes_name_and_people_and_the_change_is_audited() -> None:
    department = DepartmentFactory.create(name="Loisirs")
    leaving = department_manager(department, first_name="Ancien", last_name="G")
    arriving = UserFactory.create(
        roles=[Role.DEPARTMENT_MANAGER], first_name="Nouvelle", last_name="G"
    )
    admin = administrator()

    update_department(
        actor=admin,
        department=department,
        name="Loisirs et culture",
        managers=[arriving],
        members=[],
    )

    department.refresh_from_db()
    assert department.name == "Loisirs et culture"
    assert list(department.managers.all()) == [arriving]
    entry = AuditEntry.objects.get(action="department.updated")
    assert entry.actor == admin
    assert entry.details["previous_name"] == "Loisirs"
    assert entry.details["managers_added"] == [f"Nouvelle G <{arriving.email}>"]
    assert entry.details["managers_removed"] == [f"Ancien G <{leaving.email}>"]


def test_a_department_manager_cannot_change_their_department() -> None:
    department = DepartmentFactory.create(name="Loisirs")
    manager = department_manager(department)

    with pytest.raises(PermissionDenied):
        update_department(
            actor=manager, department=department, name="Autre", managers=[], members=[]
        )

    department.refresh_from_db()
    assert department.name == "Loisirs"
    assert list(department.managers.all()) == [manager]
