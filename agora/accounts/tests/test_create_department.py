"""create_department(): administrators name a department and choose its people."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.departments import create_department
from agora.accounts.models import Department
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    department_manager,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_department_and_it_is_audited() -> None:
    admin = administrator()
    manager = UserFactory.create(
        roles=[Role.DEPARTMENT_MANAGER], first_name="Gaston", last_name="G"
    )

    department = create_department(actor=admin, name=" Loisirs ", managers=[manager])

    assert department.name == "Loisirs"
    assert list(department.managers.all()) == [manager]
    entry = AuditEntry.objects.get(action="department.created")
    assert entry.actor == admin
    assert entry.details["managers"] == [f"Gaston G <{manager.email}>"]


def test_a_department_manager_cannot_create_one() -> None:
    with pytest.raises(PermissionDenied):
        create_department(actor=department_manager(DepartmentFactory.create()), name="Loisirs")

    assert not Department.objects.filter(name="Loisirs").exists()


def test_two_departments_cannot_share_a_name() -> None:
    DepartmentFactory.create(name="Loisirs")

    with pytest.raises(ValidationError):
        create_department(actor=administrator(), name="Loisirs")

    assert not AuditEntry.objects.exists()
